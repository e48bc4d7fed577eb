/**
 * The built-in architectures. Each is a function of the run's options, so `--activation`, `--dropout` and
 * `--batch-norm` shape the same preset the way a user would expect.
 */
import type { Activation, Architecture, LayerSpec } from './spec.js';

export interface PresetOptions {
  classes: number;
  activation: Activation;
  /** Dropout probability after each hidden block (0: no dropout layers). */
  dropout: number;
  batchNorm: boolean;
}

export interface Preset {
  name: string;
  summary: string;
  /** Whether the preset needs image samples ([C,H,W]). */
  needsImages: boolean;
  build(options: PresetOptions): Architecture;
}

/** A hidden block: [linear|conv] → [batchnorm] → activation → [dropout]. */
function block(core: LayerSpec, o: PresetOptions, withDropout = true): LayerSpec[] {
  const layers: LayerSpec[] = [core];
  if (o.batchNorm) layers.push({ type: 'batchnorm' });
  layers.push({ type: o.activation });
  if (withDropout && o.dropout > 0) layers.push({ type: 'dropout', p: o.dropout });
  return layers;
}

export const PRESETS: Record<string, Preset> = {
  mlp: {
    name: 'mlp',
    summary: 'multi-layer perceptron: flatten → 128 → 64 → classes (any dataset)',
    needsImages: false,
    build: (o) => ({
      name: 'mlp',
      layers: [
        { type: 'flatten' },
        ...block({ type: 'linear', out: 128 }, o),
        ...block({ type: 'linear', out: 64 }, o),
        { type: 'linear', out: o.classes },
      ],
    }),
  },
  lenet: {
    name: 'lenet',
    summary: 'LeNet-5 style CNN: conv 6@5×5 → pool → conv 16@5×5 → pool → 120 → 84 → classes (images)',
    needsImages: true,
    build: (o) => ({
      name: 'lenet',
      // "Same" padding on both convolutions, so the 8×8 digits survive two poolings as well as 28×28 images.
      layers: [
        ...block({ type: 'conv2d', out: 6, kernel: 5, padding: 2 }, o, false),
        { type: 'maxpool2d', kernel: 2 },
        ...block({ type: 'conv2d', out: 16, kernel: 5, padding: 2 }, o, false),
        { type: 'maxpool2d', kernel: 2 },
        { type: 'flatten' },
        ...block({ type: 'linear', out: 120 }, o),
        ...block({ type: 'linear', out: 84 }, o),
        { type: 'linear', out: o.classes },
      ],
    }),
  },
  cnn: {
    name: 'cnn',
    summary: 'wider CNN: conv 16@3×3 → pool → conv 32@3×3 → pool → 128 → classes (images)',
    needsImages: true,
    // Two conv blocks twice as wide as the LeNet-style bench model, and a hidden dense layer: the
    // Fashion-MNIST recipe of docs/benchmarks.md (with --batch-norm).
    build: (o) => ({
      name: 'cnn',
      layers: [
        ...block({ type: 'conv2d', out: 16, kernel: 3, padding: 1 }, o, false),
        { type: 'maxpool2d', kernel: 2 },
        ...block({ type: 'conv2d', out: 32, kernel: 3, padding: 1 }, o, false),
        { type: 'maxpool2d', kernel: 2 },
        { type: 'flatten' },
        ...block({ type: 'linear', out: 128 }, o),
        { type: 'linear', out: o.classes },
      ],
    }),
  },
};

export const PRESET_NAMES = Object.keys(PRESETS);
