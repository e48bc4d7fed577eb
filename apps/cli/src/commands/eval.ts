/** `myelin eval <checkpoint>`: loss, accuracy and per-class accuracy on the held-out test split. */
import { argmax, noGrad, tidy } from '@myelin/core';
import { crossEntropy } from '@myelin/layers';
import { type Command, Option } from 'commander';
import { BACKEND_NAMES, selectBackend } from '../backends/setup.js';
import { loadCheckpoint } from '../checkpoint/checkpoint.js';
import { loadDataset } from '../data/datasets.js';
import { EXIT, usageError } from '../errors.js';
import type { Wrap } from '../main.js';
import { checkpointLayers, restoreModel } from '../model/restore.js';
import { modelCost } from '../model/spec.js';
import { positiveInt } from '../options.js';
import { count, displayPath, lossText, percent } from '../output/format.js';
import { table } from '../output/table.js';
import { evalLoader } from '../train/batches.js';

interface EvalFlags {
  dataset?: string;
  backend: string;
  limit?: number;
  batchSize: number;
}

export function registerEvalCommand(program: Command, wrap: Wrap): void {
  program
    .command('eval')
    .description("evaluate a checkpoint on its dataset's held-out test split")
    .argument('<checkpoint>', 'a .safetensors file written by myelin train')
    .addOption(
      new Option('-d, --dataset <name|file>', 'dataset (default: the one the checkpoint was trained on)'),
    )
    .addOption(
      new Option('-b, --backend <name>', 'backend').choices(['auto', ...BACKEND_NAMES]).default('auto'),
    )
    .addOption(new Option('--limit <n>', 'use at most n test samples').argParser(positiveInt))
    .addOption(new Option('--batch-size <n>', 'samples per batch').argParser(positiveInt).default(256))
    .addHelpText(
      'after',
      `
Examples:
  $ myelin eval runs/2024-05-01T10-00-00/model.safetensors
  $ myelin eval fm.safetensors --limit 1000 --json | jq .accuracy

The test split is the same one the training run held out (a fixed seed), so the accuracy matches its summary.`,
    )
    .action(
      wrap<EvalFlags>(async (flags, out, _ctx, args) => {
        const path = args[0] as string;
        const ckpt = await loadCheckpoint(path);
        const { meta } = ckpt;
        const data = await loadDataset(flags.dataset ?? meta.dataset.name, { limit: flags.limit });
        if (data.inputShape.join(',') !== meta.inputShape.join(',') || data.classes !== meta.classes) {
          throw usageError(
            `the checkpoint ${path} takes samples [${meta.inputShape.join(',')}] with ${meta.classes} classes, but '${data.name}' has samples [${data.inputShape.join(',')}] with ${data.classes} classes`,
            `evaluate it on '${meta.dataset.name}' (drop --dataset)`,
          );
        }
        const probe = modelCost(checkpointLayers(ckpt));
        const backend = await selectBackend(flags.backend, {
          macsPerSample: probe.macs,
          largestLayerMacs: probe.largestMacs,
          batchSize: flags.batchSize,
        });
        const { model } = restoreModel(ckpt);
        model.eval();
        const classes = meta.classes;
        const perClass = Array.from({ length: classes }, () => ({ samples: 0, correct: 0 }));
        let lossSum = 0;
        let samples = 0;
        try {
          for await (const batch of evalLoader(data.test, flags.batchSize)) {
            const { loss, predicted } = noGrad(() =>
              tidy(() => {
                const logits = model.forward(batch.x);
                return { loss: crossEntropy(logits, batch.y), predicted: argmax(logits, -1) };
              }),
            );
            const [lossValue, preds, truth] = await Promise.all([
              loss.data(),
              predicted.data(),
              batch.y.data(),
            ]);
            const n = truth.length;
            lossSum += (lossValue[0] as number) * n;
            for (let i = 0; i < n; i++) {
              const t = truth[i] as number;
              const cls = perClass[t] as { samples: number; correct: number };
              cls.samples++;
              if (preds[i] === t) cls.correct++;
            }
            samples += n;
            loss.dispose();
            predicted.dispose();
            batch.dispose();
          }
        } finally {
          model.dispose();
        }
        const correct = perClass.reduce((s, c) => s + c.correct, 0);
        const accuracy = samples > 0 ? correct / samples : Number.NaN;
        const loss = samples > 0 ? lossSum / samples : Number.NaN;
        const rows = perClass.map((c, i) => ({
          class: i,
          name: meta.classNames[i] ?? String(i),
          samples: c.samples,
          accuracy: c.samples > 0 ? c.correct / c.samples : null,
        }));
        out.emitJson({
          ok: true,
          command: 'eval',
          checkpoint: path,
          model: meta.architecture.name,
          dataset: data.name,
          backend: backend.name,
          samples,
          loss,
          accuracy,
          perClass: rows,
        });
        const { c } = out;
        out.line(
          `${c.bold('myelin eval')} ${c.dim('·')} ${displayPath(path)} ${c.dim('·')} ${meta.architecture.name} on ${data.name} test split ${c.dim(`(${count(samples)} samples, backend ${backend.name})`)}`,
        );
        out.line(
          table(
            out,
            ['class', 'samples', 'accuracy'],
            rows.map((r) => [
              r.name === String(r.class) ? r.name : `${r.class} ${r.name}`,
              count(r.samples),
              r.accuracy === null ? '—' : percent(r.accuracy),
            ]),
            ['left', 'right', 'right'],
          ),
        );
        out.line(
          `${c.green('✔')} accuracy ${c.bold(percent(accuracy))} ${c.dim(`(loss ${lossText(loss)})`)}`,
        );
        return EXIT.ok;
      }),
    );
}
