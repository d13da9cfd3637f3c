// The figures the chapter 7–8 examples share (not a book listing): the accuracy curves that
// ch07/train_convnet.py draws after training, used for SimpleConvNet and DeepConvNet alike.
import { Figure } from '../../src/plot/figure.js';
import { pyFloat } from '../ch01/python.js';

/** What {@link accuracyFigure} draws: accuracies measured after each epoch. */
export interface AccuracyCurves {
  /** Training accuracy after epoch 1, 2, … (on the first 1000 training images). */
  trainAccList: readonly number[];
  /** Test accuracy after epoch 1, 2, … (on the first 1000 test images). */
  testAccList: readonly number[];
  /** Accuracy on the whole test set after training. */
  testAcc: number;
}

/**
 * The book's train_convnet.py figure: train ('o') and test ('s') accuracy per epoch, y from 0 to 1,
 * legend lower right, titled with the network and its final test accuracy. The book's Trainer
 * measures once before the first epoch ends, ours after each epoch, so x runs 1…epochs.
 */
export function accuracyFigure(result: AccuracyCurves, network: string): Figure {
  const x = result.trainAccList.map((_, i) => i + 1);
  const fig = new Figure();
  const ax = fig.gca();
  ax.plot(x, result.trainAccList, { marker: 'o', label: 'train' });
  ax.plot(x, result.testAccList, { marker: 's', label: 'test' });
  ax.setXLabel('epochs').setYLabel('accuracy').setYLim(0, 1.0).legend({ loc: 'lower right' });
  ax.setTitle(`${network}: final test accuracy ${pyFloat(result.testAcc)}`);
  // Whole epochs only (one epoch would get ticks at 0.96, 0.98, …), at most about ten of them.
  const step = Math.max(1, Math.ceil(x.length / 10));
  ax.setXTicks(x.filter((e) => e % step === 0));
  if (x.length === 1) ax.setXLim(0.5, 1.5);
  return fig;
}
