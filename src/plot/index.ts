// The plot module: matplotlib-like figures (lines, scatter, histograms, contours, quiver, bars,
// images) to SVG and PNG, and image files to and from NDArray. Runs in Node and in browsers.
export { Figure } from './figure.js';
export type { FigureOptions, SizeOptions, PNGOptions, AxesLayout } from './figure.js';
export { Axes, parseFmt } from './axes.js';
export type {
  Series,
  LineOptions,
  ScatterOptions,
  HistOptions,
  HistResult,
  BarOptions,
  ContourOptions,
  ContourResult,
  QuiverOptions,
  ImshowOptions,
  LegendLoc,
  LegendOptions,
  RefLineOptions,
  TextOptions,
  Box,
  Prepared,
} from './axes.js';
export { imageGrid } from './grid.js';
export type { ImageGridOptions } from './grid.js';
export { contourLines } from './contour.js';
export type { ContourLine } from './contour.js';
export { niceTicks, formatTicks } from './ticks.js';
export { colormap, resolveColor, TAB10 } from './colors.js';
export type { ColormapName } from './colors.js';
export type { LineStyle, Marker } from './svg.js';
export { initRaster, setRasterLoader, svgToPNG, rasterAvailable } from './raster.js';
export type { RasterInit } from './raster.js';
export {
  decodePNG,
  decodeJPEG,
  decodeImage,
  encodePNG,
  toGray,
  resize,
  isPNG,
  isJPEG,
  base64,
} from './image.js';
export type { DecodeOptions, ImageMode, ResizeMethod, ResizeOptions } from './image.js';
export { historyFigure, smoothCurve, kaiser } from './history.js';
