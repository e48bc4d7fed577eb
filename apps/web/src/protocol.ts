/**
 * The messages between the page and the training worker. Everything here is plain, structured-cloneable
 * data: the page never touches a tensor, the worker never touches the DOM.
 */
import type { LabResult } from '@myelin/lab';

/** The datasets the playground offers. */
export const DATASETS = ['spiral', 'moons', 'circles', 'xor', 'blobs', 'digits'] as const;
export type DatasetName = (typeof DATASETS)[number];

export const ACTIVATIONS = ['relu', 'leakyRelu', 'tanh', 'sigmoid'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export const INITS = [
  'default',
  'kaimingUniform',
  'kaimingNormal',
  'xavierUniform',
  'xavierNormal',
  'zeros',
] as const;
export type InitName = (typeof INITS)[number];

export const LOSSES = ['crossEntropy', 'mse'] as const;
export type LossName = (typeof LOSSES)[number];

export const OPTIMIZERS = ['adam', 'adamw', 'sgd', 'momentum', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** Everything that defines a playground run: data, model, loss, optimiser, seed. */
export interface PlaygroundConfig {
  dataset: DatasetName;
  /** Standard deviation of the noise of a 2-D set (its own unit: radians for the spiral). */
  noise: number;
  /** Hidden layers. */
  depth: number;
  /** Units per hidden layer. */
  width: number;
  activation: ActivationName;
  init: InitName;
  /** Dropout probability after each hidden activation (0: none). */
  dropout: number;
  batchNorm: boolean;
  loss: LossName;
  optimizer: OptimizerName;
  lr: number;
  batchSize: number;
  seed: number;
}

export const DEFAULT_CONFIG: PlaygroundConfig = {
  dataset: 'spiral',
  noise: 0.2,
  depth: 2,
  width: 32,
  activation: 'relu',
  init: 'default',
  dropout: 0,
  batchNorm: false,
  loss: 'crossEntropy',
  optimizer: 'adam',
  lr: 0.01,
  batchSize: 32,
  seed: 0,
};

/** What `listBackends()` says about one backend (core's BackendInfo, as plain data). */
export interface BackendStatus {
  name: string;
  available: boolean;
  active: boolean;
  reason?: string;
  description?: string;
}

/** The points of a 2-D set, for drawing (in data coordinates). */
export interface PointsView {
  x: Float32Array;
  y: Int32Array;
  /** The plotted square: [xmin, xmax, ymin, ymax]. */
  extent: [number, number, number, number];
}

/** What the page learns about a freshly built run. */
export interface RunInfo {
  config: PlaygroundConfig;
  numClasses: number;
  inputSize: number;
  trainSize: number;
  testSize: number;
  /** Parameters of the model. */
  parameters: number;
  /** The model, printed (layers and their sizes). */
  summary: string;
  /** Names of the hidden layers, as the charts label them (`layer 1`, ...), then `output`. */
  layerNames: string[];
  /** Names of the hidden layers with an activation (for the dead-unit chart). */
  hiddenNames: string[];
  /** Train and test points of a 2-D set; absent for digits. */
  trainPoints?: PointsView;
  testPoints?: PointsView;
  /** Where this run came from: `built` by the controls, or `loaded` from a file. */
  origin: 'built' | 'loaded';
  /** The first measurement of the run (so the page shows it only after adopting the run). */
  initial: Progress;
}

/** One measurement of the run, sent every few hundred milliseconds while it trains. */
export interface Progress {
  step: number;
  epoch: number;
  /** Mean minibatch loss since the previous report. */
  loss: number;
  trainLoss: number;
  trainAccuracy: number;
  testAccuracy: number;
  /** The L2 norm of each layer's weight gradient at the last step (layerNames order). */
  gradNorms: number[];
  /** Fraction of each hidden layer's units that are dead on the training set (hiddenNames order). */
  deadFractions: number[];
  /** Class probabilities on a grid over the plot's extent (row-major, top row first), 2-D sets only. */
  grid?: { size: number; probs: Float32Array };
  /** Optimiser steps per second since the previous report. */
  stepsPerSecond: number;
  backend: string;
}

/** Requests from the page; each gets one reply (`ok` with a result, or `error`). */
export type Request =
  | { kind: 'hello' }
  | { kind: 'configure'; config: PlaygroundConfig }
  | { kind: 'start' }
  | { kind: 'pause' }
  | { kind: 'step' }
  | { kind: 'reset' }
  | { kind: 'setBackend'; name: string }
  | { kind: 'save' }
  | { kind: 'load'; bytes: Uint8Array; fileName: string }
  | { kind: 'predict'; pixels: Float32Array }
  | { kind: 'digitSample'; index: number }
  | { kind: 'labList' }
  | { kind: 'labRun'; name: string; seed: number; quick: boolean };

/** What each request answers. */
export interface Replies {
  hello: { backends: BackendStatus[]; isolated: boolean };
  configure: RunInfo;
  start: { running: boolean };
  pause: { running: boolean };
  step: { running: boolean };
  reset: RunInfo;
  setBackend: { backends: BackendStatus[] };
  save: { bytes: Uint8Array; fileName: string };
  load: RunInfo;
  predict: { probs: number[] };
  digitSample: { pixels: Float32Array; label: number };
  labList: Array<{ name: string; title: string; claim: string }>;
  labRun: LabResult;
}

/** A request with its correlation id. */
export type RequestEnvelope = { id: number } & Request;

/** Messages from the worker: replies, and events nobody asked for. */
export type WorkerMessage =
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'progress'; progress: Progress }
  | { type: 'running'; running: boolean; reason?: string }
  | { type: 'backend'; backends: BackendStatus[] }
  | { type: 'labProgress'; done: number; total: number; message: string }
  | { type: 'fatal'; error: string };
