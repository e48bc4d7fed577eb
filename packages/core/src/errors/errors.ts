/**
 * Every error Myelin throws on purpose extends `MyelinError`, so callers can tell a usage mistake from a
 * bug. Messages start with the op's name and give the shapes involved:
 * `matmul: [2,3] @ [4,5]: inner dimensions 3 and 4 differ`.
 *
 * @example
 * ```ts
 * try { matmul(a, b); } catch (e) { if (e instanceof ShapeError) console.log(e.op, e.message); }
 * ```
 */
export class MyelinError extends Error {
  /** The op (or API) that raised the error. */
  readonly op: string;
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.op = op;
    this.name = new.target.name;
  }
}

/** Shapes that do not fit together (broadcasting, inner dimensions, ranks, axis ranges). */
export class ShapeError extends MyelinError {}

/** A dtype the op does not accept. */
export class DTypeError extends MyelinError {}

/** An argument out of its domain (negative kernel size, p outside [0, 1], unknown option...). */
export class ArgumentError extends MyelinError {}

/** A backend that is unknown, unavailable, or that failed. */
export class BackendError extends MyelinError {}

/** A tensor used after `dispose()`. */
export class DisposedError extends MyelinError {}

/** A kernel (often a plugin's) that threw or broke the kernel contract. */
export class KernelError extends MyelinError {}

/** Formats a shape as `[2,3]` for messages. */
export function fmt(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
