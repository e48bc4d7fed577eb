/** Registering the plugin's kernels on the backends it knows. */
import { type KernelImpl, registerKernel, unregisterKernel } from '@myelin/core';
import { geluGradJs, geluJs, swishJs } from './kernels/js.js';
import { geluGradWebGpu, geluWebGpu, swishWebGpu } from './kernels/webgpu.js';
import { KERNELS, PLUGIN_NAME } from './ops.js';

/** The kinds of backend this plugin has kernels for. */
export type GeluBackendKind = 'cpu' | 'worker' | 'webgpu';

/** Each kernel name with its implementation, per kind of backend. */
export const GELU_KERNELS: Readonly<Record<GeluBackendKind, Readonly<Record<string, KernelImpl>>>> = {
  cpu: { [KERNELS.gelu]: geluJs, [KERNELS.geluGrad]: geluGradJs, [KERNELS.swish]: swishJs },
  worker: { [KERNELS.gelu]: geluJs, [KERNELS.geluGrad]: geluGradJs, [KERNELS.swish]: swishJs },
  webgpu: { [KERNELS.gelu]: geluWebGpu, [KERNELS.geluGrad]: geluGradWebGpu, [KERNELS.swish]: swishWebGpu },
};

/** Options of {@link registerGeluPlugin}. */
export interface RegisterGeluOptions {
  /**
   * The names of the backends to register kernels on, by kind. Default: `{ cpu: 'cpu', worker: 'worker',
   * webgpu: 'webgpu' }` (the names the backends are usually registered under, and call themselves). Pass
   * a list for several backends of one kind, or `[]` to skip a kind.
   */
  readonly backends?: Partial<Record<GeluBackendKind, string | readonly string[]>>;
}

const DEFAULT_NAMES: Record<GeluBackendKind, string> = { cpu: 'cpu', worker: 'worker', webgpu: 'webgpu' };

/**
 * Registers the `gelu`, `geluGrad` and `swish` kernels on the CPU, worker and WebGPU backends (by the
 * names they are registered under; a backend need not be registered or created yet), as plugin
 * `@myelin/plugin-gelu`, so that an error in one of them names this package. Safe to call more than once.
 * Returns a function that unregisters them.
 *
 * @example
 * ```ts
 * import { registerGeluPlugin, gelu } from '@myelin/plugin-gelu';
 * registerGeluPlugin();
 * const y = gelu(x);
 * ```
 */
export function registerGeluPlugin(options: RegisterGeluOptions = {}): () => void {
  const done: Array<[string, string]> = [];
  for (const kind of Object.keys(GELU_KERNELS) as GeluBackendKind[]) {
    const chosen = options.backends?.[kind] ?? DEFAULT_NAMES[kind];
    const names = typeof chosen === 'string' ? [chosen] : chosen;
    for (const backendName of names) {
      for (const [kernel, impl] of Object.entries(GELU_KERNELS[kind])) {
        registerKernel(backendName, kernel, impl, { plugin: PLUGIN_NAME });
        done.push([backendName, kernel]);
      }
    }
  }
  return () => {
    for (const [backendName, kernel] of done) unregisterKernel(backendName, kernel);
  };
}
