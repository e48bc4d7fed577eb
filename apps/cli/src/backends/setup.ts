/**
 * Registers Myelin's backends with core at startup and chooses one for a run.
 *
 * Each backend package is imported lazily and on its own: if one fails to load (WebGPU's native addon,
 * say), the CLI still works and `myelin backends` reports why that one is missing.
 */
import {
  type Backend,
  type BackendInfo,
  getBackend,
  getBackendName,
  listBackends,
  registerBackend,
  setBackend,
} from '@myelin/core';
import { CliError, EXIT, runError, usageError } from '../errors.js';

/** The backends the CLI knows, fastest-first when all are real. */
export const BACKEND_NAMES = ['cpu', 'worker', 'webgpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

let registered: Promise<void> | undefined;
const created = new Set<{ dispose(): void | Promise<void> }>();

/** A factory that remembers what it created, so `disposeBackends` can end threads and devices. */
function tracked<T extends { dispose(): void | Promise<void> }>(
  make: () => T | Promise<T>,
): () => Promise<T> {
  return async () => {
    const backend = await make();
    created.add(backend);
    return backend;
  };
}

/** A factory for a backend whose package could not be loaded: it fails with the reason. */
function unavailable(name: string, error: unknown): () => never {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return () => {
    throw new Error(`the package @myelin/backend-${name} could not be loaded (${reason})`);
  };
}

/**
 * Backends turned off by `MYELIN_DISABLE_BACKENDS=webgpu,worker`: they stay listed, as unavailable with
 * that reason (for machines where one misbehaves, and for testing the fallbacks).
 */
function disabledBackends(env: NodeJS.ProcessEnv = process.env): Set<string> {
  return new Set(
    (env.MYELIN_DISABLE_BACKENDS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

/** How each backend is loaded and created; priorities follow core's convention (higher wins). */
const LOADERS: Record<BackendName, { priority: number; load: () => Promise<() => Promise<Backend>> }> = {
  cpu: {
    priority: 1,
    load: async () => {
      const { createCpuBackend } = await import('@myelin/backend-cpu');
      return async () => createCpuBackend();
    },
  },
  worker: {
    priority: 2,
    load: async () => {
      const { createWorkerBackend } = await import('@myelin/backend-worker');
      return () => createWorkerBackend();
    },
  },
  webgpu: {
    priority: 3,
    load: async () => {
      const { createWebGpuBackend } = await import('@myelin/backend-webgpu');
      return () => createWebGpuBackend();
    },
  },
};

/** Registers cpu, worker and webgpu with core (once). */
export function registerBackends(): Promise<void> {
  registered ??= (async () => {
    const disabled = disabledBackends();
    for (const name of BACKEND_NAMES) {
      const { priority, load } = LOADERS[name];
      if (disabled.has(name)) {
        registerBackend(
          name,
          () => {
            throw new Error('turned off by MYELIN_DISABLE_BACKENDS');
          },
          { priority },
        );
        continue;
      }
      try {
        registerBackend(name, tracked(await load()), { priority });
      } catch (error) {
        registerBackend(name, unavailable(name, error), { priority });
      }
    }
  })();
  return registered;
}

/** Every backend, available or not, with the reason (core's `listBackends()`), in the CLI's order. */
export async function surveyBackends(): Promise<BackendInfo[]> {
  await registerBackends();
  const infos = await listBackends();
  return BACKEND_NAMES.map((name) => infos.find((i) => i.name === name)).filter((i): i is BackendInfo => !!i);
}

/** Whether a WebGPU backend runs on a software rasteriser (lavapipe, SwiftShader): slower than the CPU. */
export function isSoftwareGpu(info: BackendInfo): boolean {
  return /software|fallback|lavapipe|llvmpipe|swiftshader/i.test(info.description ?? '');
}

/** How much work a model does, for choosing a backend. */
export interface Workload {
  /** Multiply-adds of the forward pass for one sample. */
  macsPerSample: number;
  /** Multiply-adds of the single largest layer for one sample. */
  largestLayerMacs: number;
  batchSize: number;
}

/** Which backend a run uses, and why each other one was not chosen. */
export interface BackendChoice {
  name: BackendName;
  requested: string;
  why: string;
  others: { name: string; why: string }[];
  description: string | undefined;
}

/**
 * Threads pay for themselves only on ops of a few milliseconds (TOOLCHAIN.md: split ops of ≥ ~2 ms). At
 * ~4 GFLOP/s on one core, a layer whose forward pass is 2M multiply-adds per batch has backward ops of
 * ~4M (~2 ms): from there the worker pool gains. A heuristic, not a measurement of this machine
 * (`myelin bench` measures).
 */
const WORKER_MIN_LAYER_MACS_PER_BATCH = 2e6;

/**
 * The `auto` rule: WebGPU when it runs on a real GPU; else the worker pool when the model's largest layer
 * is big enough to split across threads; else the CPU.
 */
export function chooseAuto(infos: readonly BackendInfo[], work: Workload): BackendChoice {
  const byName = new Map(infos.map((i) => [i.name, i]));
  const verdicts = new Map<string, { ok: boolean; why: string }>();
  for (const name of BACKEND_NAMES) {
    const info = byName.get(name);
    if (!info) {
      verdicts.set(name, { ok: false, why: 'not registered' });
    } else if (!info.available) {
      verdicts.set(name, { ok: false, why: `unavailable: ${info.reason ?? 'unknown reason'}` });
    }
  }
  const layerMacsPerBatch = work.largestLayerMacs * work.batchSize;
  if (!verdicts.has('webgpu')) {
    const gpu = byName.get('webgpu') as BackendInfo;
    verdicts.set(
      'webgpu',
      isSoftwareGpu(gpu)
        ? { ok: false, why: 'its adapter is a software rasteriser (no GPU here), slower than the CPU' }
        : { ok: true, why: `a real GPU adapter (${gpu.description ?? 'webgpu'})` },
    );
  }
  if (!verdicts.has('worker')) {
    verdicts.set(
      'worker',
      layerMacsPerBatch >= WORKER_MIN_LAYER_MACS_PER_BATCH
        ? {
            ok: true,
            why: `the largest layer (${mega(layerMacsPerBatch)} multiply-adds per batch) is worth splitting across threads`,
          }
        : {
            ok: false,
            why: `too small to gain from threads (largest layer: ${mega(layerMacsPerBatch)} multiply-adds per batch; threads pay from ~${mega(WORKER_MIN_LAYER_MACS_PER_BATCH)})`,
          },
    );
  }
  if (!verdicts.has('cpu')) verdicts.set('cpu', { ok: true, why: 'the fastest here for a model this size' });
  const order: BackendName[] = ['webgpu', 'worker', 'cpu'];
  const name = order.find((n) => verdicts.get(n)?.ok);
  if (!name) {
    throw runError('no backend can run here', order.map((n) => `${n}: ${verdicts.get(n)?.why}`).join('; '));
  }
  const chosenIndex = order.indexOf(name);
  const others = order
    .filter((n) => n !== name)
    .map((n) => ({
      name: n,
      why:
        order.indexOf(n) > chosenIndex && verdicts.get(n)?.ok
          ? `${name} is preferred over it`
          : (verdicts.get(n)?.why ?? ''),
    }));
  return {
    name,
    requested: 'auto',
    why: (verdicts.get(name) as { why: string }).why,
    others,
    description: byName.get(name)?.description,
  };
}

function mega(macs: number): string {
  return macs >= 1e6 ? `${+(macs / 1e6).toFixed(macs >= 1e7 ? 0 : 1)}M` : `${Math.round(macs / 1e3)}k`;
}

/**
 * Resolves `--backend` (a name or `auto`) and activates it. An explicit backend that cannot run here is an
 * error that says why and which ones can.
 */
export async function selectBackend(requested: string, work: Workload): Promise<BackendChoice> {
  await registerBackends();
  if (requested === 'auto') {
    const choice = chooseAuto(await surveyBackends(), work);
    await activate(choice.name);
    return choice;
  }
  if (!(BACKEND_NAMES as readonly string[]).includes(requested)) {
    throw usageError(`unknown backend '${requested}'`, `use one of: auto, ${BACKEND_NAMES.join(', ')}`);
  }
  try {
    await activate(requested as BackendName);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    const infos = await surveyBackends();
    const usable = infos.filter((i) => i.available).map((i) => i.name);
    throw new CliError(error.message, {
      exitCode: EXIT.failed,
      hint:
        usable.length > 0
          ? `backends that run here: ${usable.join(', ')} (or --backend auto); see 'myelin backends'`
          : "see 'myelin backends'",
    });
  }
  return {
    name: requested as BackendName,
    requested,
    why: 'asked for with --backend',
    others: [],
    description: describeActive(),
  };
}

/** Makes a backend active, turning core's BackendError into a one-sentence CliError. */
export async function activate(name: BackendName): Promise<void> {
  try {
    await setBackend(name);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^setBackend: /, '') : String(error);
    throw runError(
      `the ${name} backend cannot run here: ${reason.replace(/^backend '\w+' is unavailable: /, '')}`,
    );
  }
}

function describeActive(): string | undefined {
  try {
    return getBackend().describeSelf?.() ?? getBackendName();
  } catch {
    return undefined;
  }
}

/** Ends every backend the CLI created (worker threads, GPU devices), so the process can exit. */
export async function disposeBackends(): Promise<void> {
  const all = [...created];
  created.clear();
  await Promise.allSettled(all.map(async (b) => b.dispose()));
}
