// The examples of chapters 1–4 (examples/ch01 … ch04): each script's main() runs and prints
// what the book prints.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pyFloat, pyShape } from '../../examples/ch01/python.js';
import * as hungry from '../../examples/ch01/hungry.js';
import * as man from '../../examples/ch01/man.js';
import * as numpyBasics from '../../examples/ch01/numpy_basics.js';
import * as sinGraph from '../../examples/ch01/sin_graph.js';
import * as sinCosGraph from '../../examples/ch01/sin_cos_graph.js';
import * as andGate from '../../examples/ch02/and_gate.js';
import * as nandGate from '../../examples/ch02/nand_gate.js';
import * as orGate from '../../examples/ch02/or_gate.js';
import * as xorGate from '../../examples/ch02/xor_gate.js';
import * as stepFunction from '../../examples/ch03/step_function.js';
import * as sigmoid from '../../examples/ch03/sigmoid.js';
import * as relu from '../../examples/ch03/relu.js';
import * as sigStepCompare from '../../examples/ch03/sig_step_compare.js';
import * as matrixDot from '../../examples/ch03/matrix_dot.js';
import * as threeLayerNet from '../../examples/ch03/three_layer_net.js';
import * as softmax from '../../examples/ch03/softmax.js';
import * as mnistShow from '../../examples/ch03/mnist_show.js';
import * as lossFunctions from '../../examples/ch04/loss_functions.js';
import * as gradient1d from '../../examples/ch04/gradient_1d.js';
import * as gradient2d from '../../examples/ch04/gradient_2d.js';
import * as gradientMethod from '../../examples/ch04/gradient_method.js';
import * as gradientSimplenet from '../../examples/ch04/gradient_simplenet.js';
import * as twoLayerNet from '../../examples/ch04/two_layer_net.js';
import * as trainNeuralnet from '../../examples/ch04/train_neuralnet.js';

/** The lines an example prints (multi-line prints split). */
function run(main: (print: (line: string) => void) => unknown): string[] {
  const lines: string[] = [];
  main((line) => lines.push(...line.split('\n')));
  return lines;
}

describe('Python print formatting', () => {
  it('formats floats as Python str()', () => {
    expect(pyFloat(1)).toBe('1.0');
    expect(pyFloat(-0)).toBe('-0.0');
    expect(pyFloat(0.1999999999990898)).toBe('0.1999999999990898');
    expect(pyFloat(1e-7)).toBe('1e-07');
    expect(pyFloat(1.5e-5)).toBe('1.5e-05');
    expect(pyFloat(0.0001)).toBe('0.0001');
    expect(pyFloat(1e16)).toBe('1e+16');
    expect(pyFloat(123456789012345.6)).toBe('123456789012345.6');
    expect(pyFloat(-2.5e22)).toBe('-2.5e+22');
    expect(pyFloat(NaN)).toBe('nan');
    expect(pyFloat(-Infinity)).toBe('-inf');
  });
  it('formats shapes as Python tuples', () => {
    expect(pyShape([784])).toBe('(784,)');
    expect(pyShape([28, 28])).toBe('(28, 28)');
  });
});

describe('chapter 1', () => {
  it('hungry and man', () => {
    expect(run(hungry.main)).toEqual(["I'm hungry!"]);
    expect(run(man.main)).toEqual(['Initialized!', 'Hello David!', 'Good-bye David!']);
  });
  it('numpy_basics prints the §1.5 session', () => {
    const out = run(numpyBasics.main);
    expect(out.slice(0, 6)).toEqual([
      '[1. 2. 3.]',
      '[3. 6. 9.]',
      '[-1. -2. -3.]',
      '[ 2.  8. 18.]',
      '[0.5 0.5 0.5]',
      '[0.5 1.  1.5]',
    ]);
    expect(out).toContain('[[10 40]');
    expect(out.slice(-4)).toEqual([
      '[51 55 14 19  0  4]',
      '[51 14  0]',
      '[ True  True False  True False False]',
      '[51 55 19]',
    ]);
  });
  it('sin graphs print their data', () => {
    const out = run(sinGraph.main);
    expect(out[0]).toBe('x (60,)');
    expect(out.join(' ')).toContain('0.09983342');
    expect(run(sinCosGraph.main)).toContain('cos');
  });
});

describe('chapter 2', () => {
  it('prints the four truth tables', () => {
    const rows = (outs: string[]) => outs.map((l) => l.slice(-1)).join('');
    expect(run(andGate.main)[3]).toBe('(1, 1) -> 1');
    expect(rows(run(andGate.main))).toBe('0001');
    expect(rows(run(nandGate.main))).toBe('1110');
    expect(rows(run(orGate.main))).toBe('0111');
    expect(rows(run(xorGate.main))).toBe('0110');
  });
});

describe('chapter 3', () => {
  it('activation scripts print the book values', () => {
    expect(run(stepFunction.main).slice(0, 3)).toEqual([
      '[-1.  1.  2.]',
      '[False  True  True]',
      '[0 1 1]',
    ]);
    expect(run(sigmoid.main).slice(0, 3)).toEqual([
      '[0.26894142 0.73105858 0.88079708]',
      '[2. 3. 4.]',
      '[1.         0.5        0.33333333]',
    ]);
    expect(run(relu.main)[0]).toBe('[0.  0.5 2. ]');
    expect(run(sigStepCompare.main)[1]).toBe('[0 0 0 0 1 1 1 1]');
  });
  it('matrix_dot prints the §3.3 products and the misalignment error', () => {
    const out = run(matrixDot.main);
    expect(out).toEqual(
      expect.arrayContaining([
        '[[19 22]',
        ' [43 50]]',
        '[[22 28]',
        ' [49 64]]',
        'ValueError: shapes (2,3) and (2,2) not aligned: 3 (dim 1) != 2 (dim 0)',
        '[23 53 83]',
        '[ 5 11 17]',
      ]),
    );
  });
  it('three_layer_net prints [0.31682708 0.69627909]', () => {
    const out = run(threeLayerNet.main);
    expect(out).toContain('[0.57444252 0.66818777 0.75026011]');
    expect(out.slice(-2)).toEqual(['[0.31682708 0.69627909]', '[0.31682708 0.69627909]']);
  });
  it('softmax prints the §3.5 session', () => {
    expect(run(softmax.main)).toEqual([
      '[ 1.34985881 18.17414537 54.59815003]',
      '74.1221542101633',
      '[0.01821127 0.24519181 0.73659691]',
      '[nan nan nan]',
      '[  0 -10 -20]',
      '[9.99954600e-01 4.53978686e-05 2.06106005e-09]',
      '[0.01821127 0.24519181 0.73659691]',
      '1.0',
    ]);
  });
  it('mnist_show prints the first label and shapes', () => {
    expect(run(mnistShow.main)).toEqual(['5', '(784,)', '(28, 28)']);
  });
});

describe('chapter 4', () => {
  it('loss_functions prints the book losses', () => {
    const out = run((p) => lossFunctions.main(p, { miniBatch: true }));
    expect(out).toEqual([
      '0.09750000000000003',
      '0.5975',
      '0.510825457099338',
      '2.302584092994546',
      '1.406704775046942',
      '(60000, 784)',
      '(60000, 10)',
      '(10, 784)',
      '(10, 10)',
    ]);
  });
  it('gradient_1d prints the two slopes', () => {
    const out = run(gradient1d.main);
    expect(out.slice(0, 3)).toEqual(['0.0', '0.1999999999990898', '0.2999999999986347']);
  });
  it('gradient_2d prints (6, 8), (0, 4), (6, 0)', () => {
    const out = run(gradient2d.main);
    expect(out.slice(0, 4)).toEqual([
      'array([6., 8.])',
      'array([0., 4.])',
      'array([6., 0.])',
      '(2, 324)',
    ]);
  });
  it('gradient_method prints the three descents', () => {
    expect(run(gradientMethod.main)).toEqual([
      'array([-6.11110793e-10,  8.14814391e-10])',
      '(100, 2)',
      'array([-2.58983747e+13, -1.29524862e+12])',
      'array([-2.99999994,  3.99999992])',
    ]);
  });
  it('gradient_simplenet prints the book dW (to the digits its W has)', () => {
    const out = run(gradientSimplenet.main);
    expect(out[2]).toBe('[1.05414809 0.63071653 1.1328074 ]');
    expect(out[3]).toBe('2');
    expect(Number(out[4])).toBeCloseTo(0.92806853663411326, 6);
    expect(out.slice(5)).toEqual([
      '[[ 0.21924757  0.14356243 -0.36281   ]',
      ' [ 0.32887136  0.21534364 -0.544215  ]]',
    ]);
  });
  it('two_layer_net prints the parameter shapes and agreeing gradients', () => {
    const out = run(twoLayerNet.main);
    expect(out.slice(0, 5)).toEqual([
      'W1 (784, 100)',
      'b1 (100,)',
      'W2 (100, 10)',
      'b2 (10,)',
      'y (100, 10)',
    ]);
    const diffs = out.slice(-4).map((l) => Number(l.split(': ')[1]));
    expect(diffs.every((d) => d < 1e-6)).toBe(true);
  });
  it('train_neuralnet lowers the loss in a few steps', () => {
    const { trainLossList } = trainNeuralnet.main(() => {}, {
      itersNum: 40,
      evaluate: false,
      learningRate: 0.5,
    });
    const first = trainLossList.slice(0, 5).reduce((a, b) => a + b) / 5;
    const last = trainLossList.slice(-5).reduce((a, b) => a + b) / 5;
    expect(last).toBeLessThan(first);
  });
});

describe('examples run as scripts', () => {
  it('npx tsx examples/ch02/xor_gate.ts prints the table', () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
    const out = execFileSync(tsx, [path.join(root, 'examples/ch02/xor_gate.ts')], {
      encoding: 'utf8',
    });
    expect(out).toBe('(0, 0) -> 0\n(1, 0) -> 1\n(0, 1) -> 1\n(1, 1) -> 0\n');
  });
});
