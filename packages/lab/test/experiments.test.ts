/**
 * Each experiment in quick mode on the CPU backend, seed 0: the direction and size of every effect the
 * chapter claims (and, where the result is weaker than the claim, the weaker statement the reading makes).
 *
 * Margins come from quick runs over seeds 0–4 (`node scripts/dev.mjs all --quick --seeds 0,1,2,3,4`);
 * the observed range [min … max] over those seeds is noted next to each assert, so a margin can be
 * judged against the spread. The tests themselves use seed 0, so on the CPU backend they are exact
 * reruns; the margins are what another backend or seed may use.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { expectWellFormed, metric, runQuick, useCpu } from './helpers.js';

const TIMEOUT = 120_000; // generous: these machines have 2 cores shared with other work

beforeAll(useCpu);

describe('the lab, quick mode, seed 0', () => {
  it(
    'vanishing-gradients: sigmoid gradients vanish toward the input; He-initialised ReLU and Xavier tanh do not',
    async () => {
      const r = await runQuick('vanishing-gradients');
      expectWellFormed(r);
      const m = (k: string) => metric(r, k);
      // first/last layer gradient norm. sigmoid default [7.1e-9 … 1.0e-8], Xavier [5.6e-7 … 1.1e-6], He [1.1e-5 … 1.5e-5]
      expect(m('sigmoid_default_first_over_last')).toBeLessThan(1e-2);
      expect(m('sigmoid_xavier_first_over_last')).toBeLessThan(1e-2);
      expect(m('sigmoid_he_first_over_last')).toBeLessThan(1e-2);
      // tanh default [0.054 … 0.095]; tanh Xavier [0.93 … 1.89] (weaker than the claim: no vanishing)
      expect(m('tanh_default_first_over_last')).toBeLessThan(0.3);
      expect(m('tanh_xavier_first_over_last')).toBeGreaterThan(0.3);
      expect(m('sigmoid_xavier_first_over_last')).toBeLessThan(m('tanh_xavier_first_over_last') * 1e-3);
      // ReLU He [1.52 … 2.83]; ReLU with the default init vanishes too [0.0024 … 0.0074]
      expect(m('relu_he_first_over_last')).toBeGreaterThan(0.3);
      expect(m('relu_default_first_over_last')).toBeLessThan(0.05);
      // the derivatives themselves (exact, seed-independent)
      expect(m('d_sigmoid_at_0')).toBeCloseTo(0.25, 6);
      expect(m('d_sigmoid_at_8')).toBeLessThan(1e-3);
      expect(m('d_tanh_at_0')).toBeCloseTo(1, 6);
      expect(m('d_tanh_at_4')).toBeLessThan(2e-3);
      expect(m('d_relu_at_2')).toBe(1);
      expect(m('d_relu_at_8')).toBe(1);
    },
    TIMEOUT,
  );

  it(
    'relu-cost-and-sparsity: a trained ReLU network has exactly-zero activations, a sigmoid one none',
    async () => {
      const r = await runQuick('relu-cost-and-sparsity');
      expectWellFormed(r);
      const m = (k: string) => metric(r, k);
      // ReLU zeros trained [0.23 … 0.29], at init [0.47 … 0.52]; sigmoid exactly 0 in every run
      expect(m('relu_zero_fraction_trained')).toBeGreaterThan(0.15);
      expect(m('relu_zero_fraction_init')).toBeGreaterThan(0.35);
      expect(m('relu_zero_fraction_init')).toBeLessThan(0.65);
      expect(m('sigmoid_zero_fraction_trained')).toBe(0);
      // Timings are measured, not asserted (they depend on the machine and its load).
      for (const a of ['identity', 'sigmoid', 'tanh', 'relu']) {
        expect(m(`${a}_ns_per_element_forward_backward`)).toBeGreaterThan(0);
        expect(Number.isFinite(m(`${a}_ns_per_element_forward_backward`))).toBe(true);
      }
    },
    TIMEOUT,
  );

  it(
    'dead-relu: a high learning rate kills ReLUs; the leaky variants keep a gradient and fewer inactive units',
    async () => {
      const r = await runQuick('dead-relu');
      expectWellFormed(r);
      const m = (k: string) => metric(r, k);
      // ReLU dead at high lr [0.31 … 0.47], at normal lr [0.11 … 0.14]: difference ≥ 0.18
      expect(m('ReLU_high_dead')).toBeGreaterThan(m('ReLU_normal_dead') + 0.1);
      // the leaky variants: dead is 0 by construction (output a·x, gradient a)
      for (const a of ['LeakyReLU', 'PReLU', 'RReLU']) {
        expect(m(`${a}_high_dead`)).toBe(0);
        expect(m(`${a}_normal_dead`)).toBe(0);
      }
      expect(m('ReLU_high_dead')).toBeGreaterThan(m('LeakyReLU_high_dead') + 0.2);
      // units negative on every sample at the high rate: LeakyReLU [0.21 … 0.27] (ReLU − Leaky [0.047 … 0.25]),
      // PReLU [0.063 … 0.11], RReLU [0.066 … 0.086]
      expect(m('ReLU_high_never_active')).toBeGreaterThanOrEqual(m('LeakyReLU_high_never_active'));
      expect(m('ReLU_high_never_active')).toBeGreaterThan(m('PReLU_high_never_active') + 0.15);
      expect(m('ReLU_high_never_active')).toBeGreaterThan(m('RReLU_high_never_active') + 0.15);
      // learned PReLU slopes stay positive and below 1 on average: [0.25 … 0.29]
      for (const k of ['prelu_slope_mean_layer1_normal', 'prelu_slope_mean_layer2_high']) {
        expect(m(k)).toBeGreaterThan(0);
        expect(m(k)).toBeLessThan(1);
      }
    },
    TIMEOUT,
  );

  it(
    'zero-init: zero and constant inits leave every hidden unit identical and the network weak',
    async () => {
      const r = await runQuick('zero-init');
      expectWellFormed(r);
      const m = (k: string) => metric(r, k);
      // spread exactly 0 in every run; distinct units 1 of 32
      for (const init of ['zeros', 'constant']) {
        expect(m(`${init}_max_unit_spread`)).toBeLessThan(1e-6);
        expect(m(`${init}_distinct_units_layer1`)).toBe(1);
        expect(m(`${init}_distinct_units_layer2`)).toBe(1);
      }
      expect(m('random_distinct_units_layer1')).toBe(32);
      expect(m('random_max_unit_spread')).toBeGreaterThan(0.1); // [2.17 … 2.38]
      // accuracy: random [0.82 … 0.86], zeros [0.074 … 0.25], constant [0.19 … 0.26]
      expect(m('random_test_accuracy')).toBeGreaterThan(m('zeros_test_accuracy') + 0.4);
      expect(m('random_test_accuracy')).toBeGreaterThan(m('constant_test_accuracy') + 0.4);
      expect(m('zeros_test_accuracy')).toBeLessThan(0.5);
    },
    TIMEOUT,
  );

  it(
    'mse-vs-cross-entropy: MSE on a sigmoid starves a confidently wrong output; cross-entropy trains faster',
    async () => {
      const r = await runQuick('mse-vs-cross-entropy');
      expectWellFormed(r);
      const m = (k: string) => metric(r, k);
      // |dL/dz| at z = −10: MSE 9.08e-5, cross-entropy 1.000 (exact)
      expect(m('grad_mse_at_-10') / m('grad_ce_at_-10')).toBeLessThan(1e-3);
      expect(m('grad_ce_at_-10')).toBeGreaterThan(0.99);
      // final test accuracy: CE [0.81 … 0.87], MSE [0.45 … 0.64]; CE − MSE ≥ 0.21
      expect(m('classifier_ce_accuracy_final')).toBeGreaterThan(m('classifier_mse_accuracy_final') + 0.1);
      // early: CE [0.32 … 0.55], MSE [0.10 … 0.26]; CE − MSE ≥ 0.19
      expect(m('classifier_ce_accuracy_early')).toBeGreaterThan(m('classifier_mse_accuracy_early') + 0.1);
      // regression: test MSE / noise variance [0.95 … 1.27]
      expect(m('regression_mse_over_noise')).toBeLessThan(2);
    },
    TIMEOUT,
  );

  it(
    'regularization: weight decay narrows the gap on two moons; on digits it narrows the loss gap only',
    async () => {
      const r = await runQuick('regularization');
      expectWellFormed(r);
      const m = (k: string) => metric(r, k);
      // moons accuracy gap: plain [0.113 … 0.146], decay [0.0067 … 0.087]; per-seed shrink ≥ 0.045
      expect(m('moons_decay_accuracy_gap')).toBeLessThan(m('moons_plain_accuracy_gap') - 0.02);
      expect(m('moons_decay_test_accuracy')).toBeGreaterThan(m('moons_plain_test_accuracy') - 0.01);
      expect(m('moons_decay_weight_norm')).toBeLessThan(m('moons_plain_weight_norm'));
      // digits loss gap: plain [0.30 … 0.64], decay [0.28 … 0.50]; per-seed shrink ≥ 0.027
      expect(m('digits_decay_loss_gap')).toBeLessThan(m('digits_plain_loss_gap') - 0.01);
      // digits accuracy gap: weaker than the claim, it does not shrink (decay − plain [−0.0004 … +0.011])
      expect(m('digits_decay_accuracy_gap')).toBeLessThan(m('digits_plain_accuracy_gap') + 0.03);
    },
    TIMEOUT,
  );

  it(
    'dropout: narrows the gap; weight scaling agrees with averaging stochastic passes',
    async () => {
      const r = await runQuick('dropout');
      expectWellFormed(r);
      const m = (k: string) => metric(r, k);
      // accuracy gap: plain [0.107 … 0.147], dropout [0.0097 … 0.094]; per-seed shrink ≥ 0.037
      expect(m('dropout_accuracy_gap')).toBeLessThan(m('plain_accuracy_gap') - 0.02);
      // loss gap: plain [0.43 … 0.82], dropout [0.09 … 0.43]
      expect(m('dropout_loss_gap')).toBeLessThan(m('plain_loss_gap'));
      // weight scaling vs the mean of 20 passes: |difference| [0 … 0.004], agreement [0.982 … 0.994]
      expect(Math.abs(m('mc_test_accuracy') - m('weight_scaling_test_accuracy'))).toBeLessThan(0.015);
      expect(m('mc_vs_scaling_agreement')).toBeGreaterThan(0.97);
      // one stochastic pass is worse than either [0.844 … 0.890]
      expect(m('mc_single_pass_test_accuracy')).toBeLessThanOrEqual(m('mc_test_accuracy'));
    },
    TIMEOUT,
  );

  it(
    'ensemble: at least as good as the average member, about as good as the best, better calibrated',
    async () => {
      const r = await runQuick('ensemble');
      expectWellFormed(r);
      const m = (k: string) => metric(r, k);
      // ensemble − best member [−0.006 … +0.004]; ensemble − mean member [+0.008 … +0.013]
      expect(m('ensemble_accuracy')).toBeGreaterThanOrEqual(m('member_best_accuracy') - 0.015);
      expect(m('ensemble_accuracy')).toBeGreaterThan(m('member_mean_accuracy'));
      // test cross-entropy: below the mean member's always (convexity of −log)
      expect(m('ensemble_nll')).toBeLessThan(m('member_mean_nll'));
    },
    TIMEOUT,
  );

  it(
    'augmentation: random shifts make a small-data MLP robust to shifted digits',
    async () => {
      const r = await runQuick('augmentation');
      expectWellFormed(r);
      const m = (k: string) => metric(r, k);
      // shifted test: plain [0.33 … 0.39], augmented [0.72 … 0.73]; gain ≥ 0.34
      expect(m('augmented_shifted_test_accuracy')).toBeGreaterThan(m('plain_shifted_test_accuracy') + 0.25);
      // clean test: weaker than the claim — augmented − plain [−0.074 … −0.035] in quick mode
      expect(m('augmented_clean_test_accuracy')).toBeGreaterThan(m('plain_clean_test_accuracy') - 0.12);
    },
    TIMEOUT,
  );

  it(
    'batchnorm: survives a learning rate at which the plain deep network diverges',
    async () => {
      const r = await runQuick('batchnorm');
      expectWellFormed(r);
      const m = (k: string) => metric(r, k);
      // lr 2: plain non-finite in every run; BN final loss [0.22 … 0.35]
      expect(m('plain_lr2_diverged')).toBe(1);
      expect(Number.isFinite(m('plain_lr2_final_loss'))).toBe(false);
      expect(m('bn_lr2_diverged')).toBe(0);
      expect(m('bn_lr2_final_loss')).toBeLessThan(0.6);
      // lr 0.5: plain [2.12 … 2.33], BN [0.11 … 0.15]
      expect(m('bn_lr0.5_final_loss')).toBeLessThan(m('plain_lr0.5_final_loss') - 1);
      expect(m('bn_max_stable_lr')).toBeGreaterThan(m('plain_max_stable_lr'));
      // batch norm holds the pre-activations near mean 0, variance ~1 (layer 1: variance 1.00)
      expect(Math.abs(m('bn_layer1_preact_mean_final'))).toBeLessThan(0.2);
      expect(m('bn_layer1_preact_variance_final')).toBeGreaterThan(0.7);
      expect(m('bn_layer1_preact_variance_final')).toBeLessThan(1.5);
    },
    TIMEOUT,
  );

  it(
    'conv-vs-dense: far fewer parameters, and exact translation equivariance',
    async () => {
      const r = await runQuick('conv-vs-dense');
      expectWellFormed(r);
      const m = (k: string) => metric(r, k);
      expect(m('digits_dense_layer_parameters')).toBe(64 * 512 + 512);
      expect(m('digits_conv_layer_parameters')).toBe(3 * 3 * 1 * 8 + 8);
      expect(m('cnn_parameters')).toBeLessThan(m('mlp_small_parameters'));
      // conv: exactly 0 in every run; dense [1.39 … 1.46]
      expect(m('conv_equivariance_error')).toBeLessThan(1e-5);
      expect(m('dense_equivariance_error')).toBeGreaterThan(0.5);
      // the quick CNN trains (accuracy [0.77 … 0.89]); per-parameter comparisons need the full run
      expect(m('cnn_test_accuracy')).toBeGreaterThan(0.6);
    },
    TIMEOUT,
  );

  it(
    'pooling-invariance: pooled features change less under small shifts and distortions, more so for larger windows',
    async () => {
      const r = await runQuick('pooling-invariance');
      expectWellFormed(r);
      const m = (k: string) => metric(r, k);
      // shift 1 px: none [0.19 … 0.35], max 2×2 [0.18 … 0.30] (ratio ≈ 0.85–0.91), max 4×4 [0.16 … 0.26]
      expect(m('change_max_2x2_shift_1_px')).toBeLessThan(m('change_none_shift_1_px'));
      expect(m('change_mean_2x2_shift_1_px')).toBeLessThan(m('change_none_shift_1_px'));
      expect(m('change_max_4x4_shift_1_px')).toBeLessThan(m('change_max_2x2_shift_1_px'));
      expect(m('change_max_4x4_shift_1_px')).toBeLessThan(0.9 * m('change_none_shift_1_px'));
      // global pooling: [0 … 0.0044]
      expect(m('change_global_max_shift_1_px')).toBeLessThan(0.01);
      expect(m('change_global_mean_shift_1_px')).toBeLessThan(0.01);
      // small rotations and scalings are damped too (4×4 max vs none: 0.78–0.81 and 0.72–0.80 of it)
      expect(m('change_max_4x4_rotate_5deg')).toBeLessThan(m('change_none_rotate_5deg'));
      expect(m('change_max_4x4_scale_x1p1')).toBeLessThan(m('change_none_scale_x1p1'));
    },
    TIMEOUT,
  );
});
