// ch05/buy_apple_orange.py (book §5.4.2): the apple and orange graph of figure 5-17 — three
// MulLayers and an AddLayer, forward and backward.
import { AddLayer, MulLayer } from '../../src/layers/layerNaive.js';
import { isMain, pyFloat, type Print } from '../ch01/python.js';

/** The price and its gradients, as the book's script computes them. */
export interface BuyAppleOrangeResult {
  price: number;
  dApple: number;
  dAppleNum: number;
  dOrange: number;
  dOrangeNum: number;
  dTax: number;
}

/**
 * Prints `price: 715`, `dApple: 2.2`, `dApple_num: 110`, `dOrange: 3.3000000000000003`,
 * `dOrange_num: 165`, `dTax: 650` (the script's output; the book's text rounds dOrange to 3.3).
 */
export function main(print: Print = console.log): BuyAppleOrangeResult {
  const apple = 100;
  const appleNum = 2;
  const orange = 150;
  const orangeNum = 3;
  const tax = 1.1;

  // layer
  const mulAppleLayer = new MulLayer();
  const mulOrangeLayer = new MulLayer();
  const addAppleOrangeLayer = new AddLayer();
  const mulTaxLayer = new MulLayer();

  // forward
  const applePrice = mulAppleLayer.forward(apple, appleNum); // (1)
  const orangePrice = mulOrangeLayer.forward(orange, orangeNum); // (2)
  const allPrice = addAppleOrangeLayer.forward(applePrice, orangePrice); // (3)
  const price = mulTaxLayer.forward(allPrice, tax); // (4) 715.0000000000001

  // backward
  const dprice = 1;
  const [dallPrice, dtax] = mulTaxLayer.backward(dprice); // (4)
  const [dapplePrice, dorangePrice] = addAppleOrangeLayer.backward(dallPrice); // (3)
  const [dorange, dorangeNum] = mulOrangeLayer.backward(dorangePrice); // (2)
  const [dapple, dappleNum] = mulAppleLayer.backward(dapplePrice); // (1)

  print(`price: ${Math.trunc(price)}`);
  print(`dApple: ${pyFloat(dapple)}`);
  print(`dApple_num: ${Math.trunc(dappleNum)}`);
  print(`dOrange: ${pyFloat(dorange)}`);
  print(`dOrange_num: ${Math.trunc(dorangeNum)}`);
  print(`dTax: ${dtax}`); // an int in Python: 1 · 650
  return {
    price,
    dApple: dapple,
    dAppleNum: dappleNum,
    dOrange: dorange,
    dOrangeNum: dorangeNum,
    dTax: dtax,
  };
}

if (isMain(import.meta.url)) main();
