/**
 * Checkpoints in memory: a model's state dict as safetensors tensors (PyTorch key names, so the file
 * loads with `model.load_state_dict`), plus JSON strings in the safetensors metadata for the
 * architecture, the optimiser and scheduler state, the training position (epoch, step) and the random
 * generator's state. `@myelin/layers/node` writes and reads these bytes atomically on disk.
 */
import { getRngState, MyelinError, setRngState, type Tensor } from '@myelin/core';
import type { Module, ModuleSpec } from './module.js';
import { decodeSafetensors, encodeSafetensors, fromRawTensors, toRawTensors } from './safetensors.js';

/** Raised when a checkpoint's Myelin metadata is missing or malformed. */
export class CheckpointError extends MyelinError {}

/** The format tag written in the metadata (`myelin.format`). */
export const CHECKPOINT_FORMAT = 'myelin-checkpoint/1';

/** Something whose state can be saved: `@myelin/optim`'s optimisers and schedulers. */
export interface Stateful {
  stateDict(): unknown;
  loadStateDict(state: never): unknown;
}

/** What to put in a checkpoint. */
export interface CheckpointContents {
  model: Module;
  optimizer?: Stateful;
  scheduler?: Stateful;
  /** Epochs completed. */
  epoch?: number;
  /** Optimiser steps taken. */
  step?: number;
  /** Save the global random generator's state (default true), so dropout masks continue identically. */
  rng?: boolean;
  /** Anything else, as JSON (hyperparameters, dataset name...). */
  meta?: Record<string, unknown>;
}

/** The random generator's state as `getRngState` returns it. */
export type RngState = ReturnType<typeof getRngState>;

/** A decoded checkpoint. */
export interface Checkpoint {
  /** The weights by state-dict key (new tensors the caller owns), when no model was given to load into. */
  stateDict?: Record<string, Tensor>;
  architecture?: ModuleSpec;
  optimizerState?: unknown;
  schedulerState?: unknown;
  epoch?: number;
  step?: number;
  rng?: RngState;
  meta?: Record<string, unknown>;
  /** The raw safetensors metadata (strings). */
  metadata: Record<string, string>;
}

/** Where to restore a checkpoint's parts (each optional). */
export interface RestoreTargets {
  model?: Module;
  optimizer?: Stateful;
  scheduler?: Stateful;
  /** Restore the global random generator's state (default false). */
  restoreRng?: boolean;
}

/** JSON that keeps non-finite numbers (diverged optimiser state) as strings `Infinity`, `NaN`. */
function stringify(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

/**
 * Serialises a model (and optionally optimiser, scheduler, training position, RNG state and `meta`)
 * into safetensors bytes.
 *
 * @example
 * ```ts
 * const bytes = await encodeCheckpoint({ model, optimizer, epoch: 3, step: 1200 });
 * ```
 */
export async function encodeCheckpoint(contents: CheckpointContents): Promise<Uint8Array> {
  const { model } = contents;
  const metadata: Record<string, string> = {
    'myelin.format': CHECKPOINT_FORMAT,
    'myelin.architecture': stringify(model.spec()),
  };
  if (contents.optimizer) metadata['myelin.optimizer'] = stringify(await contents.optimizer.stateDict());
  if (contents.scheduler) metadata['myelin.scheduler'] = stringify(await contents.scheduler.stateDict());
  const training: Record<string, unknown> = {};
  if (contents.epoch !== undefined) training.epoch = contents.epoch;
  if (contents.step !== undefined) training.step = contents.step;
  if (contents.rng ?? true) training.rng = getRngState();
  metadata['myelin.training'] = stringify(training);
  if (contents.meta) metadata['myelin.meta'] = stringify(contents.meta);
  return encodeSafetensors(await toRawTensors(model.stateDict()), metadata);
}

function parseJson(metadata: Record<string, string>, key: string): unknown {
  const text = metadata[key];
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(
      'loadCheckpoint',
      `metadata '${key}' is not valid JSON: ${(e as Error).message}`,
    );
  }
}

/**
 * Decodes checkpoint bytes and restores what `targets` names: the weights into `model` (strict,
 * shape-checked), the optimiser and scheduler state, the RNG state. Without a model, the weights are
 * returned as `stateDict`. A plain safetensors file (from PyTorch) decodes too: it simply has no Myelin
 * metadata.
 *
 * @example
 * ```ts
 * const ckpt = decodeCheckpoint(bytes, { model, optimizer, restoreRng: true });
 * console.log(ckpt.epoch, ckpt.step);
 * ```
 */
export function decodeCheckpoint(bytes: Uint8Array, targets: RestoreTargets = {}): Checkpoint {
  const { tensors, metadata } = decodeSafetensors(bytes);
  const format = metadata['myelin.format'];
  if (format !== undefined && format !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(
      'loadCheckpoint',
      `unsupported checkpoint format '${format}' (this version reads ${CHECKPOINT_FORMAT})`,
    );
  }
  const out: Checkpoint = { metadata };
  const architecture = parseJson(metadata, 'myelin.architecture');
  if (architecture !== undefined) out.architecture = architecture as ModuleSpec;
  const optimizerState = parseJson(metadata, 'myelin.optimizer');
  if (optimizerState !== undefined) out.optimizerState = optimizerState;
  const schedulerState = parseJson(metadata, 'myelin.scheduler');
  if (schedulerState !== undefined) out.schedulerState = schedulerState;
  const training = parseJson(metadata, 'myelin.training') as
    | { epoch?: number; step?: number; rng?: RngState }
    | undefined;
  if (training !== undefined && (training === null || typeof training !== 'object')) {
    throw new CheckpointError('loadCheckpoint', `metadata 'myelin.training' must be an object`);
  }
  if (typeof training?.epoch === 'number') out.epoch = training.epoch;
  if (typeof training?.step === 'number') out.step = training.step;
  if (training?.rng) out.rng = training.rng;
  const meta = parseJson(metadata, 'myelin.meta');
  if (meta !== undefined) out.meta = meta as Record<string, unknown>;

  if (targets.optimizer && optimizerState === undefined) {
    throw new CheckpointError(
      'loadCheckpoint',
      'an optimizer was given but the checkpoint has no optimizer state',
    );
  }
  if (targets.scheduler && schedulerState === undefined) {
    throw new CheckpointError(
      'loadCheckpoint',
      'a scheduler was given but the checkpoint has no scheduler state',
    );
  }
  if (targets.restoreRng && !out.rng)
    throw new CheckpointError('loadCheckpoint', 'restoreRng was asked but the checkpoint has no RNG state');
  const weights = fromRawTensors(tensors);
  if (targets.model) {
    try {
      targets.model.loadStateDict(weights);
    } finally {
      for (const t of Object.values(weights)) t.dispose();
    }
  } else {
    out.stateDict = weights;
  }
  if (targets.optimizer) targets.optimizer.loadStateDict(optimizerState as never);
  if (targets.scheduler) targets.scheduler.loadStateDict(schedulerState as never);
  if (targets.restoreRng && out.rng) setRngState(out.rng);
  return out;
}
