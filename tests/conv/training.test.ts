// CI-sized training (§7.5, ch07/train_convnet.py shortened): SimpleConvNet learns MNIST well above chance in one epoch.
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/mnist.js';
import { SimpleConvNet } from '../../src/networks/simpleConvNet.js';
import { Trainer } from '../../src/training/trainer.js';

describe('SimpleConvNet training', () => {
  it('reaches well above chance after one epoch on 3000 MNIST images', () => {
    const d = loadMnist({ flatten: false, dtype: 'float32' });
    const xTrain = d.xTrain.index(':3000'); // (3000, 1, 28, 28)
    const tTrain = d.tTrain.index(':3000');
    const xTest = d.xTest.index(':1000');
    const tTest = d.tTest.index(':1000');
    // The book's network with 10 filters and 50 hidden neurons instead of 30 and 100, so that it
    // runs in a few seconds on the reference kernels; the book's Adam lr 0.001.
    const network = new SimpleConvNet({
      convParam: { filterNum: 10 },
      hiddenSize: 50,
      dtype: 'float32',
      seed: 0,
    });
    const trainer = new Trainer(network, xTrain, tTrain, xTest, tTest, {
      epochs: 1,
      miniBatchSize: 50,
      optimizer: 'Adam',
      optimizerParam: { lr: 0.001 },
      evaluateSampleNumPerEpoch: 100,
      seed: 1,
      verbose: false,
    });
    const testAcc = trainer.train();
    expect(trainer.trainLossList).toHaveLength(60);
    // the loss falls from ln 10 ≈ 2.3 and the accuracy is far above chance (0.1)
    expect(trainer.trainLossList.at(-1)!).toBeLessThan(1.5);
    expect(testAcc).toBeGreaterThan(0.5);
  });
});
