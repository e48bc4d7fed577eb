/** Rebuilding a model from a checkpoint, and loading weights into a model with errors a user can act on. */
import type { Module } from '@myelin/layers';
import { type LoadedCheckpoint, restoreInto } from '../checkpoint/checkpoint.js';
import { usageError } from '../errors.js';
import { buildModel } from './build.js';
import { type ResolvedLayer, resolveArchitecture } from './spec.js';

/** The checkpoint's layers with their shapes (no tensors made). */
export function checkpointLayers(ckpt: LoadedCheckpoint): ResolvedLayer[] {
  const { meta } = ckpt;
  try {
    return resolveArchitecture(meta.architecture, meta.inputShape, meta.classes, meta.dataset.name);
  } catch (error) {
    throw usageError(
      `${ckpt.path} holds an architecture that does not resolve (${(error as Error).message})`,
      'train again with --save',
    );
  }
}

/** Builds the checkpoint's own architecture and loads its weights (on the active backend). */
export function restoreModel(ckpt: LoadedCheckpoint): { model: Module; layers: ResolvedLayer[] } {
  const { meta } = ckpt;
  const layers = checkpointLayers(ckpt);
  const model = buildModel(layers, 'default');
  restoreInto(ckpt, model, meta.architecture.name);
  return { model, layers };
}
