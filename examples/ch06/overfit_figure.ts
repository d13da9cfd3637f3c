// The train/test accuracy figure of the chapter 6.4 overfitting examples (book figures 6-20 to
// 6-23): one panel per run, without and with the regulariser, side by side.
import { Figure } from '../../src/plot/index.js';
import { plotMarkEvery } from '../common.js';

/** One run's accuracy per epoch and the panel title. */
export interface OverfitRun {
  title: string;
  trainAccList: number[];
  testAccList: number[];
}

/** Train (o) and test (s) accuracy per epoch, markers every 10 epochs, y in [0, 1], per run. */
export function overfitFigure(runs: readonly OverfitRun[]): Figure {
  const fig = new Figure({ width: 560 * runs.length, height: 440 });
  const axes = fig.subplots(1, runs.length);
  runs.forEach((run, i) => {
    const ax = axes[i];
    const x = run.trainAccList.map((_, e) => e);
    plotMarkEvery(ax, x, run.trainAccList, {
      color: 'C0',
      marker: 'o',
      markEvery: 10,
      label: 'train',
    });
    plotMarkEvery(ax, x, run.testAccList, {
      color: 'C1',
      marker: 's',
      markEvery: 10,
      label: 'test',
    });
    ax.setXLabel('epochs').setYLabel('accuracy').setYLim(0, 1.0).setTitle(run.title);
    ax.legend({ loc: 'lower right' });
  });
  return fig;
}

/** The gap between the last train and test accuracies: how much the network overfits. */
export function finalGap(run: Pick<OverfitRun, 'trainAccList' | 'testAccList'>): number {
  return (
    run.trainAccList[run.trainAccList.length - 1] - run.testAccList[run.testAccList.length - 1]
  );
}
