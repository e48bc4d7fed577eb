/** `myelin predict <checkpoint> <input...>`: class probabilities for PNG images, CSV rows or IDX samples. */
import { noGrad, softmax, tensor, tidy } from '@myelin/core';
import { type Command, Option } from 'commander';
import { BACKEND_NAMES, selectBackend } from '../backends/setup.js';
import { loadCheckpoint } from '../checkpoint/checkpoint.js';
import { readInputs } from '../data/inputs.js';
import { EXIT } from '../errors.js';
import type { Wrap } from '../main.js';
import { checkpointLayers, restoreModel } from '../model/restore.js';
import { modelCost } from '../model/spec.js';
import { positiveInt } from '../options.js';
import { displayPath, percent } from '../output/format.js';
import { table } from '../output/table.js';

interface PredictFlags {
  backend: string;
  top?: number;
}

/** Most samples shown as a table on a terminal (all of them are in --json). */
const MAX_ROWS = 50;

export function registerPredictCommand(program: Command, wrap: Wrap): void {
  program
    .command('predict')
    .description('print the class probabilities of a checkpoint for PNG images, CSV rows or IDX samples')
    .argument('<checkpoint>', 'a .safetensors file written by myelin train')
    .argument(
      '<inputs...>',
      '.png images, a .csv file (one sample per row; an extra last column is the true class), or an IDX file',
    )
    .addOption(
      new Option('-b, --backend <name>', 'backend').choices(['auto', ...BACKEND_NAMES]).default('auto'),
    )
    .addOption(
      new Option(
        '--top <k>',
        'show the k most likely classes (default: all for one input, 3 for several)',
      ).argParser(positiveInt),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ myelin predict runs/<time>/model.safetensors seven.png
  $ myelin predict model.safetensors samples.csv --top 3
  $ myelin predict fm.safetensors t10k-images-idx3-ubyte.gz --json | jq '.predictions[0]'

Images are read as grey levels, resized to the model's input (8×8 for digits), and inverted when their
background is light, to match the training data (light strokes on black).`,
    )
    .action(
      wrap<PredictFlags>(async (flags, out, _ctx, args) => {
        const [path, ...inputPaths] = args as [string, ...string[]];
        const ckpt = await loadCheckpoint(path);
        const { meta } = ckpt;
        const inputs = await readInputs(inputPaths, {
          shape: meta.inputShape,
          standardisation: meta.dataset.standardisation,
        });
        const cost = modelCost(checkpointLayers(ckpt));
        const backend = await selectBackend(flags.backend, {
          macsPerSample: cost.macs,
          largestLayerMacs: cost.largestMacs,
          batchSize: inputs.n,
        });
        const { model } = restoreModel(ckpt);
        model.eval();
        let probabilities: Float32Array;
        try {
          const probs = noGrad(() =>
            tidy(() =>
              softmax(model.forward(tensor(inputs.x, { shape: [inputs.n, ...meta.inputShape] })), -1),
            ),
          );
          probabilities = (await probs.data()) as Float32Array;
          probs.dispose();
        } finally {
          model.dispose();
        }
        const classes = meta.classes;
        const predictions = Array.from({ length: inputs.n }, (_, i) => {
          const p = Array.from(probabilities.subarray(i * classes, (i + 1) * classes));
          let best = 0;
          for (let k = 1; k < classes; k++) if ((p[k] as number) > (p[best] as number)) best = k;
          return {
            input: inputs.labels[i] as string,
            class: best,
            label: meta.classNames[best] ?? String(best),
            probability: p[best] as number,
            expected: inputs.expected[i] ?? null,
            probabilities: p,
          };
        });
        out.emitJson({
          ok: true,
          command: 'predict',
          checkpoint: path,
          backend: backend.name,
          classNames: meta.classNames,
          predictions,
        });

        const { c } = out;
        out.line(
          `${c.bold('myelin predict')} ${c.dim('·')} ${displayPath(path)} ${c.dim(`(${meta.architecture.name}, backend ${backend.name})`)}`,
        );
        const name = (k: number) => meta.classNames[k] ?? String(k);
        if (predictions.length === 1) {
          // One input: every class (or the top k) with a bar, most likely first.
          const p = predictions[0] as (typeof predictions)[number];
          const ranked = p.probabilities
            .map((v, k) => ({ v, k }))
            .sort((a, b) => b.v - a.v)
            .slice(0, Math.min(classes, flags.top ?? classes));
          const width = Math.max(...ranked.map(({ k }) => name(k).length));
          out.line(`${displayPath(p.input)} → ${c.bold(p.label)} ${c.dim(`(${percent(p.probability, 1)})`)}`);
          for (const { v, k } of ranked) {
            const bar = '█'.repeat(Math.round(v * 30));
            out.line(
              `  ${name(k).padEnd(width)}  ${k === p.class ? c.green(bar) : c.cyan(bar)}${bar ? ' ' : ''}${percent(v, 1)}`,
            );
          }
        } else {
          const top = Math.min(classes, flags.top ?? 3);
          const shown = predictions.slice(0, MAX_ROWS);
          const withExpected = predictions.some((p) => p.expected !== null);
          const rows = shown.map((p) => {
            const ranked = p.probabilities
              .map((v, k) => ({ v, k }))
              .sort((a, b) => b.v - a.v)
              .slice(0, top);
            const cells = [displayPath(p.input), c.bold(p.label), percent(p.probability, 1)];
            if (withExpected) {
              cells.push(
                p.expected === null
                  ? '—'
                  : p.expected === p.class
                    ? c.green(name(p.expected))
                    : c.red(name(p.expected)),
              );
            }
            cells.push(ranked.map(({ v, k }) => `${name(k)} ${percent(v, 1)}`).join(', '));
            return cells;
          });
          const head = ['input', 'class', 'p', ...(withExpected ? ['expected'] : []), `top ${top}`];
          out.line(
            table(out, head, rows, [
              'left',
              'left',
              'right',
              ...(withExpected ? ['left' as const] : []),
              'left',
            ]),
          );
          if (predictions.length > shown.length)
            out.note(`(${predictions.length - shown.length} more; --json prints them all)`);
        }
        return EXIT.ok;
      }),
    );
}
