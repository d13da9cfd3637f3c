// ch05/buy_apple.py (book §5.4.1): the apple graph of figure 5-16 — two MulLayers forward
// (2 apples at 100 yen, 10 % tax) and backward (the gradients of the price).
import { MulLayer } from '../../src/layers/layerNaive.js';
import { isMain, pyFloat, type Print } from '../ch01/python.js';

/** The price and its gradients, as the book's script computes them. */
export interface BuyAppleResult {
  price: number;
  dApple: number;
  dAppleNum: number;
  dTax: number;
}

/** Prints `price: 220`, `dApple: 2.2`, `dApple_num: 110`, `dTax: 200`. */
export function main(print: Print = console.log): BuyAppleResult {
  const apple = 100;
  const appleNum = 2;
  const tax = 1.1;

  const mulAppleLayer = new MulLayer();
  const mulTaxLayer = new MulLayer();

  // forward
  const applePrice = mulAppleLayer.forward(apple, appleNum);
  const price = mulTaxLayer.forward(applePrice, tax); // 220.00000000000003

  // backward
  const dprice = 1;
  const [dapplePrice, dtax] = mulTaxLayer.backward(dprice);
  const [dapple, dappleNum] = mulAppleLayer.backward(dapplePrice);

  // The book prints int(price) and int(dapple_num); dtax is the int 200 in Python (1 · 200).
  print(`price: ${Math.trunc(price)}`);
  print(`dApple: ${pyFloat(dapple)}`);
  print(`dApple_num: ${Math.trunc(dappleNum)}`);
  print(`dTax: ${dtax}`);
  return { price, dApple: dapple, dAppleNum: dappleNum, dTax: dtax };
}

if (isMain(import.meta.url)) main();
