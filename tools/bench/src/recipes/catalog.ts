/**
 * The training recipes of issue 3's acceptance list: what each trains, for how long, and what counts as
 * passing. Myelin runs them through the `myelin train` command (the project's main job), PyTorch through
 * tools/bench/recipes/torch_recipes.py on the same data, architecture, optimiser and batch size.
 */

/** One recipe. `epochs` are checkpoints at which the test accuracy is read (the last is the run's length). */
export interface Recipe {
  id: string;
  title: string;
  /** The `myelin train` arguments shared by every checkpoint (no --epochs, --seed, --backend). */
  cliArgs: string[];
  /** Epoch counts after which test accuracy is recorded (each continues the last by `--resume`). */
  epochs: number[];
  backend: 'cpu' | 'worker';
  seeds: number[];
  /** The torch_recipes.py recipe name, if PyTorch runs it too. */
  torch?: string;
  /** What the acceptance list asks, in words, and how a result is judged. */
  target: string;
  judge(r: RecipeResult): { met: boolean; detail: string };
}

/** Test accuracy and training time of one seed after each checkpoint. */
export interface SeedRun {
  seed: number;
  /** Per entry of `Recipe.epochs`. */
  accuracy: number[];
  /** Cumulative training seconds (without data loading and evaluation), per checkpoint. */
  trainSeconds: number[];
  samplesPerSecond: number;
}

/** Where and when a recipe was measured. */
export interface RecipeRunInfo {
  /** ISO date of the end of the run. */
  date: string;
  commit: string;
  /** 1-minute load average at the start and the end of the recipe. */
  loadStart: number;
  loadEnd: number;
  /** PyTorch's version, or null where it was not measured. */
  torchVersion: string | null;
}

export interface RecipeResult {
  recipe: Recipe;
  myelin: SeedRun[];
  torch: SeedRun[] | { skipped: string };
  info: RecipeRunInfo;
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Mean test accuracy over seeds after the checkpoint at index `k` (default: the last). */
export function meanAccuracy(runs: readonly SeedRun[], k = -1): number {
  return mean(runs.map((r) => r.accuracy.at(k) as number));
}

const pct = (a: number) => `${(a * 100).toFixed(2)} %`;

const FASHION = ['-d', 'fashion-mnist', '--batch-size', '64', '--optimizer', 'adam', '--lr', '1e-3'];

export const RECIPES: readonly Recipe[] = [
  {
    id: 'digits-mlp',
    title: 'digits, MLP 64-64-10, Adam 1e-3, batch 32, 30 epochs, 80/20 split',
    cliArgs: [
      '-d',
      'digits',
      '-m',
      'tools/bench/recipes/mlp-64-64-10.json',
      '--batch-size',
      '32',
      '--optimizer',
      'adam',
      '--lr',
      '1e-3',
    ],
    epochs: [30],
    backend: 'cpu',
    seeds: [0, 1, 2],
    torch: 'digits',
    target: '≥ 97 % test accuracy within 10 s of training (every seed)',
    judge(r) {
      const worst = Math.min(...r.myelin.map((s) => s.accuracy.at(-1) as number));
      const slowest = Math.max(...r.myelin.map((s) => s.trainSeconds.at(-1) as number));
      return {
        met: worst >= 0.97 && slowest <= 10,
        detail: `lowest ${pct(worst)}, slowest ${slowest.toFixed(1)} s`,
      };
    },
  },
  {
    id: 'fashion-lenet',
    title:
      'Fashion-MNIST, LeNet-style CNN (conv 5×5×8, ReLU, max-pool 2, conv 5×5×16, ReLU, max-pool 2, linear 10), Adam 1e-3, batch 64, 2 epochs',
    cliArgs: [...FASHION, '-m', 'tools/bench/recipes/lenet-style.json'],
    epochs: [1, 2],
    backend: 'cpu',
    // Five seeds: one seed's accuracy after 2 epochs moves by about ±0.5 points.
    seeds: [0, 1, 2, 3, 4],
    torch: 'lenet',
    target: 'test accuracy after 2 epochs within 1 point of PyTorch on the same recipe (means over seeds)',
    judge(r) {
      if ('skipped' in r.torch) return { met: false, detail: `PyTorch not measured: ${r.torch.skipped}` };
      const gap = (meanAccuracy(r.myelin) - meanAccuracy(r.torch)) * 100;
      return { met: Math.abs(gap) <= 1, detail: `Myelin − PyTorch = ${gap.toFixed(2)} points` };
    },
  },
  {
    id: 'fashion-cnn',
    title:
      'Fashion-MNIST, the `cnn` preset with batch norm (conv 3×3×16 pad 1, BN, ReLU, max-pool 2, conv 3×3×32 pad 1, BN, ReLU, max-pool 2, linear 128, ReLU, linear 10), Adam 1e-3, batch 64, 10 epochs; worker backend (2 threads: the same kernels as the CPU backend, about twice as fast here)',
    cliArgs: [...FASHION, '-m', 'cnn', '--batch-norm'],
    epochs: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    backend: 'worker',
    seeds: [0],
    torch: 'cnn',
    target: '≥ 90 % test accuracy within 10 epochs',
    judge(r) {
      const run = r.myelin[0] as SeedRun;
      const first = run.accuracy.findIndex((a) => a >= 0.9);
      return {
        met: first >= 0,
        detail:
          first >= 0
            ? `${pct(run.accuracy[first] as number)} after epoch ${r.recipe.epochs[first]}; ${pct(run.accuracy.at(-1) as number)} after ${r.recipe.epochs.at(-1)}`
            : `best ${pct(Math.max(...run.accuracy))}`,
      };
    },
  },
];
