// `scratchnet train`: trains a network on MNIST with a progress bar, one line per epoch and a summary.
import * as fs from 'node:fs';
import { SingleBar } from 'cli-progress';
import { saveModel, writeFileAtomic } from '../io/node.js';
import { Trainer, type EpochInfo, type IterationInfo } from '../training/index.js';
import type { OptimizerName } from '../optimizers/index.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { normalizeImages } from '../data/images.js';
import { loadDataset } from './data.js';
import { writeHistoryFigure } from './plot.js';
import { buildNetwork, wantsImages, type NetFlags } from './nets.js';

export interface TrainFlags extends NetFlags {
  optimizer: OptimizerName;
  lr?: number;
  epochs: number;
  batchSize: number;
  trainSize?: number;
  testSize?: number;
  evalSamples?: number;
  data?: string;
  save?: string;
  history?: string;
  /** a .png or .svg file for the loss and accuracy curves */
  plot?: string;
  progress: boolean;
  /** the kernels in use, for the first line */
  kernels?: string;
}

/** The book's learning rates: Adam 0.001, the others 0.01. */
function defaultLr(optimizer: OptimizerName): number {
  return optimizer === 'adam' ? 0.001 : 0.01;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** Runs `scratchnet train`; resolves to the process exit code. */
export async function train(
  flags: TrainFlags,
  out: (line: string) => void = console.log,
): Promise<number> {
  const t0 = performance.now();
  // Images stay uint8 (47 MB for MNIST's training set instead of 188 MB in float32) until a batch
  // needs them: the Trainer scales each batch to [0, 1] in the network's dtype.
  const data = loadDataset({ ...flags, images: wantsImages(flags.net), raw: true });
  const dtype = flags.dtype;
  const prepare = (x: NDArray) => normalizeImages(x, dtype);
  const net = buildNetwork(flags);
  const lr = flags.lr ?? defaultLr(flags.optimizer);
  const nParams = Object.values(net.params).reduce((s, p) => s + p.size, 0);
  out(
    `scratchnet train: ${net.kind} (${nParams.toLocaleString('en-US')} parameters, ${flags.dtype}) on ` +
      `${data.xTrain.shape[0]} training / ${data.xTest.shape[0]} test images; ` +
      `${flags.optimizer} lr=${lr}, batch ${flags.batchSize}, ${flags.epochs} epochs, seed ${flags.seed}` +
      (flags.kernels ? `; ${flags.kernels}` : ''),
  );

  const bar = flags.progress
    ? new SingleBar({
        format:
          'epoch {epoch}/{epochs} [{bar}] {value}/{total} | {rate} it/s | ETA {eta_formatted} | loss {loss}',
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
      })
    : undefined;
  let epochStart = performance.now();
  let lastRender = 0;
  const onIteration = (info: IterationInfo) => {
    if (!bar) return;
    const inEpoch = info.iter - (info.epoch - 1) * info.iterPerEpoch;
    const now = performance.now();
    if (inEpoch === 1) {
      bar.start(info.iterPerEpoch, 0, {
        epoch: info.epoch,
        epochs: flags.epochs,
        rate: '-',
        loss: '-',
      });
    }
    if (now - lastRender > 100 || inEpoch === info.iterPerEpoch) {
      lastRender = now;
      const rate = (inEpoch / Math.max(now - epochStart, 1)) * 1000;
      bar.update(inEpoch, { loss: info.loss.toFixed(4), rate: rate.toFixed(1) });
    }
  };
  const onEpoch = (info: EpochInfo) => {
    bar?.stop();
    const now = performance.now();
    out(
      `epoch ${String(info.epoch).padStart(String(flags.epochs).length)}/${flags.epochs}  ` +
        `loss ${info.meanLoss.toFixed(4)}  train acc ${info.trainAcc.toFixed(4)}  ` +
        `test acc ${info.testAcc.toFixed(4)}  ${seconds(now - epochStart)}`,
    );
    epochStart = now;
  };

  const trainer = new Trainer(net, data.xTrain, data.tTrain, data.xTest, data.tTest, {
    epochs: flags.epochs,
    miniBatchSize: flags.batchSize,
    optimizer: flags.optimizer,
    optimizerParam: { lr },
    evaluateSampleNumPerEpoch: flags.evalSamples ?? null,
    verbose: false,
    seed: flags.seed,
    onIteration,
    onEpoch,
    prepare,
  });
  const trainStart = performance.now();
  // trainAsync ends with the accuracy on the whole test set
  const testAcc = await trainer.trainAsync();
  const trainMs = performance.now() - trainStart;
  out(
    `done: test accuracy ${testAcc.toFixed(4)} on ${data.xTest.shape[0]} images; ` +
      `${trainer.maxIter} iterations in ${seconds(trainMs)} ` +
      `(${(trainMs / trainer.maxIter).toFixed(1)} ms/iteration), ${seconds(performance.now() - t0)} in all`,
  );

  const training = {
    optimizer: flags.optimizer,
    lr,
    epochs: flags.epochs,
    batchSize: flags.batchSize,
    seed: flags.seed,
    trainSize: data.xTrain.shape[0],
    testAccuracy: testAcc,
    seconds: trainMs / 1000,
  };
  if (flags.save) {
    saveModel(flags.save, net, training);
    out(`saved ${flags.save}`);
  }
  const history = {
    network: net.kind,
    config: net.config,
    training,
    trainLossList: trainer.trainLossList,
    trainAccList: trainer.trainAccList,
    testAccList: trainer.testAccList,
    iterPerEpoch: trainer.iterPerEpoch,
  };
  if (flags.history) {
    writeFileAtomic(flags.history, new TextEncoder().encode(JSON.stringify(history) + '\n'));
    out(`wrote ${flags.history}`);
  }
  if (flags.plot) {
    await writeHistoryFigure(history, flags.plot);
    out(`wrote ${flags.plot}`);
  }
  return 0;
}

/** Whether a path's directory exists (checked before a long run, not after). */
export function checkWritable(file: string | undefined, option: string): string | undefined {
  if (file === undefined) return undefined;
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) || '/' : '.';
  if (!fs.existsSync(dir))
    return `${option}: expected an existing directory for '${file}', got none at '${dir}'`;
  return undefined;
}
