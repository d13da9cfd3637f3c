// Tests of MulLayer and AddLayer: the apple and orange graphs of chapter 5.4 (ch05/buy_apple*.py).
import { describe, expect, it } from 'vitest';
import { AddLayer, MulLayer } from '../../src/layers/layerNaive.js';

describe('MulLayer and AddLayer (chapter 5.4)', () => {
  it('buys two apples with tax: price 220, dApple 2.2, dAppleNum 110, dTax 200', () => {
    const mulAppleLayer = new MulLayer();
    const mulTaxLayer = new MulLayer();
    const applePrice = mulAppleLayer.forward(100, 2);
    const price = mulTaxLayer.forward(applePrice, 1.1);
    expect(price).toBe(220.00000000000003); // the book prints int(price) = 220
    expect(price).toBeCloseTo(220, 10);
    const [dApplePrice, dTax] = mulTaxLayer.backward(1);
    const [dApple, dAppleNum] = mulAppleLayer.backward(dApplePrice);
    expect(dApple).toBeCloseTo(2.2, 12);
    expect(dAppleNum).toBeCloseTo(110, 10);
    expect(dTax).toBe(200);
  });

  it('buys apples and oranges with tax: price 715.0000000000001 and the book gradients', () => {
    const [apple, appleNum, orange, orangeNum, tax] = [100, 2, 150, 3, 1.1];
    const mulAppleLayer = new MulLayer();
    const mulOrangeLayer = new MulLayer();
    const addAppleOrangeLayer = new AddLayer();
    const mulTaxLayer = new MulLayer();

    const applePrice = mulAppleLayer.forward(apple, appleNum);
    const orangePrice = mulOrangeLayer.forward(orange, orangeNum);
    const allPrice = addAppleOrangeLayer.forward(applePrice, orangePrice);
    const price = mulTaxLayer.forward(allPrice, tax);
    expect(price).toBe(715.0000000000001);

    const [dAllPrice, dTax] = mulTaxLayer.backward(1);
    const [dApplePrice, dOrangePrice] = addAppleOrangeLayer.backward(dAllPrice);
    const [dOrange, dOrangeNum] = mulOrangeLayer.backward(dOrangePrice);
    const [dApple, dAppleNum] = mulAppleLayer.backward(dApplePrice);
    expect(dApple).toBeCloseTo(2.2, 12);
    expect(dAppleNum).toBeCloseTo(110, 10);
    expect(dOrange).toBeCloseTo(3.3, 12);
    expect(dOrangeNum).toBeCloseTo(165, 10);
    expect(dTax).toBe(650);
  });

  it('MulLayer.backward before forward throws a named error', () => {
    expect(() => new MulLayer().backward(1)).toThrow(
      'MulLayer.backward: expected forward() to have run first',
    );
  });
});
