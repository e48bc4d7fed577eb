/**
 * Training-step runners shared by the training workloads: one Adam step on one fixed batch per op, loss
 * read back at the end of each timed run. Data is made once, outside the timing, in each library's
 * native idiom (tfjs: one-hot targets; Myelin: class indices), so what is timed is forward, loss,
 * backward and the optimiser update.
 */
import type * as Tf from '@tensorflow/tfjs';
import type { ModuleLike, MyelinApi, MyelinTensor, OptimizerLike } from './engines/myelin.js';
import type { Runner, TfjsModule } from './types.js';

export const BATCH = 64;
export const CLASSES = 10;
export const LEARNING_RATE = 1e-3;

/** Fixed labels 0..9 spread over the batch (the values do not affect the speed). */
export function batchLabels(batch = BATCH): Int32Array {
  return Int32Array.from({ length: batch }, (_, i) => (i * 7) % CLASSES);
}

/** Glorot-uniform weights, as Keras initialises a dense or conv layer. */
export function glorot(
  tf: TfjsModule,
  shape: number[],
  fanIn: number,
  fanOut: number,
  seed: number,
): Tf.Variable {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  // A variable shares its initial tensor's buffer but not its handle: tidy frees the handle.
  return tf.tidy(() => tf.variable(tf.randomUniform(shape, -limit, limit, 'float32', seed)));
}

/** A zero-initialised bias variable. */
export function zeroBias(tf: TfjsModule, size: number): Tf.Variable {
  return tf.tidy(() => tf.variable(tf.zeros([size])));
}

/** One-hot targets for `batchLabels()`. */
export function oneHotTargets(tf: TfjsModule, batch = BATCH): Tf.Tensor {
  return tf.tidy(() => tf.oneHot(tf.tensor1d(batchLabels(batch), 'int32'), CLASSES));
}

/**
 * A tfjs training runner: `loss()` builds the forward pass and the mean softmax cross-entropy from the
 * variables; `tf.train.adam().minimize()` differentiates it with `tf.variableGrads` and updates them.
 */
export function tfjsTrainer(
  tf: TfjsModule,
  vars: Tf.Variable[],
  inputs: Tf.Tensor[],
  loss: () => Tf.Scalar,
): Runner {
  const optimizer = tf.train.adam(LEARNING_RATE);
  let last: Tf.Scalar | null = null;
  return {
    step() {
      last?.dispose();
      last = optimizer.minimize(loss, true, vars);
    },
    async sync() {
      await last?.data();
    },
    dispose() {
      last?.dispose();
      optimizer.dispose();
      for (const t of [...vars, ...inputs]) t.dispose();
    },
  };
}

/** A Myelin training runner: `opt.zeroGrad(); crossEntropy(model.forward(x), y).backward(); opt.step()`. */
export function myelinTrainer(
  m: MyelinApi,
  build: (m: Required<MyelinApi>) => ModuleLike,
  inputShape: number[],
): Runner | { skip: string } {
  const { core, layers, optim } = m;
  if (!layers || !optim) return { skip: m.missing.join('; ') };
  const model = core.tidy(() => build({ core, layers, optim, missing: [] }));
  const opt: OptimizerLike = new optim.Adam(model.parameters(), { lr: LEARNING_RATE });
  const x = core.randn(inputShape, { seed: 1 });
  const y = core.tensor(batchLabels(inputShape[0]), { dtype: 'int32' });
  let last: MyelinTensor | null = null;
  return {
    step() {
      last?.dispose();
      last = core.tidy(() => {
        opt.zeroGrad();
        const loss = layers.crossEntropy(model.forward(x), y);
        loss.backward();
        opt.step();
        return loss.detach();
      });
    },
    async sync() {
      await last?.data();
    },
    dispose() {
      last?.dispose();
      opt.zeroGrad();
      opt.dispose?.();
      if (model.dispose) model.dispose();
      else for (const p of model.parameters()) p.dispose();
      x.dispose();
      y.dispose();
    },
  };
}
