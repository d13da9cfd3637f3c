// Contour lines of a function sampled on a grid by marching squares (the book's plt.contour of
// chapter 6's optimizer comparison), joined into polylines.

/** One connected contour line: its level, its points in data coordinates, whether it closes. */
export interface ContourLine {
  level: number;
  points: [number, number][];
  closed: boolean;
}

/**
 * Contour lines of `z` at `level` by marching squares. Cells with a NaN corner are skipped, so NaN
 * masks a region (the book masks z > 7 this way). Saddles are split by the cell's mean value.
 * @param xs (nx) grid x coordinates, increasing
 * @param ys (ny) grid y coordinates, increasing
 * @param z (ny, nx) row-major samples: `z[j * nx + i]` is the value at `(xs[i], ys[j])`
 * @example contourLines([0, 1], [0, 1], [0, 0, 1, 1], 0.5) // [{ level: 0.5, points: [[1, 0.5], [0, 0.5]], closed: false }]
 */
export function contourLines(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  z: ArrayLike<number>,
  level: number,
): ContourLine[] {
  const nx = xs.length;
  const ny = ys.length;
  if (z.length !== nx * ny) {
    throw new Error(`contourLines: expected z of ${ny}×${nx} = ${nx * ny} values, got ${z.length}`);
  }
  // Edge ids: 2·(j·nx + i) is the horizontal edge (i,j)–(i+1,j); +1 the vertical edge (i,j)–(i,j+1).
  // Both cells sharing an edge compute the same id, which is how segments are joined exactly.
  const at = (i: number, j: number) => z[j * nx + i];
  const above = (v: number) => v >= level;
  const segs: number[] = [];
  for (let j = 0; j < ny - 1; j++) {
    for (let i = 0; i < nx - 1; i++) {
      const v0 = at(i, j);
      const v1 = at(i + 1, j);
      const v2 = at(i + 1, j + 1);
      const v3 = at(i, j + 1);
      if (Number.isNaN(v0) || Number.isNaN(v1) || Number.isNaN(v2) || Number.isNaN(v3)) continue;
      const b0 = above(v0);
      const b1 = above(v1);
      const b2 = above(v2);
      const b3 = above(v3);
      const e0 = 2 * (j * nx + i); // bottom
      const e1 = 2 * (j * nx + i + 1) + 1; // right
      const e2 = 2 * ((j + 1) * nx + i); // top
      const e3 = 2 * (j * nx + i) + 1; // left
      const cross: number[] = [];
      if (b0 !== b1) cross.push(e0);
      if (b1 !== b2) cross.push(e1);
      if (b3 !== b2) cross.push(e2);
      if (b0 !== b3) cross.push(e3);
      if (cross.length === 2) segs.push(cross[0], cross[1]);
      else if (cross.length === 4) {
        const centre = above((v0 + v1 + v2 + v3) / 4);
        // Centre on v0's side: v0 and v2 connect through the middle, so v1 and v3 are cut off.
        if (centre === b0) segs.push(e0, e1, e2, e3);
        else segs.push(e3, e0, e1, e2);
      }
    }
  }
  const point = (edge: number): [number, number] => {
    const cell = edge >> 1;
    const i = cell % nx;
    const j = (cell - i) / nx;
    const [i2, j2] = edge & 1 ? [i, j + 1] : [i + 1, j];
    const za = at(i, j);
    const t = (level - za) / (at(i2, j2) - za);
    return [xs[i] + t * (xs[i2] - xs[i]), ys[j] + t * (ys[j2] - ys[j])];
  };
  const nseg = segs.length / 2;
  const adj = new Map<number, number[]>();
  for (let s = 0; s < nseg; s++) {
    for (const e of [segs[2 * s], segs[2 * s + 1]]) {
      const list = adj.get(e);
      if (list) list.push(s);
      else adj.set(e, [s]);
    }
  }
  const used = new Uint8Array(nseg);
  const lines: ContourLine[] = [];
  const walk = (start: number, firstSeg: number) => {
    const edges = [start];
    let cur = start;
    let seg = firstSeg;
    for (;;) {
      used[seg] = 1;
      cur = segs[2 * seg] === cur ? segs[2 * seg + 1] : segs[2 * seg];
      edges.push(cur);
      const next = adj.get(cur)?.find((s) => !used[s]);
      if (next === undefined) break;
      seg = next;
    }
    const closed = edges.length > 2 && edges[0] === edges[edges.length - 1];
    lines.push({ level, points: edges.map(point), closed });
  };
  // Open lines first, from an end (an edge on the boundary or next to a masked cell) …
  for (const [edge, list] of adj) if (list.length === 1 && !used[list[0]]) walk(edge, list[0]);
  // … then the closed loops that remain.
  for (let s = 0; s < nseg; s++) if (!used[s]) walk(segs[2 * s], s);
  return lines;
}
