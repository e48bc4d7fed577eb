/**
 * `myelin lab`: the chapter's claims as experiments (@myelin/lab). `lab <name>` runs one and prints its
 * claim, setup, table and reading, and writes its figures; `lab all` runs every one and writes the Markdown
 * report; `lab list` (or `lab` alone) lists them. The lab's code is imported only when this command runs.
 */
import { type Command, Option } from 'commander';
import { BACKEND_NAMES } from '../backends/setup.js';
import { usageError } from '../errors.js';
import type { Wrap } from '../main.js';
import { nonNegativeInt } from '../options.js';

interface LabCommandFlags {
  backend: string;
  seed: number;
  quick: boolean;
  out?: string;
  only?: string;
}

export function registerLabCommand(program: Command, wrap: Wrap): void {
  program
    .command('lab')
    .description("run the lab's experiments: each claim of the chapter measured, with a table and figures")
    .argument('[experiment]', "an experiment's name, 'all', or 'list' (the default)")
    .addOption(
      new Option('-b, --backend <name>', 'backend: auto picks as `myelin train` does')
        .choices(['auto', ...BACKEND_NAMES])
        .default('auto'),
    )
    .addOption(
      new Option('--seed <n>', 'random seed: data, weights, every draw (same seed, same numbers)')
        .argParser(nonNegativeInt)
        .default(0),
    )
    .addOption(
      new Option('--quick', 'smaller data and fewer epochs (about a second per experiment)').default(false),
    )
    .addOption(
      new Option(
        '--out <dir>',
        'folder for the figures (and, for all, lab.md with the figures in lab/); default runs/lab-<time>',
      ),
    )
    .addOption(
      new Option('--only <names>', 'with all: only these experiments (comma-separated, in this order)'),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ myelin lab                            list the experiments and their claims
  $ myelin lab zero-init                  run one: claim, setup, table, reading; figures in runs/lab-<time>/
  $ myelin lab batchnorm --seed 3 --quick another seed, smaller and faster
  $ myelin lab dead-relu -b worker --json the result and the figures' paths as JSON
  $ myelin lab all                        every experiment, then runs/lab-<time>/lab.md and lab/*.svg|png
  $ myelin lab all --only dropout,ensemble --quick
  $ pnpm myelin lab all --out docs        refresh the repository's docs/lab.md and docs/lab/ (1-2 min)

Exit codes: 0 done, 1 the run failed, 2 unknown experiment or bad option, 130 stopped by Ctrl-C.`,
    )
    .action(
      wrap<LabCommandFlags>(async (flags, out, ctx, args) => {
        const lab = await import('../lab/run.js');
        const name = args[0] ?? 'list';
        if (name === 'list') return lab.listExperiments(out);
        const options = { backend: flags.backend, seed: flags.seed, quick: flags.quick, out: flags.out };
        if (name === 'all') return lab.runEverything({ ...options, only: flags.only }, out, ctx.signal);
        if (flags.only !== undefined)
          throw usageError('--only goes with `myelin lab all`', `run 'myelin lab all --only ${flags.only}'`);
        return lab.runOne(name, options, out, ctx.signal);
      }),
    );
}
