/**
 * `@myelin/layers/node`: checkpoints on disk, for Node. Writes are atomic — the bytes go to a temporary
 * file in the same directory, which is flushed (`fsync`), renamed over the target and the directory
 * flushed — so a crash or `kill -9` at any moment leaves either the previous checkpoint or the new one,
 * never a torn file.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import {
  type Checkpoint,
  type CheckpointContents,
  CheckpointError,
  decodeCheckpoint,
  encodeCheckpoint,
  type RestoreTargets,
} from './checkpoint.js';
import { SafetensorsError } from './safetensors.js';

export type { Checkpoint, CheckpointContents, RestoreTargets } from './checkpoint.js';
export { CheckpointError } from './checkpoint.js';

/**
 * Writes `bytes` to `path` atomically: temporary file in the same directory, fsync, rename, fsync of the
 * directory. On failure the temporary file is removed and the old file is untouched.
 *
 * @example
 * ```ts
 * await writeFileAtomic('model.safetensors', bytes);
 * ```
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const target = resolve(path);
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o644);
  try {
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable. Some platforms (Windows) cannot open or fsync a directory.
  let dh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    dh = await open(dir, 'r');
    await dh.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw e;
  } finally {
    await dh?.close();
  }
}

/**
 * Saves a checkpoint to `path` (a safetensors file whose tensor names are the model's state-dict keys,
 * `0.weight`, `2.running_mean`..., with optimiser, scheduler, epoch, step, RNG state and `meta` as JSON
 * in its metadata). Atomic: see `writeFileAtomic`.
 *
 * @example
 * ```ts
 * await saveCheckpoint('run/model.safetensors', { model, optimizer, epoch, step, meta: { lr: 1e-3 } });
 * ```
 */
export async function saveCheckpoint(path: string, contents: CheckpointContents): Promise<void> {
  await writeFileAtomic(path, await encodeCheckpoint(contents));
}

/**
 * Reads a checkpoint and restores what `targets` names (model weights, optimiser, scheduler, RNG).
 * Without a model, the weights come back as `stateDict`. Truncated, oversized or malformed files raise
 * a `SafetensorsError` naming the file and the problem.
 *
 * @example
 * ```ts
 * const ckpt = await loadCheckpoint('run/model.safetensors', { model, optimizer, restoreRng: true });
 * await fit(model, { ...opts, initialEpoch: ckpt.epoch, initialStep: ckpt.step });
 * ```
 */
export async function loadCheckpoint(path: string, targets: RestoreTargets = {}): Promise<Checkpoint> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new CheckpointError('loadCheckpoint', `cannot read '${path}': ${(e as Error).message}`);
  }
  try {
    return decodeCheckpoint(bytes, targets);
  } catch (e) {
    // Name the file in format errors; shape and key errors (StateDictError...) already name the key.
    if (e instanceof SafetensorsError)
      throw new SafetensorsError('loadCheckpoint', `'${path}': ${e.message}`);
    if (e instanceof CheckpointError) {
      throw new CheckpointError('loadCheckpoint', `'${path}': ${e.message.replace(/^loadCheckpoint: /, '')}`);
    }
    throw e;
  }
}
