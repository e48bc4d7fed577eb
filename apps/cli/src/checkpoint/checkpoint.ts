/**
 * Checkpoints are @myelin/layers' format: one safetensors file whose tensors are the model's state dict
 * (PyTorch key names: it loads with `model.load_state_dict`), with the optimiser state, the training
 * position and the random generator's state as JSON metadata. The CLI adds what it needs to rebuild and
 * use the model on its own — its architecture spec, the input shape, the classes, the dataset and its
 * scaling, the run's settings and history — under `myelin.meta`.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { MyelinError } from '@myelin/core';
import {
  decodeCheckpoint,
  decodeSafetensors,
  type Module,
  SafetensorsError,
  StateDictError,
} from '@myelin/layers';
import { saveCheckpoint as writeCheckpoint } from '@myelin/layers/node';
import type { Standardisation } from '../data/datasets.js';
import { runError, usageError } from '../errors.js';
import type { Architecture } from '../model/spec.js';
import { describeLayer } from '../model/spec.js';
import type { EpochRecord } from '../plot/curves.js';
import type { AnyOptimizer } from '../train/optimizer.js';

/** Version of the CLI's part of the metadata. */
export const CLI_META_VERSION = 1;

export interface OptimizerSettings {
  name: string;
  lr: number;
  weightDecay: number;
  momentum: number;
}

/** The CLI's metadata (`myelin.meta`). */
export interface CheckpointMeta {
  cli: typeof CLI_META_VERSION;
  architecture: Architecture;
  /** Where the architecture came from: a preset name or a file path. */
  modelSource: string;
  inputShape: number[];
  classes: number;
  classNames: string[];
  dataset: { name: string; standardisation: Standardisation | null };
  training: {
    optimizer: OptimizerSettings;
    batchSize: number;
    seed: number;
    init: string;
    augment: boolean;
    history: EpochRecord[];
    /** Whether the run that wrote it was stopped before its last epoch (Ctrl-C). */
    interrupted: boolean;
  };
}

/** A checkpoint read from disk; its tensors are made only by `restoreInto`, once a backend is active. */
export interface LoadedCheckpoint {
  path: string;
  meta: CheckpointMeta;
  /** Epochs completed. */
  epoch: number;
  /** Optimiser steps taken. */
  step: number;
  /** The optimiser type that wrote the state (`Adam`...), if any. */
  optimizerType: string | null;
  bytes: Uint8Array;
}

/**
 * Saves a checkpoint (atomically, by @myelin/layers/node).
 */
export async function saveCheckpoint(
  path: string,
  contents: {
    model: Module;
    optimizer: AnyOptimizer;
    epoch: number;
    step: number;
    meta: Omit<CheckpointMeta, 'cli'>;
  },
): Promise<void> {
  try {
    await writeCheckpoint(path, {
      model: contents.model,
      optimizer: contents.optimizer,
      epoch: contents.epoch,
      step: contents.step,
      meta: { cli: CLI_META_VERSION, ...contents.meta },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw runError(
      `could not write the checkpoint ${path} (${code ?? (error as Error).message})`,
      'check that the folder exists and is writable, and that the disk has room',
      error,
    );
  }
}

/**
 * Reads a checkpoint written by `myelin train`. A missing file, a file that is not safetensors, or one
 * without the CLI's metadata each fails with one sentence (exit code 2: the path on the command line).
 */
export async function loadCheckpoint(path: string): Promise<LoadedCheckpoint> {
  if (!existsSync(path))
    throw usageError(
      `the checkpoint ${path} does not exist`,
      "check the path; 'myelin train' writes one (see --save)",
    );
  if (statSync(path).isDirectory())
    throw usageError(`${path} is a folder, not a checkpoint file`, 'pass the .safetensors file inside it');
  const bytes = new Uint8Array(await readFile(path));
  let metadata: Record<string, string>;
  try {
    metadata = decodeSafetensors(bytes).metadata;
  } catch (error) {
    if (error instanceof SafetensorsError) {
      throw usageError(
        `${path} is not a valid safetensors checkpoint (${error.message.replace(/^\w+: /, '')})`,
        "pass a file written by 'myelin train'",
      );
    }
    throw error;
  }
  const parse = (key: string): unknown => {
    const text = metadata[key];
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw usageError(
        `${path} has damaged metadata ('${key}' is not JSON)`,
        'train again to write a new checkpoint',
      );
    }
  };
  const meta = parse('myelin.meta') as CheckpointMeta | undefined;
  if (meta?.cli !== CLI_META_VERSION || !meta.architecture || !Array.isArray(meta.inputShape)) {
    throw usageError(
      `${path} has no myelin CLI metadata (it was not written by 'myelin train')`,
      "train with 'myelin train' to make a checkpoint the CLI can evaluate",
    );
  }
  const training = (parse('myelin.training') ?? {}) as { epoch?: number; step?: number };
  const optimizer = parse('myelin.optimizer') as { type?: string } | undefined;
  return {
    path,
    meta,
    epoch: training.epoch ?? 0,
    step: training.step ?? 0,
    optimizerType: optimizer?.type ?? null,
    bytes,
  };
}

/**
 * Loads the checkpoint's weights into `model` (and its optimiser state into `optimizer`, with the random
 * generator's state, when given). A checkpoint of another architecture is one sentence naming the first
 * difference.
 */
export function restoreInto(
  ckpt: LoadedCheckpoint,
  model: Module,
  modelName: string,
  optimizer?: AnyOptimizer,
): void {
  try {
    decodeCheckpoint(ckpt.bytes, { model, ...(optimizer ? { optimizer, restoreRng: true } : {}) });
  } catch (error) {
    if (error instanceof StateDictError) {
      throw usageError(
        `the checkpoint ${ckpt.path} is from another architecture ('${ckpt.meta.architecture.name}') and does not fit '${modelName}': ${error.message.replace(/^loadStateDict: (\w+: )?/, '')}`,
        `drop --model to use the checkpoint's own architecture (${ckpt.meta.architecture.layers.map(describeLayer).join(' → ')})`,
      );
    }
    if (error instanceof MyelinError)
      throw usageError(`${ckpt.path} cannot be restored: ${error.message.replace(/^\w+: /, '')}`);
    throw error;
  }
}
