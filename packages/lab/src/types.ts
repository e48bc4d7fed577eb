/**
 * What an experiment is and what it returns. Everything here is plain data (numbers, strings, arrays), so
 * a result can be printed, saved as JSON, rendered by the CLI as SVG/PNG or drawn by the web app.
 */

/** One curve or one group of bars: points are `[x, y]`. For bar charts, x is the bar's index or label. */
export interface ChartSeries {
  name: string;
  points: Array<[number, number]>;
}

/**
 * A chart as data, free of any renderer. `kind: 'bar'` draws each series' points as bars at x (the
 * series side by side); `xTicks` names x positions (bar labels, say). Values on a log scale are given
 * already as log10 and say so in the axis label, so every renderer draws them the same way.
 */
export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  kind: 'line' | 'bar';
  series: ChartSeries[];
  /** Labels of x positions (bar charts of categories); x values absent here are drawn as numbers. */
  xTicks?: Array<{ x: number; label: string }>;
}

/**
 * A grey-scale image (a feature map, an input digit) as row-major values; renderers map
 * [min, max] of `values` (or `range`) to black..white.
 */
export interface ImageSpec {
  title: string;
  width: number;
  height: number;
  values: number[];
  /** The value range mapped to black..white (default: the values' own min and max). */
  range?: [number, number];
}

/** A table: column names and rows of cells (numbers are formatted by the renderer, strings kept). */
export interface LabTable {
  columns: string[];
  rows: Array<Array<string | number>>;
}

/** Progress of a running experiment. */
export interface LabProgress {
  experiment: string;
  /** Work done so far, out of `total` (units chosen by the experiment: runs, epochs...). */
  done: number;
  total: number;
  message: string;
}

/** Options of one run. */
export interface LabOptions {
  /** Seeds the weights, the data splits, the shuffles and every random draw: same seed, same numbers. */
  seed: number;
  /** Smaller data and fewer epochs, for tests (a few seconds on the CPU backend). */
  quick?: boolean;
  /** Called as the experiment advances. */
  onProgress?: (progress: LabProgress) => void;
}

/** What an experiment returns. */
export interface LabResult {
  name: string;
  title: string;
  /** The claim of the chapter this experiment measures. */
  claim: string;
  /** What was run: data, model, optimiser, epochs, seed, backend. */
  setup: string;
  table: LabTable;
  charts: ChartSpec[];
  /** Example images (feature maps, inputs), when the experiment shows some. */
  images?: ImageSpec[];
  /** The result in words, written from the numbers; says where it is weaker than the claim. */
  reading: string;
  /** The numbers the tests assert, by name. */
  metrics: Record<string, number>;
  /** How the run was made: seed, quick mode, backend, wall time. */
  run: { seed: number; quick: boolean; backend: string; seconds: number };
}

/** An experiment of the lab. */
export interface Experiment {
  /** The command-line name (`vanishing-gradients`). */
  name: string;
  title: string;
  claim: string;
  run(options: LabOptions): Promise<LabResult>;
}
