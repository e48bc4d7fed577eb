/**
 * One training run, from options to files: checkpoint to resume, dataset, architecture, backend, model,
 * optimiser, the epochs (through @myelin/layers' `fit`), the test evaluation, the checkpoint and the curves.
 * The display is the caller's (see `TrainDisplay`); this module only reports events to it.
 */
import { mkdir } from 'node:fs/promises';
import { manualSeed } from '@myelin/core';
// `fit` is renamed: biome reads a call named fit as a focused test (jasmine's fit).
import { crossEntropy, type EpochLog, evaluate, fit as fitModel, type Module } from '@myelin/layers';
import { type BackendChoice, selectBackend, type Workload } from '../backends/setup.js';
import {
  type CheckpointMeta,
  type LoadedCheckpoint,
  loadCheckpoint,
  type OptimizerSettings,
  restoreInto,
  saveCheckpoint,
} from '../checkpoint/checkpoint.js';
import { type RunPaths, runPaths } from '../checkpoint/paths.js';
import { type LoadedDataset, loadDataset, splitValidation } from '../data/datasets.js';
import { usageError } from '../errors.js';
import { buildModel, type InitName } from '../model/build.js';
import { architectureFor, resolveFor } from '../model/load.js';
import {
  type Activation,
  type Architecture,
  describeLayer,
  modelCost,
  type ResolvedLayer,
} from '../model/spec.js';
import type { EpochRecord } from '../plot/curves.js';
import { evalLoader, trainLoader } from './batches.js';
import { type AnyOptimizer, makeOptimizer, type OptimizerName, optimizerSettings } from './optimizer.js';

/** The options of `myelin train`, after parsing. `undefined` means "not given" (defaults or the checkpoint's). */
export interface TrainOptions {
  model?: string | undefined;
  dataset?: string | undefined;
  backend: string;
  epochs: number;
  batchSize: number;
  optimizer?: OptimizerName | undefined;
  lr?: number | undefined;
  weightDecay?: number | undefined;
  momentum?: number | undefined;
  dropout: number;
  activation: Activation;
  init: InitName;
  batchNorm: boolean;
  augment: boolean;
  seed: number;
  valSplit: number;
  limit?: number | undefined;
  save?: string | undefined;
  /** False with `--no-save`. */
  saveDefault: boolean;
  out?: string | undefined;
  plot: boolean;
  resume?: string | undefined;
}

/** What the display is told while the run goes. */
export interface TrainEvents {
  /** Everything is set up; training starts (after `startEpoch` epochs done by a resumed run). */
  start(info: RunInfo): void;
  epochStart(epoch: number, epochs: number, samples: number): void;
  batch(done: number, total: number, samplesPerSecond: number, meanLoss: number): void | Promise<void>;
  epochEnd(record: EpochRecord, epochs: number, samplesPerSecond: number, partial: boolean): void;
  /** Long steps after training (test evaluation, saving, plotting). */
  phase(text: string): void;
}

export interface RunInfo {
  modelName: string;
  modelSource: string;
  layers: ResolvedLayer[];
  params: number;
  dataset: LoadedDataset;
  trainSamples: number;
  valSamples: number;
  backend: BackendChoice;
  optimizer: OptimizerSettings;
  epochs: number;
  startEpoch: number;
  resumedFrom: string | null;
  paths: RunPaths;
}

export interface TrainResult {
  info: RunInfo;
  history: EpochRecord[];
  /** Test loss and accuracy; null when the run was interrupted (the test pass is skipped). */
  test: { loss: number; accuracy: number; samples: number } | null;
  seconds: number;
  trainSeconds: number;
  interrupted: boolean;
  checkpoint: string | null;
  plots: { svg: string; png: string } | null;
  /** Files that could not be written, as warnings. */
  warnings: string[];
}

/** Runs a training session. Throws `CliError`s for anything the user can fix. */
export async function runTraining(
  o: TrainOptions,
  events: TrainEvents,
  signal: AbortSignal,
): Promise<TrainResult> {
  const started = performance.now();
  const resumed: LoadedCheckpoint | null = o.resume ? await loadCheckpoint(o.resume) : null;
  const meta = resumed?.meta;

  const datasetName = o.dataset ?? meta?.dataset.name ?? 'digits';
  const dataset = await loadDataset(datasetName, { limit: o.limit });
  if (meta) checkSameData(meta, dataset, resumed?.path ?? '');

  const modelSource = o.model ?? meta?.modelSource ?? 'mlp';
  const arch: Architecture =
    meta && o.model === undefined
      ? meta.architecture
      : architectureFor(modelSource, dataset.classes, {
          activation: o.activation,
          dropout: o.dropout,
          batchNorm: o.batchNorm,
        });
  const layers = resolveFor(arch, dataset.inputShape, dataset.classes, dataset.name, modelSource);
  if (meta && resumed && JSON.stringify(arch.layers) !== JSON.stringify(meta.architecture.layers)) {
    throw usageError(
      `the checkpoint ${resumed.path} is from another architecture: it holds '${meta.architecture.name}' (${meta.architecture.layers.map(describeLayer).join(' → ')}), but this run builds '${arch.name}' (${arch.layers.map(describeLayer).join(' → ')})`,
      'drop --model (and --activation, --dropout, --batch-norm) to continue the checkpoint, or drop --resume to start afresh',
    );
  }

  const startEpoch = resumed?.epoch ?? 0;
  if (meta && startEpoch >= o.epochs) {
    throw usageError(
      `the checkpoint ${resumed?.path} has already trained ${startEpoch} epoch${startEpoch === 1 ? '' : 's'}, and --epochs ${o.epochs} asks for no more`,
      `--epochs is the total when resuming: pass --epochs ${startEpoch + 5} to train 5 more`,
    );
  }
  const optimizerName = o.optimizer ?? (meta?.training.optimizer.name as OptimizerName | undefined) ?? 'adam';
  const sameOptimizer = meta !== undefined && meta.training.optimizer.name === optimizerName;
  const settings = optimizerSettings(optimizerName, {
    lr: o.lr ?? (sameOptimizer ? meta?.training.optimizer.lr : undefined),
    weightDecay: o.weightDecay ?? (sameOptimizer ? meta?.training.optimizer.weightDecay : undefined),
    momentum: o.momentum ?? (sameOptimizer ? meta?.training.optimizer.momentum : undefined),
  });
  const seed = o.seed;

  const cost = modelCost(layers);
  const work: Workload = {
    macsPerSample: cost.macs,
    largestLayerMacs: cost.largestMacs,
    batchSize: o.batchSize,
  };
  const backend = await selectBackend(o.backend, work);

  const paths = runPaths({
    save: o.save ?? (resumed && !o.out ? resumed.path : undefined),
    saveDefault: o.saveDefault,
    out: o.out,
    plot: o.plot,
  });
  if (paths.checkpoint || paths.plotBase) {
    try {
      await mkdir(paths.dir, { recursive: true });
    } catch (error) {
      throw usageError(
        `cannot create the folder ${paths.dir} for the run's files (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        'pass --save PATH or --out DIR somewhere writable',
      );
    }
  }
  const { train, val } = splitValidation(dataset.train, o.valSplit, seed);

  manualSeed(seed);
  const model = buildModel(layers, o.init);
  let optimizer: AnyOptimizer | undefined;
  try {
    optimizer = makeOptimizer(settings, model.parameters());
    const restoreOptimizer = resumed !== null && sameOptimizer && resumed.optimizerType !== null;
    if (resumed) restoreInto(resumed, model, arch.name, restoreOptimizer ? optimizer : undefined);
    if (restoreOptimizer) {
      // The saved state carries its hyperparameters; flags given now win over them.
      for (const group of optimizer.paramGroups as Array<Record<string, unknown>>) {
        group.lr = settings.lr;
        if ('weightDecay' in group) group.weightDecay = settings.weightDecay;
        if ('momentum' in group) group.momentum = settings.momentum;
      }
    }

    const info: RunInfo = {
      modelName: arch.name,
      modelSource,
      layers,
      params: cost.params,
      dataset,
      trainSamples: train.n,
      valSamples: val?.n ?? 0,
      backend,
      optimizer: settings,
      epochs: o.epochs,
      startEpoch,
      resumedFrom: resumed?.path ?? null,
      paths,
    };
    events.start(info);

    const history: EpochRecord[] = [...(meta?.training.history ?? [])];
    const trainStarted = performance.now();
    const fitResult = await trainEpochs(
      model,
      optimizer,
      train,
      val,
      o,
      startEpoch,
      resumed?.step ?? 0,
      events,
      signal,
      history,
    );
    const trainSeconds = (performance.now() - trainStarted) / 1000;
    const interrupted = signal.aborted;
    const epochsCompleted = fitResult.completed;

    let test: TrainResult['test'] = null;
    if (!interrupted) {
      events.phase(`testing on ${dataset.test.n.toLocaleString('en-US')} held-out samples`);
      const evaluation = await evaluate(model, evalLoader(dataset.test), {
        loss: crossEntropy,
        metrics: ['loss', 'accuracy'],
      });
      test = {
        loss: evaluation.loss ?? Number.NaN,
        accuracy: evaluation.accuracy ?? Number.NaN,
        samples: evaluation.samples,
      };
    }

    const warnings: string[] = [];
    let checkpoint: string | null = null;
    if (paths.checkpoint) {
      events.phase('saving the checkpoint');
      await saveCheckpoint(paths.checkpoint, {
        model,
        optimizer,
        epoch: epochsCompleted,
        step: fitResult.steps,
        meta: {
          architecture: arch,
          modelSource,
          inputShape: dataset.inputShape,
          classes: dataset.classes,
          classNames: dataset.classNames,
          dataset: { name: dataset.name, standardisation: dataset.standardisation },
          training: {
            optimizer: settings,
            batchSize: o.batchSize,
            seed,
            init: o.init,
            augment: o.augment,
            history,
            interrupted,
          },
        },
      });
      checkpoint = paths.checkpoint;
    }
    let plots: TrainResult['plots'] = null;
    if (paths.plotBase && history.length > 0) {
      events.phase('drawing the curves');
      try {
        // Vega and resvg take about a second to load: only runs that draw pay for them.
        const { writeCurves } = await import('../plot/curves.js');
        plots = await writeCurves(
          history,
          paths.plotBase,
          `${arch.name} on ${dataset.name} (${backend.name})`,
        );
      } catch (error) {
        warnings.push(`the curves could not be written (${(error as Error).message})`);
      }
    }
    return {
      info,
      history,
      test,
      seconds: (performance.now() - started) / 1000,
      trainSeconds,
      interrupted,
      checkpoint,
      plots,
      warnings,
    };
  } finally {
    model.dispose();
    optimizer?.dispose();
  }
}

/** The epochs themselves, through `fit`, reporting progress and recording the history. */
async function trainEpochs(
  model: Module,
  optimizer: AnyOptimizer,
  train: LoadedDataset['train'],
  val: LoadedDataset['train'] | null,
  o: TrainOptions,
  startEpoch: number,
  startStep: number,
  events: TrainEvents,
  signal: AbortSignal,
  history: EpochRecord[],
): Promise<{ completed: number; steps: number }> {
  const loader = trainLoader(train, { batchSize: o.batchSize, seed: o.seed, augment: o.augment, startEpoch });
  const validation = val ? evalLoader(val) : undefined;
  let done = 0;
  let lossSum = 0;
  let lastYield = performance.now();
  let completed = startEpoch;
  const result = await fitModel(model, {
    optimizer,
    loss: crossEntropy,
    train: (epoch) => {
      done = 0;
      lossSum = 0;
      events.epochStart(epoch + 1, o.epochs, train.n);
      return loader;
    },
    ...(validation ? { validation } : {}),
    epochs: o.epochs,
    initialEpoch: startEpoch,
    initialStep: startStep,
    metrics: ['loss', 'accuracy'],
    signal,
    callbacks: {
      onBatchEnd: async (log) => {
        done += log.size;
        lossSum += log.loss * log.size;
        await events.batch(done, train.n, log.samplesPerSecond, lossSum / done);
        // Let Ctrl-C (and the progress bar's timers) in: a run of synchronous kernels never yields otherwise.
        const now = performance.now();
        if (now - lastYield > 50) {
          lastYield = now;
          await new Promise((resolve) => setImmediate(resolve));
        }
      },
      onEpochEnd: (log: EpochLog) => {
        const partial = log.samples < train.n;
        const record: EpochRecord = {
          epoch: log.epoch + 1,
          trainLoss: log.loss,
          trainAccuracy: log.accuracy ?? Number.NaN,
          ...(log.valLoss !== undefined ? { valLoss: log.valLoss } : {}),
          ...(log.valAccuracy !== undefined ? { valAccuracy: log.valAccuracy } : {}),
          seconds: log.seconds,
        };
        events.epochEnd(record, o.epochs, log.samplesPerSecond, partial);
        if (!partial) {
          history.push(record);
          completed = log.epoch + 1;
        }
      },
    },
  });
  return { completed, steps: result.steps };
}

/** A resumed run must see data of the checkpoint's shape and classes. */
function checkSameData(meta: CheckpointMeta, data: LoadedDataset, path: string): void {
  const same = meta.inputShape.join(',') === data.inputShape.join(',') && meta.classes === data.classes;
  if (!same) {
    throw usageError(
      `the checkpoint ${path} was trained on '${meta.dataset.name}' (samples [${meta.inputShape.join(',')}], ${meta.classes} classes), but '${data.name}' has samples [${data.inputShape.join(',')}] and ${data.classes} classes`,
      `drop --dataset to continue on '${meta.dataset.name}', or drop --resume to start afresh`,
    );
  }
}
