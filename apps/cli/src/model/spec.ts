/**
 * Model architectures as data: the presets and custom JSON files are both lists of layer specs. A spec is
 * checked and its shapes inferred here, before any tensor exists, so a wrong architecture fails with one
 * sentence naming the layer ("layer 3 (conv2d) needs an image input ...") instead of a kernel's shape error.
 *
 * A custom architecture file looks like:
 * ```json
 * { "name": "tiny-cnn", "layers": [
 *   { "type": "conv2d", "out": 8, "kernel": 3, "padding": 1 }, { "type": "relu" },
 *   { "type": "maxpool2d", "kernel": 2 }, { "type": "flatten" }, { "type": "linear", "out": 10 } ] }
 * ```
 * Input sizes (`in` of linear, channels of conv2d) are inferred from the dataset, as Keras does.
 */

/** Activation functions a layer list may use (`activation` stands for the run's `--activation`). */
export const ACTIVATIONS = ['relu', 'leaky-relu', 'prelu', 'rrelu', 'tanh', 'sigmoid'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export type LayerSpec =
  | { type: 'linear'; out: number; bias?: boolean }
  | { type: 'conv2d'; out: number; kernel: number; stride?: number; padding?: number; bias?: boolean }
  | { type: 'maxpool2d' | 'avgpool2d'; kernel: number; stride?: number; padding?: number }
  | { type: 'batchnorm' }
  | { type: 'dropout'; p: number }
  | { type: 'flatten' }
  | { type: Activation };

export const LAYER_TYPES = [
  'linear',
  'conv2d',
  'maxpool2d',
  'avgpool2d',
  'batchnorm',
  'dropout',
  'flatten',
  'activation',
  ...ACTIVATIONS,
] as const;

/** An architecture: a name and its layers, in order. */
export interface Architecture {
  name: string;
  layers: LayerSpec[];
}

/** A layer with the shapes it takes and gives (one sample, no batch dim). */
export interface ResolvedLayer {
  spec: LayerSpec;
  inShape: number[];
  outShape: number[];
  /** Multiply-adds of the forward pass for one sample. */
  macs: number;
  /** Number of trainable values. */
  params: number;
}

/** Why an architecture does not fit; the message is the whole sentence the user reads. */
export class ArchitectureError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'ArchitectureError';
    this.hint = hint;
  }
}

const shapeText = (shape: readonly number[]) => `[${shape.join(',')}]`;
const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Parses the JSON of a custom architecture file (an object with `layers`, or a bare list of layers),
 * replacing `activation` entries with the run's activation.
 */
export function parseArchitecture(json: unknown, fallbackName: string, activation: Activation): Architecture {
  const root = Array.isArray(json) ? { layers: json } : json;
  if (root === null || typeof root !== 'object' || !Array.isArray((root as { layers?: unknown }).layers)) {
    throw new ArchitectureError(
      'the architecture file must hold an object with a "layers" list (or a bare list of layers)',
      'see `myelin train --help` for an example',
    );
  }
  const { layers, name } = root as { layers: unknown[]; name?: unknown };
  if (layers.length === 0) throw new ArchitectureError('the architecture has no layers');
  return {
    name: typeof name === 'string' && name.length > 0 ? name : fallbackName,
    layers: layers.map((raw, i) => parseLayer(raw, i + 1, activation)),
  };
}

function parseLayer(raw: unknown, index: number, activation: Activation): LayerSpec {
  const where = `layer ${index}`;
  if (raw === null || typeof raw !== 'object' || typeof (raw as { type?: unknown }).type !== 'string') {
    throw new ArchitectureError(
      `${where} must be an object with a "type" (one of: ${LAYER_TYPES.join(', ')})`,
    );
  }
  const layer = raw as Record<string, unknown>;
  const type = String(layer.type).toLowerCase();
  const int = (key: string, { min = 1, optional = false } = {}): number | undefined => {
    const v = layer[key];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      throw new ArchitectureError(
        `${where} (${type}) needs "${key}" as an integer ≥ ${min}${v === undefined ? '' : `, got ${JSON.stringify(v)}`}`,
      );
    }
    return v;
  };
  const bias = layer.bias === undefined ? {} : { bias: layer.bias !== false };
  switch (type) {
    case 'linear':
    case 'dense':
      return { type: 'linear', out: int('out') as number, ...bias };
    case 'conv2d':
    case 'conv': {
      const padding =
        layer.padding === 'same'
          ? Math.floor((int('kernel') as number) / 2)
          : int('padding', { min: 0, optional: true });
      return {
        type: 'conv2d',
        out: int('out') as number,
        kernel: int('kernel') as number,
        ...(layer.stride === undefined ? {} : { stride: int('stride') }),
        ...(padding === undefined ? {} : { padding }),
        ...bias,
      };
    }
    case 'maxpool2d':
    case 'avgpool2d':
      return {
        type,
        kernel: int('kernel') as number,
        ...(layer.stride === undefined ? {} : { stride: int('stride') }),
        ...(layer.padding === undefined ? {} : { padding: int('padding', { min: 0 }) }),
      };
    case 'batchnorm':
      return { type: 'batchnorm' };
    case 'dropout': {
      const p = layer.p ?? 0.5;
      if (typeof p !== 'number' || !(p >= 0 && p < 1)) {
        throw new ArchitectureError(`${where} (dropout) needs "p" in [0, 1), got ${JSON.stringify(p)}`);
      }
      return { type: 'dropout', p };
    }
    case 'flatten':
      return { type: 'flatten' };
    case 'activation':
      return { type: activation };
    default:
      if ((ACTIVATIONS as readonly string[]).includes(type)) return { type: type as Activation };
      if (type === 'leakyrelu') return { type: 'leaky-relu' };
      throw new ArchitectureError(
        `${where} has an unknown type "${String(layer.type)}"`,
        `use one of: ${LAYER_TYPES.join(', ')}`,
      );
  }
}

/**
 * Infers each layer's shapes for one sample of `inputShape` and checks that the model ends in `classes`
 * outputs. Throws an `ArchitectureError` at the first layer that does not fit.
 */
export function resolveArchitecture(
  arch: Architecture,
  inputShape: readonly number[],
  classes: number,
  datasetName: string,
): ResolvedLayer[] {
  let shape = [...inputShape];
  const resolved: ResolvedLayer[] = [];
  arch.layers.forEach((spec, i) => {
    const where = `layer ${i + 1} (${spec.type})`;
    const inShape = shape;
    let macs = 0;
    let params = 0;
    switch (spec.type) {
      case 'linear': {
        if (shape.length !== 1) {
          throw new ArchitectureError(
            `${where} needs a flat input, but gets ${shapeText(shape)}`,
            `add { "type": "flatten" } before it`,
          );
        }
        const inF = shape[0] as number;
        macs = inF * spec.out;
        params = inF * spec.out + (spec.bias === false ? 0 : spec.out);
        shape = [spec.out];
        break;
      }
      case 'conv2d':
      case 'maxpool2d':
      case 'avgpool2d': {
        if (shape.length !== 3) {
          throw new ArchitectureError(
            `${where} needs an image input [channels,height,width], but gets ${shapeText(shape)}${
              i === 0 ? ` (the samples of '${datasetName}')` : ''
            }`,
            i === 0
              ? `'${datasetName}' is not an image dataset: use the mlp preset, or linear layers`
              : 'put convolution and pooling layers before flatten',
          );
        }
        const [c, h, w] = shape as [number, number, number];
        const stride = spec.stride ?? (spec.type === 'conv2d' ? 1 : spec.kernel);
        const pad = spec.padding ?? 0;
        const oh = Math.floor((h + 2 * pad - spec.kernel) / stride) + 1;
        const ow = Math.floor((w + 2 * pad - spec.kernel) / stride) + 1;
        if (oh < 1 || ow < 1) {
          throw new ArchitectureError(
            `${where} has a ${spec.kernel}×${spec.kernel} kernel but gets a ${h}×${w} image`,
            'use fewer pooling layers, a smaller kernel, or padding',
          );
        }
        if (spec.type !== 'conv2d' && pad * 2 > spec.kernel) {
          throw new ArchitectureError(`${where}: padding ${pad} is more than half the kernel ${spec.kernel}`);
        }
        const outC = spec.type === 'conv2d' ? spec.out : c;
        if (spec.type === 'conv2d') {
          macs = outC * oh * ow * c * spec.kernel * spec.kernel;
          params = outC * c * spec.kernel * spec.kernel + (spec.bias === false ? 0 : outC);
        }
        shape = [outC, oh, ow];
        break;
      }
      case 'batchnorm':
        if (shape.length !== 1 && shape.length !== 3) {
          throw new ArchitectureError(
            `${where} needs a flat or an image input, but gets ${shapeText(shape)}`,
          );
        }
        params = 2 * (shape[0] as number);
        break;
      case 'flatten':
        shape = [product(shape)];
        break;
      default:
        // Activations and dropout keep the shape; PReLU learns one slope.
        if (spec.type === 'prelu') params = 1;
    }
    resolved.push({ spec, inShape, outShape: shape, macs, params });
  });
  if (shape.length !== 1) {
    throw new ArchitectureError(
      `the architecture ends with shape ${shapeText(shape)}, but a classifier must end with ${classes} outputs`,
      `end it with { "type": "flatten" } and { "type": "linear", "out": ${classes} }`,
    );
  }
  if (shape[0] !== classes) {
    throw new ArchitectureError(
      `the architecture ends with ${shape[0]} outputs, but '${datasetName}' has ${classes} classes`,
      `set the last linear layer's "out" to ${classes}`,
    );
  }
  return resolved;
}

/** A short description of a layer for tables: `conv2d 8@3×3 pad 1`. */
export function describeLayer(spec: LayerSpec): string {
  switch (spec.type) {
    case 'linear':
      return `linear ${spec.out}`;
    case 'conv2d':
      return `conv2d ${spec.out}@${spec.kernel}×${spec.kernel}${spec.stride && spec.stride > 1 ? ` stride ${spec.stride}` : ''}${spec.padding ? ` pad ${spec.padding}` : ''}`;
    case 'maxpool2d':
    case 'avgpool2d':
      return `${spec.type} ${spec.kernel}`;
    case 'dropout':
      return `dropout ${spec.p}`;
    default:
      return spec.type;
  }
}

/** Total parameters and forward multiply-adds of a resolved model, per sample. */
export function modelCost(layers: readonly ResolvedLayer[]): {
  params: number;
  macs: number;
  largestMacs: number;
} {
  let params = 0;
  let macs = 0;
  let largestMacs = 0;
  for (const l of layers) {
    params += l.params;
    macs += l.macs;
    largestMacs = Math.max(largestMacs, l.macs);
  }
  return { params, macs, largestMacs };
}
