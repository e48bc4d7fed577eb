/**
 * The conformance page: `conformance.html?backend=cpu|worker|webgpu` runs the shared suite for that
 * backend in a Web Worker and shows the counts and each failure. The end-to-end tests read the result
 * from `window.__conformance`.
 */
import type { RunSummary } from './vitest-shim.js';
import '../styles.css';

declare global {
  interface Window {
    __conformance?: RunSummary;
  }
}

const backend = new URLSearchParams(location.search).get('backend') ?? 'cpu';
const title = document.getElementById('title') as HTMLElement;
const status = document.getElementById('status') as HTMLElement;
const bar = document.getElementById('bar') as HTMLProgressElement;
const list = document.getElementById('failures') as HTMLElement;
title.textContent = `Conformance: ${backend}`;
document.title = `Conformance: ${backend} · Myelin`;

const worker = new Worker(new URL('./worker.ts', import.meta.url), {
  type: 'module',
  name: `conformance-${backend}`,
});
worker.onmessage = (e: MessageEvent) => {
  const m = e.data as
    | { type: 'progress'; name: string; ok: boolean; done: number; total: number }
    | { type: 'done'; summary: RunSummary };
  if (m.type === 'progress') {
    bar.max = m.total;
    bar.value = m.done;
    status.textContent = `${m.done} of ${m.total} tests run`;
    return;
  }
  const s = m.summary;
  status.textContent = `${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped in ${s.seconds.toFixed(1)} s`;
  status.dataset.done = 'true';
  for (const f of s.failures) {
    const li = document.createElement('li');
    li.textContent = `${f.name}: ${f.error}`;
    list.append(li);
  }
  window.__conformance = s;
};
worker.onerror = (e) => {
  e.preventDefault();
  const s: RunSummary = {
    passed: 0,
    failed: 1,
    skipped: 0,
    seconds: 0,
    failures: [{ name: 'worker', error: e.message || 'the conformance worker failed to load' }],
  };
  status.textContent = `The conformance worker failed: ${s.failures[0]?.error}`;
  window.__conformance = s;
};
worker.postMessage({ backend });
