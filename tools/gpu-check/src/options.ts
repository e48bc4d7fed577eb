/**
 * The check's settings, all from environment variables (the device command line is short, and run.sh
 * passes the environment through unchanged).
 */
import { join } from 'node:path';

/** Phases the check can run, in order. */
export const PHASES = ['conformance', 'matmul', 'training'] as const;
export type Phase = (typeof PHASES)[number];

export interface CheckOptions {
  /** GPU_CHECK_ALLOW_SOFTWARE=1: go on with a software adapter (lavapipe, SwiftShader) instead of failing. */
  readonly allowSoftware: boolean;
  /** GPU_CHECK_QUICK=1: fewer timed runs, shorter runs and no n = 2048 (for software adapters). */
  readonly quick: boolean;
  /** GPU_CHECK_PHASES=conformance,matmul,training: which phases run (the adapter check always runs). */
  readonly phases: ReadonlySet<Phase>;
  /** Where the JSON goes: $OUT/gpu-check.json, else $GPU_CHECK_JSON, else ./gpu-check.json. */
  readonly jsonPath: string;
  /** GPU_CHECK_BUDGET_S: once this many seconds have passed, phases not started yet are skipped. */
  readonly budgetSeconds: number;
  /** GPU_CHECK_TEST_TIMEOUT_MS: the conformance suite's per-test timeout. */
  readonly testTimeoutMs: number | undefined;
  /** GPU_CHECK_HARD_LIMIT_S: then the check writes what it has and exits (default: budget + 60 s). */
  readonly hardLimitSeconds: number;
}

/** One environment variable (read by name, so that every setting goes through here). */
export function envVar(name: string): string | undefined {
  return process.env[name];
}

function flag(name: string): boolean {
  const v = envVar(name);
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

function positiveNumber(name: string): number | undefined {
  const raw = envVar(name);
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!(n > 0)) throw new Error(`${name}=${raw}: expected a positive number`);
  return n;
}

function phases(raw: string | undefined): Set<Phase> {
  if (!raw) return new Set(PHASES);
  const wanted = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = wanted.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (unknown.length > 0)
    throw new Error(`GPU_CHECK_PHASES: unknown ${unknown.join(', ')} (known: ${PHASES.join(', ')})`);
  return new Set(wanted as Phase[]);
}

/** Reads the settings from `process.env`. */
export function readOptions(): CheckOptions {
  const out = envVar('OUT');
  const budgetSeconds = positiveNumber('GPU_CHECK_BUDGET_S') ?? 150;
  return {
    allowSoftware: flag('GPU_CHECK_ALLOW_SOFTWARE'),
    quick: flag('GPU_CHECK_QUICK'),
    phases: phases(envVar('GPU_CHECK_PHASES')),
    jsonPath: out ? join(out, 'gpu-check.json') : (envVar('GPU_CHECK_JSON') ?? 'gpu-check.json'),
    budgetSeconds,
    testTimeoutMs: positiveNumber('GPU_CHECK_TEST_TIMEOUT_MS'),
    hardLimitSeconds: positiveNumber('GPU_CHECK_HARD_LIMIT_S') ?? budgetSeconds + 60,
  };
}
