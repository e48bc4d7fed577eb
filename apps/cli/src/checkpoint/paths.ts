/**
 * Where a training run leaves its files. With `--save PATH` the checkpoint is PATH and the curves sit next
 * to it (`PATH-without-extension.curves.svg/.png`); otherwise everything goes in a fresh run folder,
 * `runs/<timestamp>/` (or `--out DIR`): `model.safetensors`, `curves.svg`, `curves.png`.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';

export interface RunPaths {
  /** The folder of the run's files. */
  dir: string;
  /** The checkpoint to write, or null with `--no-save`. */
  checkpoint: string | null;
  /** The curves' path without extension (`.svg` and `.png` are added), or null with `--no-plot`. */
  plotBase: string | null;
}

export interface PathOptions {
  save?: string | undefined;
  /** `--no-save` sets this to false. */
  saveDefault: boolean;
  out?: string | undefined;
  plot: boolean;
  now?: Date;
  cwd?: string;
}

/** `2024-05-01T10-00-00` (a file-name-safe local timestamp). */
export function timestamp(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}T${p(now.getHours())}-${p(now.getMinutes())}-${p(now.getSeconds())}`;
}

/**
 * The run's paths (nothing is created yet).
 *
 * @example
 * ```ts
 * runPaths({ saveDefault: true, plot: true }); // { dir: 'runs/2024-05-01T10-00-00', checkpoint: '.../model.safetensors', ... }
 * ```
 */
export function runPaths(options: PathOptions): RunPaths {
  const cwd = options.cwd ?? process.cwd();
  if (options.save) {
    const checkpoint = resolve(cwd, options.save);
    const stem = basename(checkpoint, extname(checkpoint));
    const dir = dirname(checkpoint);
    return { dir, checkpoint, plotBase: options.plot ? join(dir, `${stem}.curves`) : null };
  }
  let dir: string;
  if (options.out) {
    dir = resolve(cwd, options.out);
  } else {
    const base = resolve(cwd, 'runs', timestamp(options.now ?? new Date()));
    dir = base;
    for (let n = 2; existsSync(dir); n++) dir = `${base}-${n}`;
  }
  return {
    dir,
    checkpoint: options.saveDefault ? join(dir, 'model.safetensors') : null,
    plotBase: options.plot ? join(dir, 'curves') : null,
  };
}
