/**
 * `myelin lab <experiment>`: only the wiring for now. The lab (guided experiments that show why
 * initialisation, normalisation or the optimiser matter) is a later task; this command says so honestly
 * instead of pretending to run anything.
 */
import type { Command } from 'commander';
import { EXIT, usageError } from '../errors.js';
import type { Wrap } from '../main.js';
import { table } from '../output/table.js';

export interface Experiment {
  name: string;
  question: string;
  status: 'coming';
}

/** The experiments planned for the lab; none runs yet. */
export const EXPERIMENTS: readonly Experiment[] = [
  {
    name: 'init',
    question: 'how weight initialisation decides whether a deep net trains at all',
    status: 'coming',
  },
  { name: 'activations', question: 'dead ReLUs against leaky and smooth activations', status: 'coming' },
  {
    name: 'batchnorm',
    question: 'what batch normalisation does to gradients and learning rates',
    status: 'coming',
  },
  { name: 'dropout', question: 'overfitting a small dataset, with and without dropout', status: 'coming' },
  {
    name: 'optimizers',
    question: 'SGD, momentum, Adam and RMSprop on the same loss surface',
    status: 'coming',
  },
  { name: 'lr-range', question: 'finding a learning rate by sweeping it over one epoch', status: 'coming' },
];

export function registerLabCommand(program: Command, wrap: Wrap): void {
  program
    .command('lab')
    .description('run a guided experiment (not available yet: lists the experiments that are coming)')
    .argument('[experiment]', 'the experiment to run; omit it to list them')
    .addHelpText(
      'after',
      `
Examples:
  $ myelin lab          list the experiments (all are coming in a later release)
  $ myelin lab init     says that 'init' is not available yet (exit code 1)

Exit codes: 0 listed, 1 the experiment exists but cannot run yet, 2 unknown experiment.`,
    )
    .action(
      wrap<Record<string, never>>(async (_options, out, _ctx, args) => {
        const name = args[0];
        if (name === undefined) {
          out.emitJson({ ok: true, command: 'lab', experiments: EXPERIMENTS });
          out.line('The lab is not available yet. Experiments that are coming:');
          out.line(
            table(
              out,
              ['experiment', 'status', 'what it will show'],
              EXPERIMENTS.map((e) => [e.name, e.status, e.question]),
            ),
          );
          return EXIT.ok;
        }
        const experiment = EXPERIMENTS.find((e) => e.name === name);
        if (!experiment) {
          throw usageError(
            `unknown experiment '${name}'`,
            `the lab's experiments are: ${EXPERIMENTS.map((e) => e.name).join(', ')}`,
          );
        }
        out.emitJson({
          ok: false,
          command: 'lab',
          experiment,
          error: { message: `experiment '${name}' is not available yet` },
        });
        out.line(
          `The experiment '${name}' (${experiment.question}) is coming in a later release; nothing was run.`,
        );
        return EXIT.failed;
      }),
    );
}
