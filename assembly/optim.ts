// Optimizer updates as thread-pool tasks. The pool hands a task only i32 arguments (pointers and
// ranges), so the f64 hyperparameters of an update travel in a small block of memory at `h` and
// these entries read them before running the update on elements [i0, i1).
import { adamUpdateF32, adamUpdateF64, sgdUpdateF32, sgdUpdateF64 } from './fused';

/** sgdUpdateF32 with lr at h. */
export function sgdTaskF32(p: usize, g: usize, h: usize, i0: i32, i1: i32): void {
  sgdUpdateF32(p, g, load<f64>(h), i0, i1);
}

/** sgdUpdateF64 with lr at h. */
export function sgdTaskF64(p: usize, g: usize, h: usize, i0: i32, i1: i32): void {
  sgdUpdateF64(p, g, load<f64>(h), i0, i1);
}

/** adamUpdateF32 with lrT, a1, a2, eps at h. */
export function adamTaskF32(
  p: usize,
  g: usize,
  m: usize,
  v: usize,
  h: usize,
  i0: i32,
  i1: i32,
): void {
  adamUpdateF32(
    p,
    g,
    m,
    v,
    load<f64>(h),
    load<f64>(h, 8),
    load<f64>(h, 16),
    load<f64>(h, 24),
    i0,
    i1,
  );
}

/** adamUpdateF64 with lrT, a1, a2, eps at h. */
export function adamTaskF64(
  p: usize,
  g: usize,
  m: usize,
  v: usize,
  h: usize,
  i0: i32,
  i1: i32,
): void {
  adamUpdateF64(
    p,
    g,
    m,
    v,
    load<f64>(h),
    load<f64>(h, 8),
    load<f64>(h, 16),
    load<f64>(h, 24),
    i0,
    i1,
  );
}
