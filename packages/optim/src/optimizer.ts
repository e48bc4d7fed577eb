/**
 * The optimiser base class: parameter groups, per-parameter state, `step()`/`zeroGrad()`, and a state dict
 * that round-trips through JSON. Subclasses only write the update rule of one parameter.
 */
import { ArgumentError, DTypeError, keep, noGrad, type Tensor, tensor, tidy } from '@myelin/core';

/** Hyperparameters every optimiser has. */
export interface BaseOptions {
  /** Learning rate. */
  lr: number;
}

/** A group of parameters sharing hyperparameters (PyTorch's `param_groups`), changed by schedulers. */
export type ParamGroup<O extends BaseOptions> = O & {
  params: Tensor[];
  /** The learning rate the group started with (set by the first scheduler attached, as PyTorch's `initial_lr`). */
  initialLr?: number;
};

/** Parameters: a flat iterable of tensors, or groups with their own hyperparameters. */
export type ParamsInput<O extends BaseOptions> =
  | Iterable<Tensor>
  | ReadonlyArray<Partial<O> & { params: Iterable<Tensor> }>;

/** What an optimiser remembers about one parameter. */
export interface ParamState {
  /** Updates applied to this parameter so far. */
  step: number;
  /** Named state tensors (PyTorch's names: `momentum_buffer`, `exp_avg`, ...). Kept alive by the optimiser. */
  tensors: Record<string, Tensor>;
}

/** A state tensor in plain JSON form. */
export interface SerializedTensor {
  shape: number[];
  data: number[];
}

/** `stateDict()`'s result: plain JSON (state tensors as arrays), keyed by parameter index as PyTorch. */
export interface OptimizerStateDict {
  /** Which optimiser wrote it (`SGD`, `Adam`...); checked on load. */
  type: string;
  state: Record<string, { step: number; tensors: Record<string, SerializedTensor> }>;
  paramGroups: Array<Record<string, unknown> & { params: number[] }>;
}

function isGroupList<O extends BaseOptions>(
  params: ParamsInput<O>,
): params is ReadonlyArray<Partial<O> & { params: Iterable<Tensor> }> {
  return (
    Array.isArray(params) &&
    params.length > 0 &&
    params.every((p) => p !== null && typeof p === 'object' && 'params' in p)
  );
}

/**
 * Base of every optimiser. `step()` applies one update to every parameter that has a gradient, in place
 * (`param.assign(newValue)`, without recording gradients and without leaking temporaries); `zeroGrad()`
 * disposes the gradients.
 *
 * @example
 * ```ts
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * tidy(() => { opt.zeroGrad(); lossFn(model.forward(x), y).backward(); opt.step(); });
 * ```
 */
export abstract class Optimizer<O extends BaseOptions> {
  /** The groups of parameters and their hyperparameters; schedulers change `lr` here. */
  readonly paramGroups: ParamGroup<O>[];
  /** The hyperparameters a group gets unless it overrides them. */
  readonly defaults: Readonly<O>;
  /** Per-parameter state. */
  protected readonly state = new Map<Tensor, ParamState>();
  /** The name written in state dicts. */
  protected abstract readonly typeName: string;

  constructor(params: ParamsInput<O>, defaults: O) {
    this.defaults = Object.freeze({ ...defaults });
    const groups = isGroupList(params) ? params : [{ params } as Partial<O> & { params: Iterable<Tensor> }];
    const seen = new Set<Tensor>();
    this.paramGroups = groups.map((g, gi) => {
      const list = [...g.params];
      for (const p of list) {
        if (p === null || typeof p !== 'object' || !('shape' in p)) {
          throw new ArgumentError(this.constructor.name, `group ${gi} holds something that is not a Tensor`);
        }
        if (p.dtype !== 'float32')
          throw new DTypeError(this.constructor.name, `parameters must be float32, got ${p.dtype}`);
        if (seen.has(p)) throw new ArgumentError(this.constructor.name, 'a parameter appears more than once');
        seen.add(p);
      }
      const { params: _omit, ...overrides } = g;
      const group = { ...defaults, ...overrides, params: list } as ParamGroup<O>;
      this.validate(group);
      return group;
    });
    if (seen.size === 0) throw new ArgumentError(this.constructor.name, 'got an empty parameter list');
  }

  /** Checks a group's hyperparameters (throw an ArgumentError naming the bad one). */
  protected validate(group: ParamGroup<O>): void {
    if (!(group.lr >= 0)) throw new ArgumentError(this.constructor.name, `lr must be ≥ 0, got ${group.lr}`);
  }

  /** The learning rate of the first group. Setting it sets every group's. */
  get lr(): number {
    return (this.paramGroups[0] as ParamGroup<O>).lr;
  }
  set lr(value: number) {
    for (const g of this.paramGroups) g.lr = value;
  }

  /** Every parameter, group by group. */
  params(): Tensor[] {
    return this.paramGroups.flatMap((g) => g.params);
  }

  /** Disposes every parameter's gradient (PyTorch's `zero_grad(set_to_none=True)`). */
  zeroGrad(): void {
    for (const p of this.params()) {
      if (p.grad) {
        p.grad.kept = false;
        p.grad.dispose();
        p.grad = null;
      }
    }
  }

  /** Applies one update to every parameter that has a gradient. */
  step(): void {
    noGrad(() =>
      tidy(() => {
        for (const group of this.paramGroups) {
          for (const p of group.params) {
            const g = p.grad;
            if (!g || g.isDisposed) continue;
            let st = this.state.get(p);
            if (!st) {
              st = { step: 0, tensors: {} };
              this.state.set(p, st);
            }
            st.step += 1;
            this.update(p, g, group, st);
          }
        }
      }),
    );
  }

  /**
   * Updates one parameter in place. Runs inside `noGrad` and `tidy`: temporaries are freed; state
   * tensors made with `this.initState` survive.
   */
  protected abstract update(param: Tensor, grad: Tensor, group: ParamGroup<O>, state: ParamState): void;

  /** Gets (creating with `init` on first use) a named state tensor of a parameter, kept alive by the optimiser. */
  protected stateTensor(state: ParamState, name: string, init: () => Tensor): Tensor {
    let t = state.tensors[name];
    if (!t) {
      t = keep(init());
      state.tensors[name] = t;
    }
    return t;
  }

  /** The state of one parameter (for inspection and tests), or undefined before its first update. */
  getState(param: Tensor): Readonly<ParamState> | undefined {
    return this.state.get(param);
  }

  /**
   * The optimiser's state as plain JSON: hyperparameters per group and state tensors as number arrays.
   * Async because reading tensors is.
   *
   * @example
   * ```ts
   * const saved = JSON.stringify(await opt.stateDict());
   * opt2.loadStateDict(JSON.parse(saved));
   * ```
   */
  async stateDict(): Promise<OptimizerStateDict> {
    const index = new Map<Tensor, number>();
    for (const [i, p] of this.params().entries()) index.set(p, i);
    const state: OptimizerStateDict['state'] = {};
    for (const [p, st] of this.state) {
      const i = index.get(p);
      if (i === undefined) continue;
      const tensors: Record<string, SerializedTensor> = {};
      for (const [name, t] of Object.entries(st.tensors)) {
        tensors[name] = { shape: [...t.shape], data: Array.from(await t.data()) };
      }
      state[String(i)] = { step: st.step, tensors };
    }
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...rest } = g;
      return { ...(rest as Record<string, unknown>), params: params.map((p) => index.get(p) as number) };
    });
    return { type: this.typeName, state, paramGroups };
  }

  /**
   * Restores a state saved by `stateDict()` (same optimiser type, same parameter shapes, in the same order).
   * Throws an ArgumentError naming the first mismatch.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const op = `${this.typeName}.loadStateDict`;
    if (
      dict === null ||
      typeof dict !== 'object' ||
      !Array.isArray(dict.paramGroups) ||
      typeof dict.state !== 'object'
    ) {
      throw new ArgumentError(op, 'expected an object with `state` and `paramGroups`');
    }
    if (dict.type !== undefined && dict.type !== this.typeName) {
      throw new ArgumentError(op, `the state was saved by ${dict.type}, not ${this.typeName}`);
    }
    if (dict.paramGroups.length !== this.paramGroups.length) {
      throw new ArgumentError(
        op,
        `the state has ${dict.paramGroups.length} parameter groups, this optimiser ${this.paramGroups.length}`,
      );
    }
    const params = this.params();
    dict.paramGroups.forEach((saved, gi) => {
      const group = this.paramGroups[gi] as ParamGroup<O>;
      if (!Array.isArray(saved.params) || saved.params.length !== group.params.length) {
        throw new ArgumentError(
          op,
          `group ${gi} has ${saved.params?.length} parameters in the state, ${group.params.length} here`,
        );
      }
    });
    // Validate every tensor before changing anything, so a bad dict leaves the optimiser as it was.
    const incoming = new Map<Tensor, { step: number; tensors: Record<string, SerializedTensor> }>();
    for (const [key, st] of Object.entries(dict.state)) {
      const p = params[Number(key)];
      if (!p)
        throw new ArgumentError(
          op,
          `state for parameter ${key}, but there are only ${params.length} parameters`,
        );
      if (typeof st?.step !== 'number' || typeof st.tensors !== 'object') {
        throw new ArgumentError(op, `state of parameter ${key} needs a numeric step and tensors`);
      }
      for (const [name, t] of Object.entries(st.tensors)) {
        const size = Array.isArray(t?.shape) ? t.shape.reduce((a, b) => a * b, 1) : -1;
        if (
          !Array.isArray(t?.shape) ||
          t.shape.join(',') !== p.shape.join(',') ||
          !Array.isArray(t.data) ||
          t.data.length !== size
        ) {
          throw new ArgumentError(
            op,
            `state ${key}.${name} has shape ${JSON.stringify(t?.shape)} with ${t?.data?.length} values; parameter ${key} is [${p.shape.join(',')}]`,
          );
        }
      }
      incoming.set(p, st);
    }
    dict.paramGroups.forEach((saved, gi) => {
      const group = this.paramGroups[gi] as ParamGroup<O>;
      const { params: _p, ...hyper } = saved;
      Object.assign(group, hyper);
    });
    this.disposeState();
    for (const [p, st] of incoming) {
      const tensors: Record<string, Tensor> = {};
      for (const [name, t] of Object.entries(st.tensors)) {
        tensors[name] = keep(
          tensor(
            Float32Array.from(t.data, (v) => Number(v)),
            { shape: t.shape },
          ),
        );
      }
      this.state.set(p, { step: st.step, tensors });
    }
  }

  private disposeState(): void {
    for (const st of this.state.values()) for (const t of Object.values(st.tensors)) t.dispose();
    this.state.clear();
  }

  /** Frees the optimiser's state tensors (not the parameters). */
  dispose(): void {
    this.disposeState();
  }
}
