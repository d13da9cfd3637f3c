// MulLayer and AddLayer: the scalar computational graph of chapter 5.4 (ch05/layer_naive.py).

/**
 * Multiplication node `out = x · y` on plain numbers: forward caches x and y, backward swaps them.
 * @example
 * const mul = new MulLayer();
 * mul.forward(100, 2); // 200
 * mul.backward(1); // [2, 100]
 */
export class MulLayer {
  private x: number | undefined;
  private y: number | undefined;

  /** @returns x · y */
  forward(x: number, y: number): number {
    this.x = x;
    this.y = y;
    return x * y;
  }

  /** @returns [dout · y, dout · x], the gradients for x and y. */
  backward(dout: number): [dx: number, dy: number] {
    if (this.x === undefined || this.y === undefined) {
      throw new Error(
        'MulLayer.backward: expected forward() to have run first, got no cached input',
      );
    }
    // The gradient of a product is the other factor: the inputs trade places.
    return [dout * this.y, dout * this.x];
  }
}

/**
 * Addition node `out = x + y` on plain numbers: backward passes the gradient to both inputs.
 * @example
 * const add = new AddLayer();
 * add.forward(200, 450); // 650
 * add.backward(1.1); // [1.1, 1.1]
 */
export class AddLayer {
  /** @returns x + y */
  forward(x: number, y: number): number {
    return x + y;
  }

  /** @returns [dout, dout]: addition passes the upstream gradient through unchanged. */
  backward(dout: number): [dx: number, dy: number] {
    return [dout, dout];
  }
}
