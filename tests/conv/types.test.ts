// Type tests for the chapter 7–8 option objects (STYLE.md tests §6): wrong option types do not
// compile (checked by `tsc -p tsconfig.json`); the calls below also run.
import { describe, expect, it } from 'vitest';
import { zeros, type NDArray } from '../../src/ndarray/index.js';
import { Convolution } from '../../src/layers/convolution.js';
import { Pooling } from '../../src/layers/pooling.js';
import { DeepConvNet, type DeepConvNetConfig } from '../../src/networks/deepConvNet.js';
import { SimpleConvNet, type SimpleConvNetConfig } from '../../src/networks/simpleConvNet.js';
import { importParams } from '../../src/networks/importParams.js';

describe('types', () => {
  it('layer options', () => {
    const W = zeros([2, 1, 3, 3]);
    const b = zeros(2);
    // @ts-expect-error stride is a number
    expect(() => new Convolution(W, b, { stride: '2' })).toThrow(/stride/);
    // @ts-expect-error poolW is required: the book's Pooling(pool_h, pool_w) has no default
    expect(() => new Pooling({ poolH: 2 })).toThrow(/window/);
    // @ts-expect-error poolH, not the book's snake_case pool_h
    expect(() => new Pooling({ pool_h: 2, poolW: 2 })).toThrow(/window/);
    const out: NDArray = new Convolution(W, b, { pad: 1 }).forward(zeros([1, 1, 4, 4]));
    expect(out.shape).toEqual([1, 2, 4, 4]);
  });

  it('network options and configs', () => {
    // @ts-expect-error filterNum, not the book's filter_num
    new SimpleConvNet({ convParam: { filter_num: 30 } });
    // @ts-expect-error inputDim is (C, H, W), three numbers
    expect(() => new SimpleConvNet({ inputDim: [28, 28] })).toThrow(/inputDim/);
    // @ts-expect-error weightInitStd is a number or a named rule
    expect(() => new DeepConvNet({ weightInitStd: 'big' })).toThrow(/weightInitStd/);
    const c1: SimpleConvNetConfig = new SimpleConvNet({ seed: 1 }).config;
    const c2: DeepConvNetConfig = new DeepConvNet({ seed: 1 }).config;
    const net = new SimpleConvNet({ seed: 2 });
    // @ts-expect-error a network's config is read-only
    net.config.hiddenSize = 3;
    expect([c1.convParam.filterNum, c2.convParam4.pad]).toEqual([30, 2]);
    // @ts-expect-error importParams takes arrays, not numbers
    expect(() => importParams(new SimpleConvNet(), { W1: 1 })).toThrow();
  });
});
