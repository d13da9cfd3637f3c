// The `scratchnet` command line: train, eval, predict, gradcheck, plot and show. Usage errors print
// one line and exit with code 2; `--help` works on every command.
import * as fs from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { OPTIMIZER_NAMES } from '../optimizers/index.js';
import * as parse from './args.js';
import { evaluate, predict } from './eval.js';
import { gradcheck } from './gradcheck.js';
import { figureFileProblem, plot } from './plot.js';
import { show } from './show.js';
import { NET_NAMES, type NetFlags, type NetName } from './nets.js';
import { checkWritable, train } from './train.js';
import { setupRuntime, type BackendName, type RuntimeFlags } from './runtime.js';

/** Default hidden sizes per network: the book's (two-layer 50; multi-layer 100,100; conv 100). */
function hiddenFor(net: NetName, given?: number[]): number[] {
  if (given) return given;
  return net === 'two-layer'
    ? [50]
    : net === 'multi-layer' || net === 'multi-layer-extend'
      ? [100, 100]
      : [100];
}

const netOption = (fallback?: NetName) => {
  const o = new Option('--net <name>', 'network').choices(Object.keys(NET_NAMES));
  return fallback ? o.default(fallback) : o;
};

type Opts = Record<string, unknown>;

function netFlags(o: Opts): NetFlags {
  const net = o.net as NetName;
  return {
    net,
    hidden: hiddenFor(net, o.hidden as number[] | undefined),
    activation: (o.activation as 'relu' | 'sigmoid') ?? 'relu',
    weightInit: o.weightInit as NetFlags['weightInit'],
    weightDecay: (o.weightDecay as number) ?? 0,
    dropout: o.dropout === true ? 0.5 : (o.dropout as number | undefined),
    batchnorm: Boolean(o.batchnorm),
    seed: (o.seed as number) ?? 1,
    dtype: (o.dtype as 'float32' | 'float64') ?? 'float32',
  };
}

class UsageError extends Error {}

const backendOption = () =>
  new Option(
    '--backend <name>',
    'kernels: wasm (SIMD, all cores) or reference (plain TypeScript)',
  ).choices(['wasm', 'reference']);

const threadsOption = () =>
  new Option('--threads <n>', 'worker threads of the wasm kernels (default: all cores)').argParser(
    parse.positiveInt,
  );

function runtimeFlags(o: Opts): RuntimeFlags {
  return {
    backend: o.backend as BackendName | undefined,
    threads: o.threads as number | undefined,
  };
}

/** Builds the command tree; actions store their exit code in `result`. */
function program(result: { code: number | Promise<number> }): Command {
  const prog = new Command('scratchnet')
    .description(
      "Deep Learning from Scratch in TypeScript: train and use the book's networks on MNIST.",
    )
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (s, write) => write(s.split('\n')[0] + '\n') });

  prog
    .command('train')
    .description(
      'train a network on MNIST (no arguments: a 784-100-100-10 ReLU network, Adam, 5 epochs)',
    )
    .addOption(netOption('multi-layer'))
    .option(
      '--hidden <sizes>',
      'hidden layer sizes, comma-separated (book defaults per network)',
      parse.sizeList,
    )
    .addOption(
      new Option('--activation <name>', 'hidden activation')
        .choices(['relu', 'sigmoid'])
        .default('relu'),
    )
    .option(
      '--weight-init <std>',
      'initial weight scale: a number, he, relu, xavier or sigmoid',
      parse.weightInit,
    )
    .addOption(
      new Option('--optimizer <name>', 'optimizer').choices([...OPTIMIZER_NAMES]).default('adam'),
    )
    .option(
      '--lr <rate>',
      'learning rate (default: 0.001 for adam, 0.01 otherwise)',
      parse.positive,
    )
    .option('--epochs <n>', 'passes over the training set', parse.positiveInt, 5)
    .option('--batch-size <n>', 'mini-batch size', parse.positiveInt, 100)
    .option(
      '--weight-decay <lambda>',
      'L2 weight decay λ (multi-layer networks)',
      parse.nonNegative,
      0,
    )
    .option(
      '--dropout [ratio]',
      'dropout after each hidden layer (ratio 0.5 if not given)',
      parse.ratio,
    )
    .option('--batchnorm', 'batch normalization after each hidden affine layer')
    .option('--seed <n>', 'seed of initial weights and mini-batches', parse.nonNegativeInt, 1)
    .addOption(
      new Option('--dtype <dtype>', 'float type of training')
        .choices(['float32', 'float64'])
        .default('float32'),
    )
    .option('--train-size <n>', 'use the first n training images', parse.positiveInt)
    .option('--test-size <n>', 'use the first n test images', parse.positiveInt)
    .option(
      '--eval-samples <n>',
      'evaluate each epoch on the first n train/test images only',
      parse.positiveInt,
    )
    .option(
      '--data <dir>',
      'directory of IDX files (e.g. Fashion-MNIST) instead of the bundled MNIST',
    )
    .option('--save <file>', 'save the trained model (safetensors)')
    .option('--history <file>', 'write loss and accuracy history as JSON')
    .option('--plot <file>', 'draw the loss and accuracy curves (.png or .svg)')
    .option('--no-progress', 'no progress bar')
    .addOption(backendOption())
    .addOption(threadsOption())
    .action(async (o: Opts) => {
      for (const [file, opt] of [
        [o.save, '--save'],
        [o.history, '--history'],
      ] as const) {
        const problem = checkWritable(file as string | undefined, opt);
        if (problem) throw new UsageError(problem);
      }
      const plotProblem = figureFileProblem(o.plot as string | undefined, '--plot');
      if (plotProblem) throw new UsageError(plotProblem);
      const flags = netFlags(o);
      if (
        (o.dropout !== undefined || o.batchnorm) &&
        flags.net !== 'multi-layer' &&
        flags.net !== 'multi-layer-extend'
      ) {
        throw new UsageError(
          `--dropout/--batchnorm: expected --net multi-layer, got --net ${flags.net}`,
        );
      }
      const kernels = await setupRuntime(runtimeFlags(o));
      result.code = train({
        ...flags,
        kernels,
        optimizer: o.optimizer as never,
        lr: o.lr as number | undefined,
        epochs: o.epochs as number,
        batchSize: o.batchSize as number,
        trainSize: o.trainSize as number | undefined,
        testSize: o.testSize as number | undefined,
        evalSamples: o.evalSamples as number | undefined,
        data: o.data as string | undefined,
        save: o.save as string | undefined,
        history: o.history as string | undefined,
        plot: o.plot as string | undefined,
        progress: (o.progress as boolean) && Boolean(process.stderr.isTTY),
      });
    });

  prog
    .command('eval')
    .description('test accuracy, per-class accuracy and confusion matrix of a model')
    .argument('[file]', 'model file saved by train --save')
    .addOption(netOption())
    .option('--params <file.npz>', "the book's NumPy weights (np.savez(file, **params)) for --net")
    .option('--hidden <sizes>', 'hidden sizes of --net (for --params)', parse.sizeList)
    .addOption(
      new Option('--dtype <dtype>', 'float type for --params')
        .choices(['float32', 'float64'])
        .default('float64'),
    )
    .option('--data <dir>', 'directory of IDX files instead of the bundled MNIST')
    .option('--test-size <n>', 'use the first n test images', parse.positiveInt)
    .option(
      '--misclassified [n]',
      'list misclassified test images (20 if n is not given)',
      parse.positiveInt,
    )
    .option(
      '--misclassified-png <file>',
      'draw misclassified digits titled predicted/true (.png or .svg; as many as --misclassified)',
    )
    .addOption(backendOption())
    .addOption(threadsOption())
    .action(async (file: string | undefined, o: Opts) => {
      checkModelArgs(file, o);
      const pngProblem = figureFileProblem(
        o.misclassifiedPng as string | undefined,
        '--misclassified-png',
      );
      if (pngProblem) throw new UsageError(pngProblem);
      await setupRuntime(runtimeFlags(o));
      result.code = evaluate({
        file,
        net: o.net as NetName | undefined,
        params: o.params as string | undefined,
        hidden: o.hidden as number[] | undefined,
        dtype: o.dtype as 'float32' | 'float64',
        data: o.data as string | undefined,
        testSize: o.testSize as number | undefined,
        misclassified: o.misclassified === true ? 20 : (o.misclassified as number | undefined),
        misclassifiedPng: o.misclassifiedPng as string | undefined,
      });
    });

  prog
    .command('predict')
    .description('classify image files (PNG or JPEG, any size: made grayscale 28×28)')
    .argument('<model>', 'model file saved by train --save (or - with --net and --params)')
    .argument('<images...>', 'image files')
    .addOption(netOption())
    .option('--params <file.npz>', "the book's NumPy weights for --net")
    .option('--hidden <sizes>', 'hidden sizes of --net (for --params)', parse.sizeList)
    .addOption(backendOption())
    .addOption(threadsOption())
    .action(async (model: string, images: string[], o: Opts) => {
      const file = model === '-' ? undefined : model;
      checkModelArgs(file, o);
      await setupRuntime(runtimeFlags(o));
      result.code = predict({
        file,
        images,
        net: o.net as NetName | undefined,
        params: o.params as string | undefined,
        hidden: o.hidden as number[] | undefined,
      });
    });

  prog
    .command('gradcheck')
    .description("compare backpropagation with numerical gradients (the book's gradient_check.py)")
    .addOption(netOption('two-layer'))
    .option('--hidden <sizes>', 'hidden layer sizes', parse.sizeList)
    .addOption(
      new Option('--activation <name>', 'hidden activation')
        .choices(['relu', 'sigmoid'])
        .default('relu'),
    )
    .option('--batchnorm', 'batch normalization (multi-layer)')
    .option('--weight-decay <lambda>', 'L2 weight decay λ', parse.nonNegative, 0)
    .option('--samples <n>', 'training images in the batch', parse.positiveInt, 3)
    .option('--seed <n>', 'seed of the initial weights', parse.nonNegativeInt, 1)
    .option('--data <dir>', 'directory of IDX files instead of the bundled MNIST')
    .addOption(backendOption())
    .addOption(threadsOption())
    .action(async (o: Opts) => {
      await setupRuntime(runtimeFlags(o));
      result.code = gradcheck({
        ...netFlags(o),
        samples: o.samples as number,
        data: o.data as string | undefined,
      });
    });

  prog
    .command('plot')
    .description('draw the loss and accuracy curves of a train --history JSON file')
    .argument('<history.json>', 'a file written by train --history')
    .option('-o, --output <file>', 'figure file, .png or .svg (default: <history>.png)')
    .action((file: string, o: Opts) => {
      if (!fs.existsSync(file))
        throw new UsageError(`plot: expected an existing history file, got '${file}'`);
      const output = o.output as string | undefined;
      const problem = figureFileProblem(output, '--output');
      if (problem) throw new UsageError(problem);
      result.code = plot({ file, output });
    });

  prog
    .command('show')
    .description('draw MNIST digits with their labels')
    .requiredOption('--mnist <start:end>', 'indices of the images, e.g. 0:16', parse.range)
    .option('--test', 'from the test set (default: the training set)')
    .option('--cols <n>', 'images per row', parse.positiveInt)
    .option('-o, --output <file>', 'figure file, .png or .svg (default: mnist_train_0-16.png)')
    .option('--data <dir>', 'directory of IDX files instead of the bundled MNIST')
    .action((o: Opts) => {
      const output = o.output as string | undefined;
      const problem = figureFileProblem(output, '--output');
      if (problem) throw new UsageError(problem);
      result.code = show({
        mnist: o.mnist as [number, number],
        test: Boolean(o.test),
        output,
        cols: o.cols as number | undefined,
        data: o.data as string | undefined,
      });
    });

  return prog;
}

function checkModelArgs(file: string | undefined, o: Opts): void {
  if (file !== undefined && o.params !== undefined)
    throw new UsageError('expected a model file or --params, got both');
  if (file === undefined && o.params === undefined)
    throw new UsageError('expected a model file or --net with --params, got neither');
  if (o.params !== undefined && o.net === undefined)
    throw new UsageError('--params: expected --net to name the network, got none');
}

/** Runs the command line `argv` (without `node` and the script); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const result: { code: number | Promise<number> } = { code: 0 };
  const prog = program(result);
  for (const c of prog.commands) {
    c.exitOverride().configureOutput({ outputError: (s, write) => write(s.split('\n')[0] + '\n') });
  }
  try {
    if (argv.length === 0) {
      prog.outputHelp();
      return 2;
    }
    await prog.parseAsync([...argv], { from: 'user' });
    return await result.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return 0;
      return 2; // commander has printed its one-line message
    }
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    const err = e as Error & { code?: string; path?: string };
    // A file named on the command line that is missing or a directory: a usage error.
    if (err.code === 'ENOENT' && err.path) {
      console.error(`error: cannot read '${err.path}': no such file`);
      return 2;
    }
    if (err.code === 'EISDIR') {
      console.error('error: expected a file, got a directory');
      return 2;
    }
    console.error(`scratchnet: ${err.message}`);
    return 1;
  }
}
