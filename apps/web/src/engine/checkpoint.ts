/**
 * Saving and loading a playground run as a safetensors file (`@myelin/layers`' checkpoints): the weights
 * under PyTorch's state-dict names, plus the playground's settings, the optimiser state and the step in
 * the metadata, so a loaded file rebuilds the same model and keeps training.
 */
import {
  CheckpointError,
  decodeCheckpoint,
  encodeCheckpoint,
  SafetensorsError,
  StateDictError,
} from '@myelin/layers';
import { DATASETS, type PlaygroundConfig } from '../protocol.js';
import { Session } from './session.js';

/** The `myelin.meta` tag of files this page writes. */
const APP_TAG = 'myelin-web/1';

/** A file the page cannot load, with a message meant for the person who chose it. */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

/** The bytes of a checkpoint of `session`, and a file name for it. */
export async function saveSession(session: Session): Promise<{ bytes: Uint8Array; fileName: string }> {
  const bytes = await encodeCheckpoint({
    model: session.model,
    optimizer: session.optimizer,
    step: session.step,
    epoch: session.epoch,
    meta: { app: APP_TAG, config: session.config },
  });
  return { bytes, fileName: `myelin-${session.config.dataset}-step${session.step}.safetensors` };
}

function describe(fileName: string, e: unknown): string {
  const detail = e instanceof Error ? e.message : String(e);
  if (e instanceof SafetensorsError) return `“${fileName}” is not a valid safetensors file: ${detail}`;
  if (e instanceof StateDictError)
    return `“${fileName}” holds weights that do not fit the model its settings describe: ${detail}`;
  if (e instanceof CheckpointError) return `“${fileName}” is a damaged Myelin checkpoint: ${detail}`;
  return `“${fileName}” could not be loaded: ${detail}`;
}

function configOf(meta: Record<string, unknown> | undefined, fileName: string): PlaygroundConfig {
  if (!meta || meta.app !== APP_TAG || typeof meta.config !== 'object' || meta.config === null) {
    throw new ModelFileError(
      `“${fileName}” is a safetensors file, but not one saved by this playground (it has no playground settings), so the page cannot tell which model to build for it.`,
    );
  }
  const config = meta.config as PlaygroundConfig;
  if (!(DATASETS as readonly string[]).includes(config.dataset)) {
    throw new ModelFileError(`“${fileName}” names an unknown dataset '${String(config.dataset)}'.`);
  }
  return config;
}

/**
 * Rebuilds a run from checkpoint bytes: the model its settings describe, the saved weights and optimiser
 * state, the step. Any problem (not safetensors, a truncated file, weights of the wrong shape) is a
 * `ModelFileError` whose message says what is wrong, and nothing of the current run is touched.
 */
export async function loadSession(bytes: Uint8Array, fileName: string): Promise<Session> {
  let config: PlaygroundConfig;
  try {
    const header = decodeCheckpoint(bytes);
    for (const t of Object.values(header.stateDict ?? {})) t.dispose();
    config = configOf(header.meta, fileName);
  } catch (e) {
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError(describe(fileName, e));
  }
  let session: Session | undefined;
  try {
    session = await Session.create(config, 'loaded');
    const restored = decodeCheckpoint(bytes, { model: session.model, optimizer: session.optimizer });
    session.restorePosition(restored.step ?? 0, restored.epoch ?? 0);
    return session;
  } catch (e) {
    session?.dispose();
    throw new ModelFileError(describe(fileName, e));
  }
}
