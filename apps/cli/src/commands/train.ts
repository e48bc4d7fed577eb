/** `myelin train`: the main job. Options are parsed here; the run is `train/session.ts`. */
import { type Command, Option } from 'commander';
import { BACKEND_NAMES } from '../backends/setup.js';
import { DATASETS } from '../data/datasets.js';
import { EXIT } from '../errors.js';
import type { Wrap } from '../main.js';
import { INITIALISERS, type InitName } from '../model/build.js';
import { PRESETS } from '../model/presets.js';
import { ACTIVATIONS, type Activation } from '../model/spec.js';
import { nonNegativeInt, nonNegativeNumber, positiveInt, positiveNumber, probability } from '../options.js';
import { TrainDisplay, trainReport } from '../train/display.js';
import { DEFAULT_LR, OPTIMIZERS, type OptimizerName } from '../train/optimizer.js';
import { runTraining, type TrainOptions } from '../train/session.js';

interface TrainFlags {
  model?: string;
  dataset?: string;
  backend: string;
  epochs: number;
  batchSize: number;
  optimizer?: OptimizerName;
  lr?: number;
  weightDecay?: number;
  momentum?: number;
  dropout: number;
  activation: Activation;
  init: InitName;
  batchNorm: boolean;
  augment: boolean;
  seed: number;
  valSplit: number;
  limit?: number;
  save?: string | false;
  out?: string;
  plot: boolean;
  resume?: string;
}

const EXAMPLE_ARCHITECTURE = `{ "name": "tiny-cnn", "layers": [
      { "type": "conv2d", "out": 8, "kernel": 3, "padding": 1 }, { "type": "activation" },
      { "type": "maxpool2d", "kernel": 2 }, { "type": "flatten" },
      { "type": "dropout", "p": 0.2 }, { "type": "linear", "out": 10 } ] }`;

export function registerTrainCommand(program: Command, wrap: Wrap): void {
  program
    .command('train')
    .description('train a model and save a checkpoint and its loss/accuracy curves')
    .addOption(
      new Option(
        '-m, --model <preset|file.json>',
        `model: ${Object.keys(PRESETS).join(', ')}, or a JSON architecture file (default: mlp)`,
      ),
    )
    .addOption(
      new Option(
        '-d, --dataset <name|file>',
        `dataset: ${Object.keys(DATASETS).join(', ')}, or a .csv / IDX file (default: digits)`,
      ),
    )
    .addOption(
      new Option('-b, --backend <name>', 'backend: auto picks the fastest that runs here')
        .choices(['auto', ...BACKEND_NAMES])
        .default('auto'),
    )
    .addOption(
      new Option('-e, --epochs <n>', 'epochs (the total, when resuming)').argParser(positiveInt).default(30),
    )
    .addOption(new Option('--batch-size <n>', 'samples per batch').argParser(positiveInt).default(32))
    .addOption(new Option('--optimizer <name>', 'optimiser (default: adam)').choices(OPTIMIZERS))
    .addOption(
      new Option(
        '--lr <rate>',
        `learning rate (default: ${OPTIMIZERS.map((n) => `${n} ${DEFAULT_LR[n]}`).join(', ')})`,
      ).argParser(positiveNumber),
    )
    .addOption(
      new Option('--weight-decay <w>', 'weight decay (default: 0; adamw 0.01)').argParser(nonNegativeNumber),
    )
    .addOption(
      new Option('--momentum <m>', 'momentum of sgd and rmsprop (default: sgd 0.9, rmsprop 0)').argParser(
        nonNegativeNumber,
      ),
    )
    .addOption(
      new Option('--dropout <p>', 'dropout after each hidden block of a preset')
        .argParser(probability)
        .default(0),
    )
    .addOption(
      new Option('--activation <name>', 'activation of the presets (and of "activation" layers)')
        .choices(ACTIVATIONS)
        .default('relu'),
    )
    .addOption(
      new Option('--init <name>', "weight initialiser (default: PyTorch's per layer)")
        .choices(INITIALISERS)
        .default('default'),
    )
    .addOption(
      new Option('--batch-norm', 'batch normalisation after each hidden layer of a preset').default(false),
    )
    .addOption(new Option('--no-batch-norm', 'no batch normalisation (the default)'))
    .addOption(
      new Option('--augment', 'augment the training data (random shifts of images, noise otherwise)').default(
        false,
      ),
    )
    .addOption(new Option('--no-augment', 'no augmentation (the default)'))
    .addOption(
      new Option('--seed <n>', 'random seed: weights, shuffling, dropout, augmentation')
        .argParser(nonNegativeInt)
        .default(0),
    )
    .addOption(
      new Option('--val-split <f>', 'fraction of the training data held out for validation')
        .argParser(probability)
        .default(0.1),
    )
    .addOption(
      new Option('--limit <n>', 'use at most n samples of each split (quick runs)').argParser(positiveInt),
    )
    .addOption(
      new Option(
        '--save <path>',
        'write the checkpoint here (curves next to it); default runs/<time>/model.safetensors',
      ),
    )
    .addOption(new Option('--no-save', 'do not write a checkpoint'))
    .addOption(
      new Option('--out <dir>', "folder of the run's files when --save is not given (default runs/<time>)"),
    )
    .addOption(new Option('--no-plot', 'do not draw the loss/accuracy curves'))
    .addOption(
      new Option('--resume <path>', 'continue training a checkpoint (its model, data and optimiser state)'),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ myelin train                                   MLP on the bundled digits, 30 epochs (~98% test accuracy)
  $ myelin train -m lenet --augment -e 30          LeNet on digits with random shifts
  $ myelin train -m cnn -d fashion-mnist -e 5 -b worker --save fm.safetensors
  $ myelin train -d moons -o sgd --lr 0.05 --activation tanh
  $ myelin train -d my-data.csv -e 50              a CSV: one sample per row, the class in the last column
  $ myelin train -m my-net.json                    a custom architecture (below)
  $ myelin train --resume fm.safetensors -e 10     5 more epochs of the run above
  $ myelin train --json --no-plot | jq .test       machine-readable result

A custom architecture file lists layers; input sizes are inferred from the dataset:
  ${EXAMPLE_ARCHITECTURE}
Layer types: linear (out), conv2d (out, kernel, stride, padding), maxpool2d / avgpool2d (kernel, stride),
batchnorm, dropout (p), flatten, relu, leaky-relu, prelu, rrelu, tanh, sigmoid, activation (--activation).

Ctrl-C stops at the end of the current batch, saves the checkpoint (unless --no-save) and exits with 130.`,
    )
    .action(
      wrap<TrainFlags>(async (flags, out, ctx) => {
        const options: TrainOptions = {
          model: flags.model,
          dataset: flags.dataset,
          backend: flags.backend,
          epochs: flags.epochs,
          batchSize: flags.batchSize,
          optimizer: flags.optimizer,
          lr: flags.lr,
          weightDecay: flags.weightDecay,
          momentum: flags.momentum,
          dropout: flags.dropout,
          activation: flags.activation,
          init: flags.init,
          batchNorm: flags.batchNorm,
          augment: flags.augment,
          seed: flags.seed,
          valSplit: flags.valSplit,
          limit: flags.limit,
          save: typeof flags.save === 'string' ? flags.save : undefined,
          saveDefault: flags.save !== false,
          out: flags.out,
          plot: flags.plot,
          resume: flags.resume,
        };
        const display = new TrainDisplay(out);
        const result = await runTraining(options, display, ctx.signal);
        if (out.json) out.emitJson(trainReport(result));
        else display.summary(result);
        return result.interrupted ? EXIT.interrupted : EXIT.ok;
      }),
    );
}
