/**
 * Myelin's engines: @myelin/core with each backend package that exists and is built. A backend that is
 * missing, unbuilt or unavailable here (WebGPU with no adapter) is skipped with its reason.
 * @myelin/layers and @myelin/optim are loaded too when present; cases that need them say so when not.
 */
import type * as Core from '@myelin/core';
import type { BenchCase, EngineId } from '../types.js';
import { type Engine, type LoadedEngines, messageOf } from './engine.js';
import { loadWorkspacePackage } from './load-package.js';

export type MyelinCore = typeof Core;
export type MyelinTensor = Core.Tensor;

/** The part of @myelin/layers the workloads use (PyTorch names; see packages/layers/src). */
export interface LayersModule {
  Sequential: new (...modules: ModuleLike[]) => ModuleLike;
  Linear: new (inFeatures: number, outFeatures: number) => ModuleLike;
  Conv2d: new (inChannels: number, outChannels: number, kernelSize: number) => ModuleLike;
  MaxPool2d: new (kernelSize: number) => ModuleLike;
  ReLU: new () => ModuleLike;
  Flatten: new () => ModuleLike;
  crossEntropy(logits: MyelinTensor, target: MyelinTensor): MyelinTensor;
}

/** A layer or model of @myelin/layers. */
export interface ModuleLike {
  forward(x: MyelinTensor): MyelinTensor;
  parameters(): MyelinTensor[];
  dispose?(): void;
}

/** The part of @myelin/optim the workloads use. */
export interface OptimModule {
  Adam: new (params: MyelinTensor[], options?: { lr?: number }) => OptimizerLike;
}

export interface OptimizerLike {
  step(): void;
  zeroGrad(): void;
  dispose?(): void;
}

/** What a case's Myelin side receives. */
export interface MyelinApi {
  core: MyelinCore;
  layers?: LayersModule;
  optim?: OptimModule;
  /** Why layers/optim are absent, for the skip note of cases that need them. */
  missing: string[];
}

interface BackendSpec {
  id: EngineId;
  /** The registry name the backend uses. */
  name: string;
  pkg: string;
  dir: string;
  /**
   * Exported names tried in order: `register…` functions (called with no arguments, registering under
   * `name`), `create…` factories (sync or async) and backend classes (constructed with no arguments).
   */
  exports: string[];
  /** Whether it queues kernels (see Engine.queued). */
  queued: boolean;
  /** Prepared before the package is imported (WebGPU in Node needs its Vulkan driver named). */
  prepareEnv?: () => void;
}

const BACKENDS: BackendSpec[] = [
  {
    id: 'myelin-cpu',
    name: 'cpu',
    pkg: '@myelin/backend-cpu',
    dir: 'packages/backend-cpu',
    queued: false,
    exports: ['registerCpuBackend', 'createCpuBackend', 'CpuBackend'],
  },
  {
    id: 'myelin-worker',
    name: 'worker',
    pkg: '@myelin/backend-worker',
    dir: 'packages/backend-worker',
    queued: true,
    exports: ['registerWorkerBackend', 'createWorkerBackend', 'WorkerBackend'],
  },
  {
    id: 'myelin-webgpu',
    name: 'webgpu',
    pkg: '@myelin/backend-webgpu',
    dir: 'packages/backend-webgpu',
    queued: true,
    exports: ['registerWebGpuBackend', 'createWebGpuBackend', 'WebGpuBackend'],
    // Mesa's software Vulkan (lavapipe), as TOOLCHAIN.md describes; a GPU driver named by the user wins.
    prepareEnv: () => {
      process.env.VK_DRIVER_FILES ??= '/usr/share/vulkan/icd.d/lvp_icd.json';
    },
  },
];

/** Registers the backend the package exports unless importing it already did; returns a problem or undefined. */
function registerFrom(
  core: MyelinCore,
  spec: BackendSpec,
  mod: Record<string, unknown>,
  known: string[],
): string | undefined {
  if (known.includes(spec.name)) return undefined;
  for (const name of spec.exports) {
    const exported = mod[name];
    if (typeof exported !== 'function') continue;
    if (name.startsWith('register')) {
      (exported as () => void)();
    } else if (name.startsWith('create')) {
      core.registerBackend(spec.name, exported as () => Core.Backend | Promise<Core.Backend>);
    } else {
      const BackendClass = exported as new () => Core.Backend;
      core.registerBackend(spec.name, () => new BackendClass());
    }
    return undefined;
  }
  return `${spec.pkg} exports none of ${spec.exports.join(', ')}`;
}

function myelinEngine(api: MyelinApi, spec: BackendSpec): Engine {
  const { core } = api;
  return {
    id: spec.id,
    framework: 'myelin',
    queued: spec.queued,
    description: spec.name,
    async activate() {
      await core.setBackend(spec.name);
      core.manualSeed(0);
    },
    liveTensors: () => core.memory().tensors,
    prepare: (c: BenchCase) => c.myelin(api),
    async dispose() {
      if (core.getBackendName() !== spec.name) await core.removeBackend(spec.name);
      else await core.getBackend().dispose();
    },
  };
}

/** Loads the Myelin engines among `wanted`. */
export async function loadMyelinEngines(wanted: readonly EngineId[]): Promise<LoadedEngines> {
  const out: LoadedEngines = { engines: [], skipped: [], versions: {} };
  const specs = BACKENDS.filter((b) => wanted.includes(b.id));
  if (specs.length === 0) return out;

  const core = await loadWorkspacePackage<MyelinCore>('@myelin/core', 'packages/core');
  if ('reason' in core) {
    for (const s of specs) out.skipped.push({ id: s.id, reason: core.reason });
    return out;
  }
  out.versions['@myelin/core'] = core.version;
  const api: MyelinApi = { core: core.module, missing: [] };
  const layers = await loadWorkspacePackage<LayersModule>('@myelin/layers', 'packages/layers');
  if ('module' in layers) {
    api.layers = layers.module;
    out.versions['@myelin/layers'] = layers.version;
  } else api.missing.push(layers.reason);
  const optim = await loadWorkspacePackage<OptimModule>('@myelin/optim', 'packages/optim');
  if ('module' in optim) {
    api.optim = optim.module;
    out.versions['@myelin/optim'] = optim.version;
  } else api.missing.push(optim.reason);

  for (const spec of specs) {
    spec.prepareEnv?.();
    const pkg = await loadWorkspacePackage<Record<string, unknown>>(spec.pkg, spec.dir);
    if ('reason' in pkg) {
      out.skipped.push({ id: spec.id, reason: pkg.reason });
      continue;
    }
    out.versions[spec.pkg] = pkg.version;
    const known = (await api.core.listBackends()).map((b) => b.name);
    const problem = registerFrom(api.core, spec, pkg.module, known);
    if (problem) {
      out.skipped.push({ id: spec.id, reason: problem });
      continue;
    }
    const engine = myelinEngine(api, spec);
    try {
      await engine.activate();
      engine.description = `${spec.pkg} ${pkg.version}: ${api.core.getBackend().describeSelf?.() ?? spec.name}`;
      out.engines.push(engine);
    } catch (err) {
      out.skipped.push({ id: spec.id, reason: messageOf(err) });
    }
  }
  return out;
}
