/**
 * @myelin/lab — every claim of the chapter on feed-forward networks as an experiment that anyone can run,
 * on any backend, with a fixed seed: each returns a table, charts as plain data series, a reading of the
 * numbers and the metrics the tests assert. Imports core, layers, optim and data; never a backend (the
 * caller selects one).
 *
 * @example
 * ```ts
 * import { registerCpuBackend } from '@myelin/backend-cpu';
 * import { setBackend } from '@myelin/core';
 * import { getExperiment, renderMarkdownReport } from '@myelin/lab';
 * registerCpuBackend();
 * await setBackend('cpu');
 * const result = await getExperiment('zero-init').run({ seed: 0 });
 * console.log(result.table, result.reading);
 * console.log(renderMarkdownReport([result], { 'zero-init': ['zero-init-1.svg'] }));
 * ```
 */
import { ArgumentError } from '@myelin/core';
import augmentation from './experiments/augmentation.js';
import batchnorm from './experiments/batchnorm.js';
import convVsDense from './experiments/conv-vs-dense.js';
import deadRelu from './experiments/dead-relu.js';
import dropout from './experiments/dropout.js';
import ensemble from './experiments/ensemble.js';
import mseVsCrossEntropy from './experiments/mse-vs-cross-entropy.js';
import poolingInvariance from './experiments/pooling-invariance.js';
import regularization from './experiments/regularization.js';
import reluCostAndSparsity from './experiments/relu-cost-and-sparsity.js';
import vanishingGradients from './experiments/vanishing-gradients.js';
import zeroInit from './experiments/zero-init.js';
import type { Experiment, LabOptions, LabResult } from './types.js';

export { figureFileNames, markdownTable, type ReportOptions, renderMarkdownReport } from './report.js';
export { chartToSvg, imageToSvg, type SvgOptions } from './svg.js';
export type {
  ChartSeries,
  ChartSpec,
  Experiment,
  ImageSpec,
  LabOptions,
  LabProgress,
  LabResult,
  LabTable,
} from './types.js';

/** Every experiment, in the chapter's order. */
export const experiments: readonly Experiment[] = [
  vanishingGradients,
  reluCostAndSparsity,
  deadRelu,
  zeroInit,
  mseVsCrossEntropy,
  regularization,
  dropout,
  ensemble,
  augmentation,
  batchnorm,
  convVsDense,
  poolingInvariance,
];

/**
 * The experiment called `name`.
 *
 * @throws ArgumentError naming the experiments that exist.
 */
export function getExperiment(name: string): Experiment {
  const e = experiments.find((x) => x.name === name);
  if (!e) {
    throw new ArgumentError(
      'lab',
      `unknown experiment '${name}'; the lab has: ${experiments.map((x) => x.name).join(', ')}`,
    );
  }
  return e;
}

/**
 * Runs every experiment (or those named) one after the other with the same options, as `myelin lab all`
 * does. Progress events carry each experiment's name.
 *
 * @example
 * ```ts
 * const results = await runAll({ seed: 0, onProgress: (p) => console.log(p.experiment, p.message) });
 * ```
 */
export async function runAll(options: LabOptions, names?: readonly string[]): Promise<LabResult[]> {
  const list = names ? names.map(getExperiment) : experiments;
  const results: LabResult[] = [];
  for (const e of list) results.push(await e.run(options));
  return results;
}
