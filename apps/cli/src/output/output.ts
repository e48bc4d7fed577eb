/**
 * Where a command writes, and how: colour or not, a live terminal or not, human text or one JSON document.
 * Commands never touch `process.stdout` directly, so tests can run them against string buffers.
 */
import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/** A stream as far as the CLI needs one. */
export interface Sink {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** The global options every command takes. */
export interface GlobalOptions {
  json?: boolean;
  verbose?: boolean;
  color?: boolean;
}

/**
 * The output of one command.
 *
 * - `json`: stdout gets exactly one JSON document (see `emitJson`); no progress bars, no colour, no text.
 * - `live`: stdout and stderr are terminals, so progress bars may redraw in place.
 */
export class Output {
  readonly json: boolean;
  readonly verbose: boolean;
  readonly live: boolean;
  readonly c: Colors;
  readonly stdout: Sink;
  readonly stderr: Sink;

  constructor(
    options: GlobalOptions,
    stdout: Sink = process.stdout,
    stderr: Sink = process.stderr,
    env = process.env,
  ) {
    this.stdout = stdout;
    this.stderr = stderr;
    this.json = options.json === true;
    this.verbose = options.verbose === true;
    this.live = !this.json && stdout.isTTY === true && stderr.isTTY === true && env.TERM !== 'dumb';
    this.c = pc.createColors(!this.json && colorWanted(options, stdout, env));
  }

  /** A line of human output (suppressed in JSON mode). */
  line(text = ''): void {
    if (!this.json) this.stdout.write(`${text}\n`);
  }

  /** A note about the run (which backend was chosen, where files went), dimmed; not in JSON mode. */
  note(text: string): void {
    if (!this.json) this.stdout.write(`${this.c.dim(text)}\n`);
  }

  /** A warning, always on stderr (also in JSON mode: stdout stays one parseable document). */
  warn(text: string): void {
    this.stderr.write(`${this.c.yellow('warning:')} ${text}\n`);
  }

  /** The one JSON document of a `--json` run. */
  emitJson(value: unknown): void {
    if (this.json) this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Terminal width for layout; output to a file or a pipe is not wrapped. */
  get columns(): number {
    if (this.stdout.isTTY !== true) return 200;
    return this.stdout.columns && this.stdout.columns > 20 ? this.stdout.columns : 80;
  }
}

/**
 * Colour follows the informal standards: `NO_COLOR` (any non-empty value) turns it off, `FORCE_COLOR`
 * (not `0`) turns it on, `--no-color` wins over both; otherwise colour when stdout is a terminal.
 */
export function colorWanted(options: GlobalOptions, stdout: Sink, env: NodeJS.ProcessEnv): boolean {
  if (options.color === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return stdout.isTTY === true && env.TERM !== 'dumb';
}
