// Shape utilities: sizes, strides, NumPy's broadcasting rule, axis normalisation and the error texts.

/** `(2,3)`, `(4,)` or `()` — a shape written the way NumPy prints it. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(',')})`;
}

/** Product of the dimensions (1 for a 0-d shape). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C-order) strides in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** Whether two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * NumPy's broadcasting rule: align trailing dimensions; each pair must be equal or contain a 1.
 * @throws `operands could not be broadcast together with shapes (2,3) (4,)`
 */
export function broadcastShapes(...shapes: (readonly number[])[]): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = ndim - s.length + i;
      const d = s[i];
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else {
        throw new Error(
          `operands could not be broadcast together with shapes ${shapes.map(formatShape).join(' ')}`,
        );
      }
    }
  }
  return out;
}

/**
 * Strides (in elements) for reading an array of `shape` as if it had the broadcast shape `target`:
 * 0 along broadcast (size-1 or missing) dimensions.
 */
export function broadcastStrides(shape: readonly number[], target: readonly number[]): number[] {
  const own = stridesOf(shape);
  const out = new Array<number>(target.length).fill(0);
  const offset = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) out[offset + i] = shape[i] === 1 ? 0 : own[i];
  return out;
}

/** Normalises a possibly negative axis; NumPy's error text when it is out of range. */
export function normalizeAxis(axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new Error(`axis ${axis} is out of bounds for array of dimension ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalises a list of axes, rejecting repeats as NumPy does. */
export function normalizeAxes(axes: readonly number[], ndim: number): number[] {
  const out = axes.map((a) => normalizeAxis(a, ndim));
  if (new Set(out).size !== out.length) throw new Error("duplicate value in 'axis'");
  return out;
}

/** Checks a user-given shape: non-negative integers. `where` names the caller. */
export function checkShape(shape: readonly number[], where: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new Error(
        `${where}: expected a shape of non-negative integers, got [${shape.join(', ')}]`,
      );
    }
  }
}
