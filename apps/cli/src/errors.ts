/**
 * How the CLI fails: every expected failure is a `CliError` with one sentence that says what is wrong and
 * how to fix it, and the exit code that says whose fault it was (2: the command line, 1: the run).
 * Anything else is a bug or a library error; it is reported in one line too, with the stack trace only
 * behind `--verbose`.
 */
import { MyelinError } from '@myelin/core';

/** Exit codes of every `myelin` command. */
export const EXIT = {
  ok: 0,
  /** The run itself failed (a file that cannot be read, a backend that broke, a checkpoint that does not fit). */
  failed: 1,
  /** The command line was wrong (an unknown option, dataset, backend or experiment). */
  usage: 2,
  /** Stopped by Ctrl-C (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * An expected failure, with the sentence the user reads.
 *
 * @example
 * ```ts
 * throw new CliError(`unknown dataset 'digitz'`, { hint: 'use one of: digits, moons', exitCode: EXIT.usage });
 * ```
 */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  /** What to do about it, printed after the message. */
  readonly hint: string | undefined;
  constructor(message: string, options: { exitCode?: ExitCode; hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? EXIT.failed;
    this.hint = options.hint;
  }
}

/** A mistake on the command line: exit code 2. */
export function usageError(message: string, hint?: string): CliError {
  return new CliError(message, { exitCode: EXIT.usage, hint });
}

/** A run that failed: exit code 1. */
export function runError(message: string, hint?: string, cause?: unknown): CliError {
  return new CliError(message, { exitCode: EXIT.failed, hint, cause });
}

/** What is printed, and the exit code, for any error that reached the top of a command. */
export interface ErrorReport {
  message: string;
  hint?: string;
  exitCode: ExitCode;
  /** The stack trace (and causes), for `--verbose`. */
  detail?: string;
}

/** Turns anything thrown into an `ErrorReport`. */
export function reportError(error: unknown): ErrorReport {
  const detail = stackOf(error);
  if (error instanceof CliError) {
    return { message: error.message, hint: error.hint, exitCode: error.exitCode, detail };
  }
  if (error instanceof MyelinError) {
    // The library's own messages already name the op and the shapes (`matmul: [2,3] @ [4,5]: ...`).
    return { message: error.message, exitCode: EXIT.failed, detail };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    message: `unexpected error: ${message}`,
    hint: 'this is probably a bug in myelin; run again with --verbose for the stack trace and report it',
    exitCode: EXIT.failed,
    detail,
  };
}

function stackOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  let text = error.stack ?? `${error.name}: ${error.message}`;
  let cause = error.cause;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    text += `\ncaused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return text;
}
