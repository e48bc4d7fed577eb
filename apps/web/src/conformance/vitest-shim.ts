/**
 * Just enough of vitest's test API for @myelin/conformance to run in a browser: `describe`, `it` and the
 * four hooks register into a tree; `runCollected()` runs it in order (hooks of enclosing suites apply,
 * as in vitest) and returns pass/fail counts with the failures' messages. The conformance page aliases
 * the module `vitest` to this file (vite.config.ts), so the suite runs unchanged.
 */

type Fn = () => unknown | Promise<unknown>;

interface Test {
  name: string;
  fn: Fn;
  timeout: number | undefined;
}

interface Suite {
  name: string;
  tests: Array<Test | Suite>;
  beforeAll: Fn[];
  afterAll: Fn[];
  beforeEach: Fn[];
  afterEach: Fn[];
}

/** One failed test: its full name and error message. */
export interface Failure {
  name: string;
  error: string;
}

/** The outcome of a run. */
export interface RunSummary {
  passed: number;
  failed: number;
  skipped: number;
  failures: Failure[];
  seconds: number;
}

const DEFAULT_TIMEOUT = 5_000;

const newSuite = (name: string): Suite => ({
  name,
  tests: [],
  beforeAll: [],
  afterAll: [],
  beforeEach: [],
  afterEach: [],
});

const root = newSuite('');
let current = root;

export function describe(name: string, body: () => void): void {
  const suite = newSuite(name);
  current.tests.push(suite);
  const parent = current;
  current = suite;
  try {
    body();
  } finally {
    current = parent;
  }
}

export function it(name: string, fn: Fn, timeout?: number): void {
  current.tests.push({ name, fn, timeout });
}
export const test = it;

export function beforeAll(fn: Fn): void {
  current.beforeAll.push(fn);
}
export function afterAll(fn: Fn): void {
  current.afterAll.push(fn);
}
export function beforeEach(fn: Fn): void {
  current.beforeEach.push(fn);
}
export function afterEach(fn: Fn): void {
  current.afterEach.push(fn);
}

function message(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

async function withTimeout(fn: Fn, ms: number, what: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(fn),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function isSuite(t: Test | Suite): t is Suite {
  return 'tests' in t;
}

function countTests(s: Suite): number {
  return s.tests.reduce((n, t) => n + (isSuite(t) ? countTests(t) : 1), 0);
}

/**
 * Runs everything registered so far. `onResult` hears about each test as it finishes (for a progress
 * display). A failing `beforeAll` fails every test of its suite, as in vitest.
 */
export async function runCollected(
  onResult?: (name: string, ok: boolean, done: number, total: number) => void,
  defaultTimeout = DEFAULT_TIMEOUT,
): Promise<RunSummary> {
  const started = performance.now();
  const summary: RunSummary = { passed: 0, failed: 0, skipped: 0, failures: [], seconds: 0 };
  const total = countTests(root);
  let done = 0;
  const record = (name: string, error: string | undefined) => {
    done += 1;
    if (error === undefined) summary.passed += 1;
    else {
      summary.failed += 1;
      summary.failures.push({ name, error });
    }
    onResult?.(name, error === undefined, done, total);
  };

  const run = async (suite: Suite, path: string[], eachBefore: Fn[], eachAfter: Fn[]): Promise<void> => {
    const names = suite.name ? [...path, suite.name] : path;
    let setupError: string | undefined;
    for (const hook of suite.beforeAll) {
      try {
        await withTimeout(hook, 60_000, 'beforeAll');
      } catch (e) {
        setupError = `beforeAll failed: ${message(e)}`;
        break;
      }
    }
    const before = [...eachBefore, ...suite.beforeEach];
    const after = [...suite.afterEach, ...eachAfter];
    for (const t of suite.tests) {
      if (isSuite(t)) {
        if (setupError) failAll(t, [...names, t.name], setupError);
        else await run(t, names, before, after);
        continue;
      }
      const name = [...names, t.name].join(' > ');
      if (setupError) {
        record(name, setupError);
        continue;
      }
      let error: string | undefined;
      try {
        for (const hook of before) await withTimeout(hook, 30_000, 'beforeEach');
        await withTimeout(t.fn, t.timeout ?? defaultTimeout, 'test');
      } catch (e) {
        error = message(e);
      }
      for (const hook of after) {
        try {
          await withTimeout(hook, 30_000, 'afterEach');
        } catch (e) {
          error ??= `afterEach: ${message(e)}`;
        }
      }
      record(name, error);
    }
    for (const hook of suite.afterAll) {
      try {
        await withTimeout(hook, 60_000, 'afterAll');
      } catch (e) {
        record(`${names.join(' > ')} (afterAll)`, message(e));
      }
    }
  };

  const failAll = (suite: Suite, path: string[], error: string) => {
    for (const t of suite.tests) {
      if (isSuite(t)) failAll(t, [...path, t.name], error);
      else record([...path, t.name].join(' > '), error);
    }
  };

  await run(root, [], [], []);
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
