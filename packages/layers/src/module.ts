/**
 * `Module`: the base of every layer and model, as PyTorch's `nn.Module`. A module owns parameters
 * (trainable tensors), buffers (state that is saved but not trained, like batch-norm running means) and
 * child modules; names join with dots into state-dict keys (`0.weight`, `features.2.running_mean`).
 */
import {
  ArgumentError,
  DTypeError,
  keep,
  MyelinError,
  noGrad,
  ShapeError,
  type Tensor,
  tidy,
} from '@myelin/core';

/** A plain description of a module and its children, saved in checkpoints and printed by `toString()`. */
export interface ModuleSpec {
  /** The class name (`Linear`, `Sequential`...). */
  type: string;
  /** Constructor arguments that define the architecture (`inFeatures`, `kernelSize`...). */
  config: Record<string, unknown>;
  /** Children in order, by name. */
  children: Array<{ name: string } & ModuleSpec>;
}

/** A state dict: tensors by dotted name, in registration order (PyTorch's `state_dict()`). */
export type StateDict = Record<string, Tensor>;

/** Raised by `loadStateDict` when keys or shapes do not match. */
export class StateDictError extends MyelinError {}

function isTensor(v: unknown): v is Tensor {
  return (
    v !== null &&
    typeof v === 'object' &&
    'shape' in v &&
    'dtype' in v &&
    'isDisposed' in v &&
    typeof (v as { dispose?: unknown }).dispose === 'function'
  );
}

/** Fields never scanned for children or parameters (the module's own bookkeeping). */
const RESERVED = new Set(['training', '_parameters', '_buffers', '_modules']);

/**
 * The base class of layers and models. Subclasses register what they own and implement `forward`.
 *
 * Parameters and buffers are registered explicitly (`registerParameter`, `registerBuffer`); child modules
 * either explicitly (`registerModule`) or simply by assigning them to fields (auto-discovered, in field
 * order, like PyTorch's `__setattr__`; arrays of modules become `name.0`, `name.1`...). A field holding a
 * tensor with `requiresGrad` is also discovered as a parameter. Registered tensors are `keep()`-ed, so a
 * model built inside `tidy()` survives it; `dispose()` frees them.
 *
 * @example
 * ```ts
 * class MLP extends Module {
 *   fc1 = new Linear(784, 128);
 *   fc2 = new Linear(128, 10);
 *   forward(x: Tensor): Tensor { return this.fc2.forward(relu(this.fc1.forward(x))); }
 * }
 * const model = new MLP();
 * console.log(model.toString()); // per-layer and total parameter counts
 * ```
 */
export abstract class Module {
  /** True in training mode (the default), false after `eval()`. Dropout and batch norm read it. */
  training = true;
  /** Registered parameters by local name. */
  protected readonly _parameters = new Map<string, Tensor | null>();
  /** Registered buffers by local name. */
  protected readonly _buffers = new Map<string, Tensor | null>();
  /** Registered children by local name. */
  protected readonly _modules = new Map<string, Module>();

  /** The layer's computation. */
  abstract forward(x: Tensor): Tensor;

  /**
   * Registers a trainable tensor under `name` (sets `requiresGrad` and keeps it alive). Returns it, so
   * `this.weight = this.registerParameter('weight', w)` reads naturally. `null` registers an absent
   * parameter (a layer built with `bias: false`).
   */
  registerParameter<T extends Tensor | null>(name: string, value: T): T {
    this.checkName(name, 'registerParameter');
    if (value !== null) {
      if (!isTensor(value)) throw new ArgumentError('registerParameter', `'${name}' is not a Tensor`);
      if (value.dtype !== 'float32')
        throw new DTypeError('registerParameter', `'${name}' must be float32, got ${value.dtype}`);
      value.requiresGrad = true;
      keep(value);
    }
    this._parameters.set(name, value);
    return value;
  }

  /** Registers a non-trainable tensor saved in the state dict (running statistics). Returns it. */
  registerBuffer<T extends Tensor | null>(name: string, value: T): T {
    this.checkName(name, 'registerBuffer');
    if (value !== null) {
      if (!isTensor(value)) throw new ArgumentError('registerBuffer', `'${name}' is not a Tensor`);
      keep(value);
    }
    this._buffers.set(name, value);
    return value;
  }

  /** Registers a child module under `name`. Returns it. */
  registerModule<M extends Module>(name: string, module: M): M {
    this.checkName(name, 'registerModule');
    if (!(module instanceof Module)) throw new ArgumentError('registerModule', `'${name}' is not a Module`);
    this._modules.set(name, module);
    return module;
  }

  private checkName(name: string, op: string): void {
    if (typeof name !== 'string' || name === '' || name.includes('.')) {
      throw new ArgumentError(
        op,
        `name must be a non-empty string without dots, got ${JSON.stringify(name)}`,
      );
    }
  }

  /** Fields of this object that hold modules or arrays of modules, not registered explicitly. */
  private discoveredModules(): Array<[string, Module]> {
    const registered = new Set(this._modules.values());
    const out: Array<[string, Module]> = [];
    for (const [key, value] of Object.entries(this)) {
      if (RESERVED.has(key)) continue;
      if (value instanceof Module) {
        if (!registered.has(value) && value !== this) out.push([key, value]);
      } else if (Array.isArray(value) && value.length > 0 && value.every((v) => v instanceof Module)) {
        value.forEach((m: Module, i) => {
          if (!registered.has(m)) out.push([`${key}.${i}`, m]);
        });
      }
    }
    return out;
  }

  /** Fields holding tensors with `requiresGrad`, not registered explicitly (discovered parameters). */
  private discoveredParameters(): Array<[string, Tensor]> {
    const registered = new Set<Tensor>();
    for (const t of this._parameters.values()) if (t) registered.add(t);
    for (const t of this._buffers.values()) if (t) registered.add(t);
    const out: Array<[string, Tensor]> = [];
    for (const [key, value] of Object.entries(this)) {
      if (RESERVED.has(key)) continue;
      if (isTensor(value) && value.requiresGrad && !registered.has(value) && !value.isDisposed) {
        keep(value);
        out.push([key, value]);
      }
    }
    return out;
  }

  /** Direct children with their names, in order. */
  namedChildren(): Array<[string, Module]> {
    return [...this._modules.entries(), ...this.discoveredModules()];
  }

  /** Direct children, in order. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every descendant with dotted names ('' for this one), depth first. */
  namedModules(prefix = ''): Array<[string, Module]> {
    const out: Array<[string, Module]> = [[prefix, this]];
    for (const [name, child] of this.namedChildren()) {
      out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name));
    }
    return out;
  }

  /** This module and every descendant. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** This module's own parameters (not its children's), by local name. */
  ownParameters(): Array<[string, Tensor]> {
    const out: Array<[string, Tensor]> = [];
    for (const [k, t] of this._parameters) if (t) out.push([k, t]);
    return [...out, ...this.discoveredParameters()];
  }

  /** This module's own buffers, by local name. */
  ownBuffers(): Array<[string, Tensor]> {
    const out: Array<[string, Tensor]> = [];
    for (const [k, t] of this._buffers) if (t) out.push([k, t]);
    return out;
  }

  /**
   * Every parameter with its dotted name, this module's first, then each child's in order (the order
   * optimisers and state dicts use). A tensor shared by two modules is listed once.
   */
  namedParameters(): Array<[string, Tensor]> {
    const out: Array<[string, Tensor]> = [];
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [k, t] of m.ownParameters()) {
        if (seen.has(t)) continue;
        seen.add(t);
        out.push([prefix ? `${prefix}.${k}` : k, t]);
      }
    }
    return out;
  }

  /** Every parameter (for optimisers). */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** Every buffer with its dotted name. */
  namedBuffers(): Array<[string, Tensor]> {
    const out: Array<[string, Tensor]> = [];
    for (const [prefix, m] of this.namedModules()) {
      for (const [k, t] of m.ownBuffers()) out.push([prefix ? `${prefix}.${k}` : k, t]);
    }
    return out;
  }

  /** Every buffer. */
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, t]) => t);
  }

  /** Number of parameter elements (trainable ones only with `trainableOnly`). */
  countParameters(trainableOnly = false): number {
    return this.parameters()
      .filter((p) => !trainableOnly || p.requiresGrad)
      .reduce((n, p) => n + p.size, 0);
  }

  /** Sets training mode on this module and every descendant. Returns this. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode (dropout off, batch norm on running statistics). Returns this. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Parameters and buffers by dotted name, in PyTorch's order (per module: parameters, then buffers).
   * The tensors are the module's own (not copies): read them, do not dispose them.
   *
   * @example
   * ```ts
   * Object.keys(new Sequential(new Linear(2, 3), new BatchNorm1d(3)).stateDict());
   * // ['0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked']
   * ```
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [k, t] of [...m.ownParameters(), ...m.ownBuffers()]) {
        if (seen.has(t)) continue;
        seen.add(t);
        out[prefix ? `${prefix}.${k}` : k] = t;
      }
    }
    return out;
  }

  /**
   * Copies values into this module's parameters and buffers, in place (identities are kept, so an
   * optimiser holding the parameters keeps working). Shapes must match; with `strict` (the default) the
   * keys must match exactly. Everything is checked before anything is changed. Values of other dtypes are
   * cast (a PyTorch int64 counter loads into an int32 buffer).
   *
   * @throws StateDictError naming the missing, unexpected or mis-shaped key.
   */
  loadStateDict(
    state: Record<string, Tensor>,
    options: { strict?: boolean } = {},
  ): { missing: string[]; unexpected: string[] } {
    const strict = options.strict ?? true;
    const own = this.stateDict();
    const missing = Object.keys(own).filter((k) => !(k in state));
    const unexpected = Object.keys(state).filter((k) => !(k in own));
    if (strict && (missing.length > 0 || unexpected.length > 0)) {
      const parts: string[] = [];
      if (missing.length) parts.push(`missing key(s) ${missing.map((k) => `'${k}'`).join(', ')}`);
      if (unexpected.length) parts.push(`unexpected key(s) ${unexpected.map((k) => `'${k}'`).join(', ')}`);
      throw new StateDictError('loadStateDict', `${this.constructor.name}: ${parts.join('; ')}`);
    }
    for (const [k, target] of Object.entries(own)) {
      const src = state[k];
      if (!src) continue;
      if (!isTensor(src)) throw new StateDictError('loadStateDict', `'${k}' is not a Tensor`);
      if (src.shape.join(',') !== target.shape.join(',')) {
        throw new StateDictError(
          'loadStateDict',
          `size mismatch for '${k}': the checkpoint has [${src.shape.join(',')}], the model [${target.shape.join(',')}]`,
        );
      }
    }
    noGrad(() =>
      tidy(() => {
        for (const [k, target] of Object.entries(own)) {
          const src = state[k];
          if (!src) continue;
          // A copy, so the state dict's tensors stay the caller's to dispose.
          target.assign(src.dtype === target.dtype ? src.clone() : src.cast(target.dtype));
        }
      }),
    );
    return { missing, unexpected };
  }

  /** The constructor arguments that define this layer (shown by `toString()`, saved in checkpoints). */
  config(): Record<string, unknown> {
    return {};
  }

  /** The architecture as plain data (type, config, children), for checkpoints and tools. */
  spec(): ModuleSpec {
    return {
      type: this.constructor.name,
      config: this.config(),
      children: this.namedChildren().map(([name, m]) => ({ name, ...m.spec() })),
    };
  }

  /**
   * A summary: one line per module with its configuration and parameter count, and the total.
   *
   * @example
   * ```ts
   * console.log(String(model));
   * // Sequential(
   * //   (0): Linear(inFeatures=784, outFeatures=128, bias=true)  100,480 params
   * //   ...
   * // Total parameters: 109,386 (trainable: 109,386)
   * ```
   */
  toString(): string {
    const lines = this.describeLines('', 0);
    const total = this.countParameters();
    const trainable = this.countParameters(true);
    lines.push(
      `Total parameters: ${total.toLocaleString('en-US')} (trainable: ${trainable.toLocaleString('en-US')})`,
    );
    return lines.join('\n');
  }

  private describeLines(name: string, depth: number): string[] {
    const pad = '  '.repeat(depth);
    const head = name ? `(${name}): ` : '';
    const cfg = Object.entries(this.config())
      .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(',')}]` : String(v)}`)
      .join(', ');
    const children = this.namedChildren();
    const own = this.ownParameters().reduce((n, [, t]) => n + t.size, 0);
    if (children.length === 0) {
      const count = own > 0 ? `  ${own.toLocaleString('en-US')} params` : '';
      return [`${pad}${head}${this.constructor.name}(${cfg})${count}`];
    }
    const lines = [`${pad}${head}${this.constructor.name}(${cfg}`];
    if (own > 0) lines.push(`${pad}  [own parameters]  ${own.toLocaleString('en-US')} params`);
    for (const [n, child] of children) lines.push(...child.describeLines(n, depth + 1));
    lines.push(`${pad})  ${this.countParameters().toLocaleString('en-US')} params`);
    return lines;
  }

  /** Frees every parameter and buffer of this module and its descendants (and their gradients). */
  dispose(): void {
    for (const m of this.modules()) {
      for (const [, t] of [...m.ownParameters(), ...m.ownBuffers()]) t.dispose();
    }
  }

  /** `using model = ...` disposes it at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }
}

/** Checks a layer input's rank, for errors that name the layer. */
export function expectRank(layer: string, x: Tensor, ranks: readonly number[], what: string): void {
  if (!ranks.includes(x.rank)) {
    throw new ShapeError(layer, `expects ${what}, got [${x.shape.join(',')}]`);
  }
}
