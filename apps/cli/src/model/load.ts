/** `--model`: a preset name or a JSON architecture file, checked against the dataset. */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { CliError, EXIT, usageError } from '../errors.js';
import { PRESET_NAMES, PRESETS } from './presets.js';
import {
  type Activation,
  type Architecture,
  ArchitectureError,
  parseArchitecture,
  type ResolvedLayer,
  resolveArchitecture,
} from './spec.js';

export interface ModelChoice {
  activation: Activation;
  dropout: number;
  batchNorm: boolean;
}

/**
 * The architecture a `--model` value names: a preset built with the run's options, or a custom file.
 *
 * @example
 * ```ts
 * const arch = architectureFor('mlp', 10, { activation: 'relu', dropout: 0, batchNorm: false });
 * ```
 */
export function architectureFor(model: string, classes: number, choice: ModelChoice): Architecture {
  const preset = PRESETS[model];
  if (preset) return preset.build({ classes, ...choice });
  if (!model.toLowerCase().endsWith('.json') && !existsSync(model)) {
    throw usageError(
      `unknown model '${model}'`,
      `use a preset (${PRESET_NAMES.join(', ')}) or the path of a JSON architecture file`,
    );
  }
  if (!existsSync(model)) {
    throw usageError(
      `the architecture file ${model} does not exist`,
      `check the path, or use a preset (${PRESET_NAMES.join(', ')})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(model, 'utf8'));
  } catch (error) {
    throw usageError(
      `the architecture file ${model} is not valid JSON (${(error as Error).message})`,
      'see `myelin train --help` for an example architecture',
    );
  }
  try {
    return parseArchitecture(json, basename(model).replace(/\.json$/i, ''), choice.activation);
  } catch (error) {
    throw fromArchitectureError(error, model);
  }
}

/** Infers the layer shapes for a dataset, turning a misfit into a one-sentence error. */
export function resolveFor(
  arch: Architecture,
  inputShape: readonly number[],
  classes: number,
  datasetName: string,
  source: string,
): ResolvedLayer[] {
  try {
    return resolveArchitecture(arch, inputShape, classes, datasetName);
  } catch (error) {
    throw fromArchitectureError(error, source);
  }
}

function fromArchitectureError(error: unknown, source: string): unknown {
  if (!(error instanceof ArchitectureError)) return error;
  const where = PRESETS[source] ? `the ${source} preset` : source;
  return new CliError(`${where}: ${error.message}`, { exitCode: EXIT.usage, hint: error.hint });
}
