// What the plots compute: histogram counts, contour lines, ticks, colours, text metrics.
import { describe, expect, it } from 'vitest';
import { NDArray } from '../../src/ndarray/ndarray.js';
import {
  colormap,
  contourLines,
  Figure,
  formatTicks,
  niceTicks,
  resolveColor,
} from '../../src/plot/index.js';
import { textWidth } from '../../src/plot/text.js';

describe('Axes.hist', () => {
  it('counts as NumPy does: half-open bins, the last one closed, outside values and NaN dropped', () => {
    const ax = new Figure().gca();
    const data = [0, 0.1, 0.5, 0.99, 1, 1, 2, -1, NaN, 0.25, 0.7499];
    const { counts, edges } = ax.hist(data, { bins: 4, range: [0, 1] });
    expect(edges).toEqual([0, 0.25, 0.5, 0.75, 1]);
    // [0, .25): 0, 0.1 · [.25, .5): 0.25 · [.5, .75): 0.5, 0.7499 · [.75, 1]: 0.99, 1, 1
    expect(counts).toEqual([2, 1, 2, 3]);
  });

  it('takes explicit edges and the data range by default; density integrates to 1', () => {
    const ax = new Figure().gca();
    expect(ax.hist([1, 2, 2, 3, 10], { bins: [0, 2, 3, 10] }).counts).toEqual([1, 2, 2]);
    const auto = ax.hist(new NDArray(Float64Array.from([1, 2, 3, 4]), [2, 2]), { bins: 3 });
    expect(auto.edges[0]).toBe(1);
    expect(auto.edges[3]).toBe(4);
    expect(auto.counts).toEqual([1, 1, 2]);
    const d = ax.hist([0.1, 0.2, 0.3, 0.9], { bins: 5, range: [0, 1], density: true });
    expect(d.counts.reduce((s, c, i) => s + c * (d.edges[i + 1] - d.edges[i]), 0)).toBeCloseTo(
      1,
      12,
    );
  });

  it('rejects bad bins with the error template', () => {
    const ax = new Figure().gca();
    expect(() => ax.hist([1], { bins: 0 })).toThrow(
      'hist: expected a positive integer of bins, got 0',
    );
    expect(() => ax.hist([1], { bins: [0, 0] })).toThrow(
      'hist: expected increasing bin edges, got [0, 0]',
    );
  });
});

describe('contourLines', () => {
  const grid = Array.from({ length: 81 }, (_, i) => -2 + i * 0.05);
  const z = new Float64Array(81 * 81);
  for (let j = 0; j < 81; j++)
    for (let i = 0; i < 81; i++) z[j * 81 + i] = grid[i] ** 2 + grid[j] ** 2;

  it('traces x² + y² = 1 as one closed line of points at radius ≈ 1', () => {
    const lines = contourLines(grid, grid, z, 1);
    expect(lines).toHaveLength(1);
    expect(lines[0].closed).toBe(true);
    expect(lines[0].points.length).toBeGreaterThan(60);
    for (const [x, y] of lines[0].points)
      expect(Math.abs(Math.hypot(x, y) - 1)).toBeLessThan(0.005);
  });

  it('is the book’s example on one cell, and NaN masks cells', () => {
    expect(contourLines([0, 1], [0, 1], [0, 0, 1, 1], 0.5)).toEqual([
      {
        level: 0.5,
        points: [
          [1, 0.5],
          [0, 0.5],
        ],
        closed: false,
      },
    ]);
    const masked = Float64Array.from(z, (v) => v);
    for (let j = 0; j < 81; j++) for (let i = 41; i < 81; i++) masked[j * 81 + i] = NaN;
    const lines = contourLines(grid, grid, masked, 1);
    expect(lines).toHaveLength(1);
    expect(lines[0].closed).toBe(false);
    for (const [x] of lines[0].points) expect(x).toBeLessThanOrEqual(0.05);
  });

  it('Axes.contour picks nice levels inside the data range, or takes given ones', () => {
    const ax = new Figure().gca();
    const r = ax.contour(grid, grid, (x, y) => x * x + y * y);
    expect(r.levels).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const meshX = new NDArray(
      Float64Array.from(z, (_, k) => grid[k % 81]),
      [81, 81],
    );
    const meshY = new NDArray(
      Float64Array.from(z, (_, k) => grid[Math.floor(k / 81)]),
      [81, 81],
    );
    const r2 = ax.contour(meshX, meshY, new NDArray(z, [81, 81]), { levels: [1] });
    expect(r2.levels).toEqual([1]);
    expect(r2.lines).toHaveLength(1);
    expect(() => ax.contour(grid, grid, new NDArray(z, [81 * 81]))).toThrow(
      'contour: expected z of shape (81,81), got (6561,)',
    );
  });
});

describe('ticks', () => {
  it('steps by 1, 2, 2.5 or 5 times a power of ten inside the limits', () => {
    expect(niceTicks(0, 6.3, 9)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(niceTicks(-1.1, 1.1, 9)).toEqual([-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(-0.05, 1.05, 1)).toEqual([0, 1]);
    expect(niceTicks(0, 10000, 5)).toEqual([0, 2000, 4000, 6000, 8000, 10000]);
    expect(niceTicks(0.1, 0.3, 4)).toEqual([0.1, 0.15, 0.2, 0.25, 0.3]);
  });

  it('labels with a common number of decimals, a minus sign and exponents when extreme', () => {
    expect(formatTicks([-1, -0.5, 0, 0.5, 1])).toEqual(['−1.0', '−0.5', '0.0', '0.5', '1.0']);
    expect(formatTicks([0, 2000, 4000])).toEqual(['0', '2000', '4000']);
    expect(formatTicks([0, 1e-5, 2e-5])).toEqual(['0', '1e−5', '2e−5']);
  });
});

describe('colours and text', () => {
  it('runs the JSDoc examples', () => {
    expect(resolveColor('C1')).toBe('#ff7f0e');
    expect(resolveColor('k')).toBe('#000000');
    expect(resolveColor('#666666')).toBe('#666666');
    expect(colormap('gray')(0.5)).toEqual([128, 128, 128]);
    expect(colormap('viridis')(0)).toEqual([0x44, 0x01, 0x54]);
    expect(colormap('gray_r')(1)).toEqual([0, 0, 0]);
    expect(textWidth('0.5', 10)).toBeCloseTo(15.9, 1);
  });

  it('rejects colour specs that could break the SVG', () => {
    expect(() => resolveColor('red" onload="x')).toThrow(
      'color: expected a colour name or #rrggbb',
    );
  });
});
