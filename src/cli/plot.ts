// `scratchnet plot` and `train --plot`: the loss and accuracy curves of a training run (book §4.5.3
// figures 4-11/4-12, §6.1.8's smoothed loss) as PNG or SVG, from the run or from its --history JSON.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { savefig } from '../node/plot.js';
import { historyFigure, type TrainingHistory } from '../plot/history.js';

/** What `train --history` writes: the Trainer's lists plus what was trained and how. */
export interface HistoryFile extends TrainingHistory {
  network?: string;
  config?: unknown;
  training?: {
    optimizer?: string;
    lr?: number;
    epochs?: number;
    batchSize?: number;
    trainSize?: number;
    testAccuracy?: number;
  };
}

/**
 * Why `file` cannot take a figure, or undefined: it must end in .png or .svg and its directory
 * must exist (checked before a long run, not after).
 */
export function figureFileProblem(file: string | undefined, option: string): string | undefined {
  if (file === undefined) return undefined;
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.png' && ext !== '.svg')
    return `${option}: expected a file name ending in .png or .svg, got '${file}'`;
  const dir = path.dirname(file);
  if (!fs.existsSync(dir))
    return `${option}: expected an existing directory for '${file}', got none at '${dir}'`;
  return undefined;
}

/** One line saying what was trained, for the figure's title. */
export function historyTitle(h: HistoryFile): string {
  const t = h.training ?? {};
  const parts = [h.network ?? 'training'];
  if (t.optimizer) parts.push(`${t.optimizer}${t.lr !== undefined ? ` lr=${t.lr}` : ''}`);
  if (t.batchSize) parts.push(`batch ${t.batchSize}`);
  if (t.trainSize) parts.push(`${t.trainSize} images`);
  if (t.testAccuracy !== undefined) parts.push(`test acc ${t.testAccuracy.toFixed(4)}`);
  return parts.join(' · ');
}

/** Draws the curves of `history` into `file` (.png or .svg). */
export async function writeHistoryFigure(history: HistoryFile, file: string): Promise<void> {
  await savefig(historyFigure(history, { title: historyTitle(history) }), file);
}

/** Reads and checks a `train --history` JSON file. */
export function readHistory(file: string): HistoryFile {
  let h: unknown;
  try {
    h = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(
      `plot: expected a JSON file written by train --history, got '${file}' (${(e as Error).message})`,
      { cause: e },
    );
  }
  const rec = h as Record<string, unknown>;
  for (const key of ['trainLossList', 'trainAccList', 'testAccList']) {
    const v = rec?.[key];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' && x !== null)) {
      throw new Error(
        `plot: expected '${file}' to hold ${key}, an array of numbers (a train --history file), got ${v === undefined ? 'none' : typeof v}`,
      );
    }
    // JSON writes NaN and Infinity as null: keep them as gaps, not zeros.
    rec[key] = (v as (number | null)[]).map((x) => (x === null ? NaN : x));
  }
  return rec as unknown as HistoryFile;
}

/** The default figure name of a history file: history.json → history.png. */
export function defaultPlotOutput(file: string): string {
  const ext = path.extname(file);
  return (ext ? file.slice(0, -ext.length) : file) + '.png';
}

export interface PlotFlags {
  /** a JSON file written by `train --history` */
  file: string;
  /** the figure file (.png or .svg); default: the history file's name with .png */
  output?: string;
}

/** Runs `scratchnet plot`; returns the exit code. */
export async function plot(
  flags: PlotFlags,
  out: (line: string) => void = console.log,
): Promise<number> {
  const output = flags.output ?? defaultPlotOutput(flags.file);
  await writeHistoryFigure(readHistory(flags.file), output);
  out(`wrote ${output}`);
  return 0;
}
