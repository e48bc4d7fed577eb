/**
 * The two places the backend runs: Node (`worker_threads`) and browsers (Web Workers). Everything the
 * pool needs from either is here: how many cores, whether this thread may block in `Atomics.wait`, and
 * how to start, message and end a thread.
 */

/** A started worker thread, whichever platform made it. */
export interface ThreadHandle {
  postMessage(message: unknown): void;
  /** Ends the thread now (a running loop is interrupted). */
  terminate(): Promise<void>;
  /** Lets the process exit while this thread lives (Node); a no-op in browsers. */
  unref(): void;
  /** Keeps the process alive while this thread lives (Node); a no-op in browsers. */
  ref(): void;
}

/** What a thread reports asynchronously: its messages, an uncaught error, its end. */
export interface ThreadListeners {
  onMessage(message: unknown): void;
  onError(error: Error): void;
  onExit(code: number): void;
}

/** The platform's threads. */
export interface Platform {
  readonly name: 'node' | 'browser';
  /** Logical cores this process may use. */
  readonly cores: number;
  /** Whether the calling thread may block in `Atomics.wait` (not a browser page's main thread). */
  readonly canBlock: boolean;
  /** Starts a worker running `url`, or the package's own `worker.js` when `url` is undefined. */
  spawn(url: URL | string | undefined, init: unknown, listeners: ThreadListeners, name: string): ThreadHandle;
}

/** Why SharedArrayBuffer is missing here, or undefined when it is available. */
export function sharedMemoryProblem(): string | undefined {
  if (typeof SharedArrayBuffer === 'undefined') {
    const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
    return isolated === false
      ? 'SharedArrayBuffer is unavailable because the page is not cross-origin isolated (serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)'
      : 'SharedArrayBuffer is unavailable in this JavaScript environment';
  }
  if (typeof Atomics === 'undefined') return 'Atomics is unavailable in this JavaScript environment';
  return undefined;
}

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** Loads the platform this code runs on, or throws saying why threads cannot run here. */
export async function loadPlatform(): Promise<Platform> {
  const problem = sharedMemoryProblem();
  if (problem) throw new Error(problem);
  if (isNode()) return loadNode();
  if (typeof (globalThis as { Worker?: unknown }).Worker === 'function') return browserPlatform();
  throw new Error('no worker threads here: neither Node worker_threads nor Web Workers are available');
}

// The specifiers are held in variables so that browser bundlers do not try to resolve Node built-ins.
const WORKER_THREADS = 'node:worker_threads';
const OS = 'node:os';

async function loadNode(): Promise<Platform> {
  const wt = (await import(/* @vite-ignore */ WORKER_THREADS)) as typeof import('node:worker_threads');
  const os = (await import(/* @vite-ignore */ OS)) as typeof import('node:os');
  return {
    name: 'node',
    cores: os.availableParallelism?.() ?? os.cpus().length,
    canBlock: true,
    spawn(url, init, listeners, name) {
      // Workers inherit the process's flags; `--input-type` (set by `node --input-type=module -e ...`)
      // applies to string input only and makes a file worker fail to start.
      const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
      const worker = new wt.Worker(url ?? new URL('./worker.js', import.meta.url), {
        workerData: init,
        name,
        execArgv,
      });
      worker.on('message', (m) => listeners.onMessage(m));
      // Without an 'error' listener, a worker's uncaught error would be rethrown on the main thread.
      worker.on('error', (e) => listeners.onError(e));
      worker.on('exit', (code) => listeners.onExit(code));
      return {
        postMessage: (m) => worker.postMessage(m),
        terminate: async () => {
          await worker.terminate();
        },
        unref: () => worker.unref(),
        ref: () => worker.ref(),
      };
    },
  };
}

/** The part of a DOM `Worker` used here (the DOM library is not part of this package's types). */
interface WebWorker {
  onmessage: ((e: { data: unknown }) => void) | null;
  onerror: ((e: { message?: string; preventDefault(): void }) => void) | null;
  postMessage(message: unknown): void;
  terminate(): void;
}

/** The browser's Worker constructor (declared here for the same reason). */
declare const Worker: new (url: URL | string, options: { type: 'module'; name: string }) => WebWorker;

function browserPlatform(): Platform {
  const g = globalThis as unknown as {
    navigator?: { hardwareConcurrency?: number };
    document?: unknown;
  };
  return {
    name: 'browser',
    cores: g.navigator?.hardwareConcurrency ?? 2,
    // A page's main thread (it has a document) may not block; a Web Worker may.
    canBlock: g.document === undefined,
    spawn(url, init, listeners, name) {
      // Written as `new Worker(new URL('./worker.js', import.meta.url), ...)`, the pattern bundlers (Vite,
      // webpack 5, Parcel) recognise, so that they bundle the worker script with its imports.
      const worker = url
        ? new Worker(url, { type: 'module', name })
        : new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name });
      worker.onmessage = (e) => listeners.onMessage(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        listeners.onError(new Error(e.message || 'worker failed to load or threw'));
      };
      worker.postMessage(init);
      return {
        postMessage: (m) => worker.postMessage(m),
        terminate: async () => {
          worker.terminate();
          listeners.onExit(1);
        },
        unref: () => {},
        ref: () => {},
      };
    },
  };
}
