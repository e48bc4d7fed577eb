/**
 * Scopes: `tidy(fn)` disposes every tensor created inside `fn` except those it returns and those marked
 * with `keep()`. Tensors are registered here when created; nothing else tracks them.
 */
import { ArgumentError } from '../errors/errors.js';

/** What a scope needs of a tensor (kept structural to avoid an import cycle). */
export interface Scoped {
  readonly isDisposed: boolean;
  kept: boolean;
  dispose(): void;
}

const stack: Set<Scoped>[] = [];
let liveTensors = 0;

/** Called by every new tensor. */
export function track(t: Scoped): void {
  liveTensors++;
  const top = stack[stack.length - 1];
  if (top) top.add(t);
}

/** Called by every tensor's dispose. */
export function untrack(t: Scoped): void {
  liveTensors--;
  for (let i = stack.length - 1; i >= 0; i--) if ((stack[i] as Set<Scoped>).delete(t)) break;
}

/** Number of tensors not yet disposed. */
export function liveTensorCount(): number {
  return liveTensors;
}

/**
 * Runs `fn` in a fresh scope and returns what it made besides its result (for ops built from other ops,
 * whose intermediates either die at once or live as long as the result's gradient needs them).
 */
export function collectCreated<T>(fn: () => T): { result: T; created: Scoped[] } {
  const scope = new Set<Scoped>();
  stack.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    stack.pop();
    for (const t of scope) if (!t.isDisposed && !t.kept) t.dispose();
    throw e;
  }
  stack.pop();
  const parent = stack[stack.length - 1];
  const created: Scoped[] = [];
  for (const t of scope) {
    if ((t as unknown) === result) {
      if (parent) parent.add(t);
    } else if (!t.isDisposed && !t.kept) created.push(t);
  }
  return { result, created };
}

/** Hands a kept tensor back to the innermost scope (it is no longer kept). */
export function unkeep<T extends Scoped>(t: T): T {
  t.kept = false;
  const top = stack[stack.length - 1];
  if (top) top.add(t);
  return t;
}

/** Removes a tensor from every scope without marking it kept: its owner (another tensor) frees it. */
export function adopt<T extends Scoped>(t: T): T {
  for (const s of stack) s.delete(t);
  return t;
}

/**
 * Marks a tensor to survive every enclosing `tidy`. Returns it.
 *
 * @example
 * ```ts
 * const w = tidy(() => keep(randn([3, 3])));
 * ```
 */
export function keep<T extends Scoped>(t: T): T {
  t.kept = true;
  for (const s of stack) s.delete(t);
  return t;
}

function collect(value: unknown, into: Set<Scoped>, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 8) return;
  if (isScoped(value)) {
    into.add(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collect(v, into, depth + 1);
    return;
  }
  if (value instanceof Map) {
    for (const v of value.values()) collect(v, into, depth + 1);
    return;
  }
  if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collect(v, into, depth + 1);
  }
}

function isScoped(v: object): v is Scoped {
  return 'kept' in v && 'isDisposed' in v && typeof (v as Scoped).dispose === 'function';
}

/**
 * Runs `fn` and disposes every tensor it created, except the tensors in its result (a tensor, or arrays,
 * maps and plain objects of them) and those passed to `keep()`. The returned tensors move to the
 * enclosing scope. `fn` must be synchronous.
 *
 * @example
 * ```ts
 * const loss = tidy(() => mseLoss(model.forward(x), y)); // intermediates are freed
 * ```
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Scoped>();
  stack.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    stack.pop();
    for (const t of scope) if (!t.isDisposed && !t.kept) t.dispose();
    throw e;
  }
  stack.pop();
  if (
    result !== null &&
    typeof result === 'object' &&
    typeof (result as { then?: unknown }).then === 'function'
  ) {
    for (const t of scope) if (!t.isDisposed && !t.kept) t.dispose();
    throw new ArgumentError('tidy', 'fn returned a Promise; tidy only scopes synchronous work');
  }
  const survivors = new Set<Scoped>();
  collect(result, survivors);
  const parent = stack[stack.length - 1];
  for (const t of scope) {
    if (survivors.has(t)) {
      if (parent) parent.add(t);
    } else if (!t.isDisposed && !t.kept) {
      t.dispose();
    }
  }
  return result;
}
