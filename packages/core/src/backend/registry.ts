/**
 * The backend registry: which backends exist, which one runs, and moving tensors when it changes.
 */
import { BackendError, KernelError } from '../errors/errors.js';
import { liveStorages } from '../memory/storage.js';
import type { Backend, KernelImpl, KernelName } from './kernels.js';

/** Creates a backend; may be async (WebGPU) and may throw to say the backend is unavailable here. */
export type BackendFactory = () => Backend | Promise<Backend>;

interface Entry {
  name: string;
  factory: BackendFactory;
  priority: number;
  instance?: Backend;
  pending?: Promise<Backend>;
  failure?: string;
}

/** What `listBackends()` reports for one backend. */
export interface BackendInfo {
  readonly name: string;
  readonly priority: number;
  readonly available: boolean;
  /** Why the backend is unavailable (e.g. `no adapter`), when it is. */
  readonly reason?: string;
  readonly active: boolean;
  /** The backend's own one-line description, once created. */
  readonly description?: string;
}

const entries = new Map<string, Entry>();
const overrides = new Map<string, Map<string, PluginKernel>>();

/** A kernel added by `registerKernel`, with the plugin that added it (for error messages). */
export interface PluginKernel {
  readonly impl: KernelImpl;
  readonly plugin?: string;
}
let active: Entry | undefined;

/**
 * Registers a backend under a name. A higher priority wins when no backend was chosen explicitly.
 *
 * @example
 * ```ts
 * registerBackend('cpu', () => new CpuBackend(), { priority: 1 });
 * ```
 */
export function registerBackend(
  name: string,
  factory: BackendFactory,
  options: { priority?: number } = {},
): void {
  const old = entries.get(name);
  if (old?.instance && old === active) {
    throw new BackendError(
      'registerBackend',
      `backend '${name}' is active; switch away before re-registering it`,
    );
  }
  entries.set(name, { name, factory, priority: options.priority ?? 0 });
}

/** Removes a backend from the registry (disposing its instance if it was created and is not active). */
export async function removeBackend(name: string): Promise<void> {
  const e = entries.get(name);
  if (!e) return;
  if (e === active) throw new BackendError('removeBackend', `backend '${name}' is active; switch away first`);
  entries.delete(name);
  if (e.instance) await e.instance.dispose();
}

async function instantiate(e: Entry): Promise<Backend> {
  if (e.instance) return e.instance;
  if (!e.pending) {
    e.pending = (async () => {
      try {
        const b = await e.factory();
        e.instance = b;
        e.failure = undefined;
        return b;
      } catch (err) {
        e.failure = err instanceof Error ? err.message : String(err);
        throw err;
      } finally {
        e.pending = undefined;
      }
    })();
  }
  return e.pending;
}

/**
 * Makes `name` the active backend, creating it if needed and moving every live tensor to it.
 * Fails with a BackendError that says why when the backend is unknown or unavailable.
 *
 * @example
 * ```ts
 * await setBackend('worker'); // the model's weights follow
 * ```
 */
export function setBackend(name: string): Promise<Backend> {
  // Switches run one after another: two interleaved migrations could move one buffer twice.
  const next = switching.then(() => switchTo(name));
  switching = next.catch(() => undefined);
  return next;
}

let switching: Promise<unknown> = Promise.resolve();

async function switchTo(name: string): Promise<Backend> {
  const e = entries.get(name);
  if (!e) {
    throw new BackendError(
      'setBackend',
      `unknown backend '${name}'; registered: ${[...entries.keys()].join(', ') || 'none'}`,
    );
  }
  let backend: Backend;
  try {
    backend = await instantiate(e);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new BackendError('setBackend', `backend '${name}' is unavailable: ${reason}`);
  }
  if (active === e) return backend;
  const previous = active?.instance;
  if (previous) await migrate(previous, backend);
  active = e;
  return backend;
}

async function migrate(from: Backend, to: Backend): Promise<void> {
  if (from.sync) await from.sync();
  for (const s of liveStorages()) {
    if (s.backend !== from) continue;
    const values = await from.read(s.dataId);
    const id = to.upload(values, s.dtype);
    from.free(s.dataId);
    s.backend = to;
    s.dataId = id;
  }
}

/** Moves a storage that lives on another backend to the active one, synchronously where possible. */
export function adoptSync(s: {
  backend: Backend;
  dataId: object;
  dtype: import('../tensor/dtype.js').DType;
}): void {
  const to = getBackend();
  if (s.backend === to) return;
  const from = s.backend;
  if (!from.readSync) {
    throw new BackendError(
      'migrate',
      `a tensor lives on '${from.name}', which cannot be read synchronously; await setBackend() moves tensors`,
    );
  }
  const values = from.readSync(s.dataId);
  const id = to.upload(values, s.dtype);
  from.free(s.dataId);
  s.backend = to;
  s.dataId = id;
}

/**
 * The active backend. If none was set, the registered backend with the highest priority that can be
 * created synchronously is activated.
 */
export function getBackend(): Backend {
  if (active?.instance) return active.instance;
  const sorted = [...entries.values()].sort((a, b) => b.priority - a.priority);
  for (const e of sorted) {
    if (e.instance) {
      active = e;
      return e.instance;
    }
    try {
      const b = e.factory();
      if (b instanceof Promise) {
        b.catch(() => undefined);
        continue;
      }
      e.instance = b;
      active = e;
      return b;
    } catch (err) {
      e.failure = err instanceof Error ? err.message : String(err);
    }
  }
  throw new BackendError(
    'getBackend',
    entries.size === 0
      ? 'no backend is registered; import a backend package (e.g. @myelin/backend-cpu) and register it'
      : 'no registered backend could be created synchronously; call await setBackend(name) first',
  );
}

/** The active backend's name, or undefined when none is active yet. */
export function getBackendName(): string | undefined {
  return active?.name;
}

/**
 * Every registered backend, with whether it can run here and, if not, why. Creates each backend once
 * to find out.
 *
 * @example
 * ```ts
 * for (const b of await listBackends()) console.log(b.name, b.available ? 'ok' : b.reason);
 * ```
 */
export async function listBackends(): Promise<BackendInfo[]> {
  const out: BackendInfo[] = [];
  for (const e of [...entries.values()].sort((a, b) => b.priority - a.priority)) {
    try {
      const b = await instantiate(e);
      out.push({
        name: e.name,
        priority: e.priority,
        available: true,
        active: e === active,
        description: b.describeSelf?.() ?? e.name,
      });
    } catch {
      out.push({ name: e.name, priority: e.priority, available: false, reason: e.failure, active: false });
    }
  }
  return out;
}

/** Activates the best available backend (highest priority that can be created) and returns its name. */
export async function ready(): Promise<string> {
  if (active?.instance) return active.name;
  for (const info of await listBackends()) {
    if (info.available) {
      await setBackend(info.name);
      return info.name;
    }
  }
  throw new BackendError('ready', 'no registered backend is available');
}

/**
 * Adds or replaces a kernel of a backend, by the name the backend is registered under. The result of a plugin kernel is checked against the contract
 * (its dtype and size), and a throw inside it is reported with the plugin's kernel name.
 *
 * @example
 * ```ts
 * registerKernel('cpu', 'gelu', (inputs, attrs, out, backend) => ..., { plugin: '@me/plugin-gelu' });
 * ```
 */
export function registerKernel(
  backendName: string,
  kernelName: KernelName | string,
  impl: KernelImpl,
  options: { plugin?: string } = {},
): void {
  if (typeof impl !== 'function')
    throw new KernelError('registerKernel', `impl of '${kernelName}' must be a function`);
  let m = overrides.get(backendName);
  if (!m) {
    m = new Map();
    overrides.set(backendName, m);
  }
  m.set(kernelName, { impl, plugin: options.plugin });
}

/** Removes a kernel registered with `registerKernel`. */
export function unregisterKernel(backendName: string, kernelName: string): void {
  overrides.get(backendName)?.delete(kernelName);
}

/** The plugin kernel registered for a backend (by its registry name), if any. */
export function findOverride(backendName: string, kernelName: string): PluginKernel | undefined {
  return overrides.get(backendName)?.get(kernelName);
}
