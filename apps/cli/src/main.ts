/**
 * The `myelin` program: its commands, global options, and the one place where errors become messages and
 * exit codes. `main` returns the exit code instead of exiting, so tests can call it in-process.
 */
import { Command, CommanderError, Option } from 'commander';
import { registerBackendsCommand } from './commands/backends.js';
import { registerBenchCommand } from './commands/bench.js';
import { registerEvalCommand } from './commands/eval.js';
import { registerLabCommand } from './commands/lab.js';
import { registerPredictCommand } from './commands/predict.js';
import { registerTrainCommand } from './commands/train.js';
import type { Context } from './context.js';
import { EXIT, type ExitCode, reportError } from './errors.js';
import { type GlobalOptions, Output } from './output/output.js';

export const VERSION = '0.0.0';

/** A command's action: gets its own options (merged with the global ones) and returns an exit code. */
export type Action<O> = (
  options: O & GlobalOptions,
  out: Output,
  ctx: Context,
  args: string[],
) => Promise<ExitCode | undefined>;

/**
 * Builds the program. Each command module adds itself with `program.command(...)` and wraps its action in
 * `wrap`, which turns a thrown error into the message and exit code of the `errors.ts` conventions.
 */
export function buildProgram(ctx: Context, setExit: (code: ExitCode) => void): Command {
  const program = new Command('myelin')
    .description('Train, evaluate and benchmark Myelin models from the terminal.')
    .version(VERSION, '-V, --version')
    .addOption(new Option('--json', 'print one JSON document on stdout (no progress bars, no colour)'))
    .addOption(new Option('--verbose', 'show stack traces and extra detail on errors'))
    .addOption(new Option('--no-color', 'no colour (NO_COLOR=1 in the environment does the same)'))
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
    })
    .showHelpAfterError('(run the command with --help for usage and examples)')
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  $ myelin train                                  train an MLP on the bundled digits (~10 s)
  $ myelin train -m lenet -d fashion-mnist -e 5   a CNN on Fashion-MNIST
  $ myelin eval runs/<time>/model.safetensors     test accuracy of a checkpoint
  $ myelin backends                               which backends run here, and why not
  $ myelin bench                                  the same workload on every backend

Exit codes: 0 success, 1 the run failed, 2 bad usage, 130 stopped by Ctrl-C.`,
    );
  const wrapFor =
    <O>(action: Action<O>) =>
    async (...commanderArgs: unknown[]) => {
      const command = commanderArgs[commanderArgs.length - 1] as Command;
      const options = command.optsWithGlobals() as O & GlobalOptions;
      const out = new Output(options, ctx.stdout, ctx.stderr, ctx.env);
      try {
        setExit((await action(options, out, ctx, command.args)) ?? EXIT.ok);
      } catch (error) {
        setExit(printError(error, out));
      }
    };
  registerTrainCommand(program, wrapFor);
  registerEvalCommand(program, wrapFor);
  registerPredictCommand(program, wrapFor);
  registerBenchCommand(program, wrapFor);
  registerBackendsCommand(program, wrapFor);
  registerLabCommand(program, wrapFor);
  for (const command of program.commands) {
    command
      .exitOverride()
      .showHelpAfterError(`(run 'myelin ${command.name()} --help' for usage and examples)`);
    command.configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
    });
  }
  return program;
}

export type Wrap = <O>(action: Action<O>) => (...args: unknown[]) => Promise<void>;

/** Prints an error the CLI way (one sentence, a hint, the stack only with --verbose) and returns its exit code. */
export function printError(error: unknown, out: Output): ExitCode {
  const report = reportError(error);
  const { c } = out;
  out.stderr.write(`${c.red(c.bold('error:'))} ${report.message}\n`);
  if (report.hint) out.stderr.write(`${c.dim('hint:')} ${report.hint}\n`);
  if (out.verbose && report.detail) out.stderr.write(`${c.dim(report.detail)}\n`);
  if (out.json) {
    out.emitJson({
      ok: false,
      error: { message: report.message, hint: report.hint ?? null, exitCode: report.exitCode },
    });
  }
  return report.exitCode;
}

/**
 * Runs the program on `argv` (without `node` and the script) and returns the exit code.
 *
 * @example
 * ```ts
 * const code = await main(['backends', '--json'], context);
 * ```
 */
export async function main(argv: string[], ctx: Context): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.ok;
  const program = buildProgram(ctx, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      // `myelin` alone (or a command group without its command) shows the help on stderr: bad usage.
      if (error.code === 'commander.help') return EXIT.usage;
      // Commander has already printed its message; a --json caller still gets a document.
      if (argv.includes('--json')) {
        ctx.stdout.write(
          `${JSON.stringify({ ok: false, error: { message: error.message.replace(/^error: /, ''), exitCode: EXIT.usage } }, null, 2)}\n`,
        );
      }
      return EXIT.usage;
    }
    return printError(error, new Output({ json: argv.includes('--json') }, ctx.stdout, ctx.stderr, ctx.env));
  }
  return exitCode;
}
