/** Test helpers: the CPU backend, and a check that a block of work leaves no tensor behind. */
import { CpuBackend } from '@myelin/backend-cpu';
import { memory, registerBackend, setBackend } from '@myelin/core';
import { expect } from 'vitest';

let ready: Promise<void> | undefined;

/** Selects the CPU backend (registered once per test file). */
export function useCpu(): Promise<void> {
  ready ??= (async () => {
    registerBackend('cpu', () => new CpuBackend());
    await setBackend('cpu');
  })();
  return ready;
}

/** Runs `fn` and asserts that the live tensors and buffers are back where they were. */
export async function expectNoLeak<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = memory();
  const result = await fn();
  const after = memory();
  expect({ tensors: after.tensors, buffers: after.buffers }).toEqual({
    tensors: before.tensors,
    buffers: before.buffers,
  });
  return result;
}
