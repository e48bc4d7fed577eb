/**
 * The TensorFlow.js peers: `@tensorflow/tfjs` on its 'cpu' backend and `@tensorflow/tfjs-backend-wasm`
 * with SIMD. The .wasm binaries are read from the npm package on disk; nothing is fetched.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BenchCase, EngineId, TfjsModule } from '../types.js';
import { type Engine, type EngineSkip, type LoadedEngines, messageOf } from './engine.js';
import { registerWasmConvFilterGrad } from './tfjs-wasm-conv-filter.js';

const require = createRequire(import.meta.url);

function versionOf(pkg: string): string {
  const path = require.resolve(`${pkg}/package.json`);
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

/** Imports tfjs without its console banner that recommends tfjs-node (which cannot be installed here). */
async function importQuietly(): Promise<TfjsModule> {
  const warn = console.warn;
  const log = console.log;
  const banner = (args: unknown[]) => args.some((a) => typeof a === 'string' && /tfjs-node|={8,}/.test(a));
  console.warn = (...args: unknown[]) => void (banner(args) || warn(...args));
  console.log = (...args: unknown[]) => void (banner(args) || log(...args));
  try {
    return (await import('@tensorflow/tfjs')) as TfjsModule;
  } finally {
    console.warn = warn;
    console.log = log;
  }
}

function tfjsEngine(tf: TfjsModule, id: EngineId, backend: string, description: string): Engine {
  return {
    id,
    framework: 'tfjs',
    queued: false,
    description,
    async activate() {
      if (!(await tf.setBackend(backend)) || tf.getBackend() !== backend) {
        throw new Error(`tfjs backend '${backend}' did not initialise`);
      }
    },
    liveTensors: () => tf.memory().numTensors,
    prepare: (c: BenchCase) => c.tfjs(tf),
    async dispose() {},
  };
}

/** Loads the tfjs engines among `wanted`. */
export async function loadTfjsEngines(wanted: readonly EngineId[]): Promise<LoadedEngines> {
  const out: LoadedEngines = { engines: [], skipped: [], versions: {} };
  const want = wanted.filter((id) => id.startsWith('tfjs-'));
  if (want.length === 0) return out;
  let tf: TfjsModule;
  try {
    tf = await importQuietly();
  } catch (err) {
    for (const id of want)
      out.skipped.push({ id, reason: `@tensorflow/tfjs failed to load: ${messageOf(err)}` });
    return out;
  }
  // Production mode drops tfjs's debug-time checks, as a user tuning for speed would.
  tf.enableProdMode();
  out.versions['@tensorflow/tfjs'] = versionOf('@tensorflow/tfjs');
  out.versions['@tensorflow/tfjs-core'] = versionOf('@tensorflow/tfjs-core');

  if (want.includes('tfjs-cpu')) {
    const e = tfjsEngine(
      tf,
      'tfjs-cpu',
      'cpu',
      `@tensorflow/tfjs ${tf.version_core}, 'cpu' backend (plain JS, 1 thread)`,
    );
    await tryActivate(e, out.engines, out.skipped);
  }
  if (want.includes('tfjs-wasm')) {
    const skip = await loadWasm(tf, out);
    if (skip) out.skipped.push(skip);
  }
  return out;
}

async function loadWasm(tf: TfjsModule, out: LoadedEngines): Promise<EngineSkip | undefined> {
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
  } catch (err) {
    return { id: 'tfjs-wasm', reason: `@tensorflow/tfjs-backend-wasm failed to load: ${messageOf(err)}` };
  }
  const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
  wasm.setWasmPaths(join(dist, '/'));
  const shimmed = registerWasmConvFilterGrad(tf);
  out.versions['@tensorflow/tfjs-backend-wasm'] = versionOf('@tensorflow/tfjs-backend-wasm');
  const e = tfjsEngine(tf, 'tfjs-wasm', 'wasm', '');
  if (!(await tryActivate(e, out.engines, out.skipped))) return undefined;
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threads = wasm.getThreadsCount();
  e.description =
    `@tensorflow/tfjs-backend-wasm ${wasm.version_wasm}, ${simd ? 'SIMD' : 'no SIMD'}, ` +
    `${threads} thread${threads === 1 ? '' : 's'}` +
    (shimmed ? '; Conv2DBackpropFilter added by the harness (the package lacks it)' : '');
  if (!simd) {
    out.engines.pop();
    return { id: 'tfjs-wasm', reason: 'WebAssembly SIMD is not available in this Node' };
  }
  return undefined;
}

async function tryActivate(e: Engine, engines: Engine[], skipped: EngineSkip[]): Promise<boolean> {
  try {
    await e.activate();
    engines.push(e);
    return true;
  } catch (err) {
    skipped.push({ id: e.id, reason: messageOf(err) });
    return false;
  }
}
