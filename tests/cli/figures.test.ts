// The figures behind the CLI and the chapter 1–4 examples: the book's smooth_curve against NumPy,
// historyFigure's panels, and each example's figure as SVG with the book's series and labels.
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { historyFigure, kaiser, smoothCurve } from '../../src/plot/history.js';
import type { Figure } from '../../src/plot/figure.js';
import * as sinGraph from '../../examples/ch01/sin_graph.js';
import * as sinCosGraph from '../../examples/ch01/sin_cos_graph.js';
import * as imgShow from '../../examples/ch01/img_show.js';
import * as stepFunction from '../../examples/ch03/step_function.js';
import * as sigmoid from '../../examples/ch03/sigmoid.js';
import * as sigStepCompare from '../../examples/ch03/sig_step_compare.js';
import * as relu from '../../examples/ch03/relu.js';
import * as mnistShow from '../../examples/ch03/mnist_show.js';
import * as gradient1d from '../../examples/ch04/gradient_1d.js';
import * as gradient2d from '../../examples/ch04/gradient_2d.js';
import * as gradientMethod from '../../examples/ch04/gradient_method.js';
import * as trainNeuralnet from '../../examples/ch04/train_neuralnet.js';
import { figurePath } from '../../examples/ch01/figure.js';
import { NDArray } from '../../src/ndarray/ndarray.js';

/** The SVG of a figure, checked to be well-formed XML. */
function svgOf(fig: Figure): string {
  const svg = fig.toSVG();
  expect(XMLValidator.validate(svg)).toBe(true);
  return svg;
}

/** The texts of the elements of an SVG with class `cls`. */
function texts(svg: string, cls: string): string[] {
  return [...svg.matchAll(new RegExp(`class="${cls}"[^>]*>([^<]*)<`, 'g'))].map((m) => m[1]);
}

function legend(svg: string): string[] {
  const g = /<g class="legend"[^]*?<\/g>/.exec(svg)?.[0] ?? '';
  return [...g.matchAll(/<text[^>]*>([^<]*)</g)].map((m) => m[1]);
}

/** The x tick labels of the second (accuracy) axes. */
function epochTicks(svg: string): string[] {
  const groups = [...svg.matchAll(/<g class="xticklabels"[^>]*>([^]*?)<\/g>/g)];
  return [...groups[1][1].matchAll(/<text[^>]*>([^<]*)</g)].map((m) => m[1]);
}

const count = (svg: string, re: RegExp) => (svg.match(re) ?? []).length;

describe('smoothCurve', () => {
  it("equals the book's smooth_curve (NumPy) on 1..12", () => {
    // np.kaiser(11, 2) and smooth_curve(np.arange(1, 13.)) printed by NumPy 1.26.
    expect(kaiser(11, 2).map((v) => +v.toFixed(8))).toEqual([
      0.43867628, 0.61139435, 0.767675, 0.89216143, 0.9723298, 1, 0.9723298, 0.89216143, 0.767675,
      0.61139435, 0.43867628,
    ]);
    const y = smoothCurve(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(y.map((v) => +v.toFixed(6))).toEqual([
      3.319007, 3.43856, 3.790604, 4.355969, 5.10489, 6, 7, 7.947555, 8.76957, 9.426714, 9.885418,
      10.121216,
    ]);
  });
  it('keeps constants, shrinks the window to short data and rejects a bad window', () => {
    expect(smoothCurve([2, 2, 2, 2, 2])).toEqual([2, 2, 2, 2, 2]);
    expect(smoothCurve([1, 5])).toEqual([1, 5]);
    expect(smoothCurve([0, 3, 0, 3]).every((v) => v > 0 && v < 3)).toBe(true);
    expect(() => smoothCurve([1, 2, 3], 0)).toThrow(
      'smoothCurve: expected a positive integer window, got 0',
    );
  });
});

describe('historyFigure', () => {
  const history = {
    trainLossList: Array.from({ length: 50 }, (_, i) => 2.3 * Math.exp(-i / 10) + 0.1),
    trainAccList: [0.8, 0.9, 0.95],
    testAccList: [0.79, 0.88, 0.9],
  };
  it('draws the loss with its smoothed line and both accuracies per whole epoch', () => {
    const svg = svgOf(historyFigure(history, { title: 'run' }));
    expect(texts(svg, 'suptitle')).toEqual(['run']);
    expect(texts(svg, 'title')).toEqual(['loss', 'accuracy']);
    expect(texts(svg, 'xlabel')).toEqual(['iterations', 'epochs']);
    expect(svg).toContain('>smoothed<');
    expect(svg).toContain('>train acc<');
    expect(svg).toContain('>test acc<');
    expect(epochTicks(svg)).toEqual(['1', '2', '3']);
  });
  it('numbers epochs from 0 for the book-style lists and says when nothing was recorded', () => {
    expect(epochTicks(svgOf(historyFigure(history, { firstEpoch: 0 })))).toEqual(['0', '1', '2']);
    const svg = svgOf(historyFigure({ ...history, trainAccList: [], testAccList: [] }));
    expect(svg).toContain('no accuracy recorded');
    expect(() => historyFigure({ ...history, testAccList: 'x' as never })).toThrow(
      'historyFigure: expected testAccList to be an array of numbers, got string',
    );
  });
});

describe('the chapter 1–4 figures', () => {
  it('go to out/chNN/<name>.png, or under SCRATCHNET_OUT', () => {
    const saved = process.env.SCRATCHNET_OUT;
    try {
      delete process.env.SCRATCHNET_OUT;
      expect(figurePath('ch03', 'sigmoid')).toBe('out/ch03/sigmoid.png');
      process.env.SCRATCHNET_OUT = '/tmp/figs';
      expect(figurePath('ch03', 'sigmoid')).toBe('/tmp/figs/ch03/sigmoid.png');
    } finally {
      if (saved === undefined) delete process.env.SCRATCHNET_OUT;
      else process.env.SCRATCHNET_OUT = saved;
    }
  });
  it('ch01: sin, and sin & cos with a dashed cos, a legend and a title', () => {
    expect(count(svgOf(sinGraph.figure()), /class="series line"/g)).toBe(1);
    const svg = svgOf(sinCosGraph.figure());
    expect(texts(svg, 'title')).toEqual(['sin &amp; cos']);
    expect(legend(svg)).toEqual(['sin', 'cos']);
    expect(count(svg, /stroke-dasharray/g)).toBe(2); // the cos line and its legend handle
  });
  it('ch01: img_show shows an image', () => {
    const svg = svgOf(imgShow.figure(new NDArray(new Uint8Array(28 * 28), [28, 28])));
    expect(count(svg, /<image /g)).toBe(1);
  });
  it('ch03: the activation graphs and the first MNIST digit', () => {
    for (const m of [stepFunction, sigmoid, relu])
      expect(count(svgOf(m.figure()), /class="series line"/g)).toBe(1);
    expect(legend(svgOf(sigStepCompare.figure()))).toEqual(['sigmoid', 'step']);
    const digit = svgOf(mnistShow.figure());
    expect(texts(digit, 'title')).toEqual(['label 5']);
    expect(count(digit, /<image /g)).toBe(1);
  });
  it('ch04: tangent, gradient field, descent path and accuracy curves', () => {
    expect(legend(svgOf(gradient1d.figure()))).toEqual([
      'f(x) = 0.01x² + 0.1x',
      'tangent at x = 5',
    ]);
    const field = svgOf(gradient2d.figure());
    expect(texts(field, 'xlabel')).toEqual(['x0']);
    // 18 × 18 arrows, less the one at the minimum (0, 0), whose −∇f is zero.
    expect(count(field, /<path d="M[^"]*Z" fill="#666666"/g)).toBe(18 * 18 - 1);
    const path = svgOf(gradientMethod.figure());
    expect(texts(path, 'ylabel')).toEqual(['X1']);
    const acc = svgOf(
      trainNeuralnet.figure({
        trainLossList: [2, 1],
        trainAccList: [0.1, 0.8],
        testAccList: [0.1, 0.8],
      }),
    );
    expect(legend(acc)).toEqual(['train acc', 'test acc']);
    expect(
      count(
        svgOf(
          trainNeuralnet.lossFigure({ trainLossList: [2, 1], trainAccList: [], testAccList: [] }),
        ),
        /class="series line"/g,
      ),
    ).toBe(1);
  });
});
