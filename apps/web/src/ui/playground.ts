/**
 * The playground: controls for the data, the network and its training on the left; the decision
 * boundary (or the digit pad) and the live charts on the right. All work happens in the training worker;
 * this page sends requests and draws what comes back.
 */
import type { EngineClient } from '../client.js';
import {
  type ActivationName,
  type BackendStatus,
  type DatasetName,
  DEFAULT_CONFIG,
  type InitName,
  type LossName,
  type OptimizerName,
  type PlaygroundConfig,
  type Progress,
  type RunInfo,
} from '../protocol.js';
import { BackendPicker } from './backends.js';
import { BoundaryView } from './boundary.js';
import { Chart, type Series } from './chart.js';
import { h, replaceChildren } from './dom.js';
import { DrawPad } from './draw-pad.js';
import { checkboxField, numberField, type Option, rangeField, selectField } from './fields.js';
import { colour, int, num, percent } from './format.js';

const DATASET_OPTIONS: Option<DatasetName>[] = [
  { value: 'spiral', label: 'Spiral (3 classes)' },
  { value: 'moons', label: 'Moons (2 classes)' },
  { value: 'circles', label: 'Circles (2 classes)' },
  { value: 'xor', label: 'XOR (2 classes)' },
  { value: 'blobs', label: 'Blobs (4 classes)' },
  { value: 'digits', label: 'Digits (8×8 images, 10 classes)' },
];
const ACTIVATION_OPTIONS: Option<ActivationName>[] = [
  { value: 'relu', label: 'ReLU' },
  { value: 'leakyRelu', label: 'Leaky ReLU' },
  { value: 'tanh', label: 'tanh' },
  { value: 'sigmoid', label: 'sigmoid' },
];
const INIT_OPTIONS: Option<InitName>[] = [
  { value: 'default', label: 'PyTorch default' },
  { value: 'kaimingUniform', label: 'Kaiming (He) uniform' },
  { value: 'kaimingNormal', label: 'Kaiming (He) normal' },
  { value: 'xavierUniform', label: 'Xavier (Glorot) uniform' },
  { value: 'xavierNormal', label: 'Xavier (Glorot) normal' },
  { value: 'zeros', label: 'Zeros (no symmetry breaking)' },
];
const LOSS_OPTIONS: Option<LossName>[] = [
  { value: 'crossEntropy', label: 'Cross-entropy' },
  { value: 'mse', label: 'Squared error on probabilities' },
];
const OPTIMIZER_OPTIONS: Option<OptimizerName>[] = [
  { value: 'adam', label: 'Adam' },
  { value: 'adamw', label: 'AdamW (weight decay 0.01)' },
  { value: 'sgd', label: 'SGD' },
  { value: 'momentum', label: 'SGD + momentum 0.9' },
  { value: 'rmsprop', label: 'RMSprop' },
];
const LR_OPTIONS: Option<number>[] = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1].map((v) => ({
  value: v,
  label: String(v),
}));
const WIDTH_OPTIONS: Option<number>[] = [2, 4, 8, 16, 32, 64, 128, 256].map((v) => ({
  value: v,
  label: String(v),
}));
const BATCH_OPTIONS: Option<number>[] = [8, 16, 32, 64, 128].map((v) => ({ value: v, label: String(v) }));
const DROPOUT_OPTIONS: Option<number>[] = [0, 0.1, 0.2, 0.3, 0.5].map((v) => ({
  value: v,
  label: v === 0 ? 'none' : String(v),
}));

/** The curves of one run, by step. */
interface History {
  loss: Array<[number, number]>;
  trainLoss: Array<[number, number]>;
  trainAccuracy: Array<[number, number]>;
  testAccuracy: Array<[number, number]>;
  gradNorms: Array<Array<[number, number]>>;
  dead: Array<Array<[number, number]>>;
}

const emptyHistory = (): History => ({
  loss: [],
  trainLoss: [],
  trainAccuracy: [],
  testAccuracy: [],
  gradNorms: [],
  dead: [],
});

export class Playground {
  readonly element: HTMLElement;
  private config: PlaygroundConfig = { ...DEFAULT_CONFIG };
  private info?: RunInfo;
  private running = false;
  private busy = false;
  private history = emptyHistory();
  private latest?: Progress;
  private exampleIndex = 0;

  private readonly status = h('p', {
    class: 'status',
    role: 'status',
    'aria-live': 'polite',
    'data-testid': 'status',
  });
  private readonly alert = h('div', { class: 'alert', role: 'alert', 'data-testid': 'alert', hidden: true });
  private readonly runButton = h(
    'button',
    { type: 'button', class: 'primary', 'data-testid': 'run', 'data-running': 'false' },
    'Train',
  );
  private readonly stepButton = h('button', { type: 'button', 'data-testid': 'step' }, 'Step');
  private readonly resetButton = h('button', { type: 'button', 'data-testid': 'reset' }, 'Reset');
  private readonly saveButton = h('button', { type: 'button', 'data-testid': 'save' }, 'Save model');
  private readonly fileInput = h('input', {
    type: 'file',
    id: 'model-file',
    accept: '.safetensors,application/octet-stream',
    'data-testid': 'load',
  });
  private readonly fileMessage = h('p', { class: 'hint', 'data-testid': 'file-message' });
  private readonly stats = h('dl', { class: 'stats', 'data-testid': 'stats' });
  private readonly summary = h('pre', { class: 'summary', 'data-testid': 'summary' });
  private readonly visual = h('div', { class: 'visual' });
  private readonly visualTitle = h('h2', {}, 'Decision boundary');
  private readonly boundary = new BoundaryView();
  private readonly pad: DrawPad;
  private readonly predictions = h('ol', {
    class: 'predictions',
    'data-testid': 'predictions',
    'aria-label': 'Predicted digit probabilities',
  });
  private readonly backends: BackendPicker;
  private readonly lossChart = new Chart({ title: 'Loss', xLabel: 'step', integerX: true, logY: true });
  private readonly accuracyChart = new Chart({
    title: 'Accuracy',
    xLabel: 'step',
    integerX: true,
    yMin: 0,
    yMax: 1,
    formatY: (v) => percent(v, 0),
  });
  private readonly gradChart = new Chart({
    title: 'Gradient norm per layer (weights, last step)',
    xLabel: 'step',
    integerX: true,
    logY: true,
  });
  private readonly deadChart = new Chart({
    title: 'Dead units per hidden layer',
    xLabel: 'step',
    integerX: true,
    yMin: 0,
    yMax: 1,
    formatY: (v) => percent(v, 0),
  });
  private readonly fields: Record<string, { set(v: never): void; control: HTMLElement }> = {};
  private readonly noiseField: HTMLElement;

  constructor(private readonly client: EngineClient) {
    this.pad = new DrawPad(
      (pixels) => void this.classify(pixels),
      () => void this.example(),
    );
    this.backends = new BackendPicker((name) => this.switchBackend(name));

    const field = <T>(
      key: keyof PlaygroundConfig,
      f: { element: HTMLElement; control: HTMLElement; set(v: T): void },
    ) => {
      this.fields[key] = f as unknown as { set(v: never): void; control: HTMLElement };
      return f.element;
    };
    const change = (key: keyof PlaygroundConfig) => (value: unknown) => {
      this.config = { ...this.config, [key]: value };
      void this.rebuild();
    };

    const dataset = field(
      'dataset',
      selectField('Dataset', DATASET_OPTIONS, this.config.dataset, change('dataset'), {
        'data-testid': 'dataset',
      }),
    );
    this.noiseField = field(
      'noise',
      rangeField(
        'Noise',
        this.config.noise,
        { min: 0, max: 1, step: 0.05 },
        (v) => v.toFixed(2),
        change('noise'),
      ),
    );
    const seed = field(
      'seed',
      numberField('Seed', this.config.seed, { min: 0, max: 1_000_000 }, change('seed')),
    );
    const depth = field(
      'depth',
      rangeField(
        'Hidden layers',
        this.config.depth,
        { min: 0, max: 6, step: 1 },
        (v) => String(v),
        change('depth'),
        { 'data-testid': 'depth' },
      ),
    );
    const width = field(
      'width',
      selectField('Units per layer', WIDTH_OPTIONS, this.config.width, change('width'), {
        'data-testid': 'width',
      }),
    );
    const act = field(
      'activation',
      selectField('Activation', ACTIVATION_OPTIONS, this.config.activation, change('activation'), {
        'data-testid': 'activation',
      }),
    );
    const init = field('init', selectField('Initialisation', INIT_OPTIONS, this.config.init, change('init')));
    const dropout = field(
      'dropout',
      selectField('Dropout', DROPOUT_OPTIONS, this.config.dropout, change('dropout')),
    );
    const bn = field(
      'batchNorm',
      checkboxField('Batch normalisation', this.config.batchNorm, change('batchNorm')),
    );
    const loss = field('loss', selectField('Loss', LOSS_OPTIONS, this.config.loss, change('loss')));
    const opt = field(
      'optimizer',
      selectField('Optimiser', OPTIMIZER_OPTIONS, this.config.optimizer, change('optimizer'), {
        'data-testid': 'optimizer',
      }),
    );
    const lr = field(
      'lr',
      selectField('Learning rate', LR_OPTIONS, this.config.lr, change('lr'), { 'data-testid': 'lr' }),
    );
    const batch = field(
      'batchSize',
      selectField('Batch size', BATCH_OPTIONS, this.config.batchSize, change('batchSize')),
    );

    this.runButton.addEventListener('click', () => void this.toggle());
    this.stepButton.addEventListener('click', () => void this.command('step'));
    this.resetButton.addEventListener('click', () => void this.rebuild('reset'));
    this.saveButton.addEventListener('click', () => void this.save());
    this.fileInput.addEventListener('change', () => void this.load());

    const runPanel = h(
      'section',
      { class: 'panel run', 'aria-label': 'Run' },
      h('div', { class: 'buttons' }, this.runButton, this.stepButton, this.resetButton),
      this.status,
      this.alert,
    );
    const controls = h(
      'form',
      { class: 'controls', onsubmit: (e: Event) => e.preventDefault() },
      runPanel,
      this.backends.element,
      h('fieldset', { class: 'panel settings' }, h('legend', {}, 'Data'), dataset, this.noiseField, seed),
      h(
        'fieldset',
        { class: 'panel settings' },
        h('legend', {}, 'Network'),
        h('div', { class: 'row' }, depth, width),
        act,
        init,
        h('div', { class: 'row' }, dropout, bn),
      ),
      h(
        'fieldset',
        { class: 'panel settings' },
        h('legend', {}, 'Training'),
        loss,
        opt,
        h('div', { class: 'row' }, lr, batch),
      ),
      h(
        'fieldset',
        { class: 'panel settings file' },
        h('legend', {}, 'Model file'),
        h(
          'div',
          { class: 'buttons' },
          this.saveButton,
          h('label', { class: 'button', for: 'model-file' }, 'Load model…'),
        ),
        this.fileInput,
        this.fileMessage,
        h('p', { class: 'hint' }, 'Changing a setting builds a new model from the seed.'),
      ),
    );
    const results = h(
      'section',
      { class: 'results', 'aria-label': 'Training results' },
      this.stats,
      h('div', { class: 'card visual-card' }, this.visualTitle, this.visual),
      h('div', { class: 'card curves-card' }, this.lossChart.element, this.accuracyChart.element),
      h('div', { class: 'card diag-card' }, this.gradChart.element, this.deadChart.element),
      h('details', { class: 'card model-card' }, h('summary', {}, 'Model layers'), this.summary),
    );
    this.element = h('div', { class: 'playground' }, controls, results);

    client.on('progress', ({ progress }) => this.onProgress(progress));
    client.on('running', ({ running, reason }) => this.onRunning(running, reason));
    client.on('backend', ({ backends }) => this.backends.update(backends));
    this.renderStats();
    this.setBusy(true);
  }

  /** Called once the worker is ready: shows the backends and builds the first model. */
  async start(backends: BackendStatus[]): Promise<void> {
    this.backends.update(backends);
    await this.rebuild();
  }

  /** Pauses training (the lab uses the same worker). */
  async pause(): Promise<void> {
    if (this.running) await this.command('pause');
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    for (const b of [this.runButton, this.stepButton, this.resetButton, this.saveButton]) b.disabled = busy;
  }

  private say(text: string): void {
    this.status.textContent = text;
  }

  private showError(text: string | undefined): void {
    this.alert.hidden = !text;
    this.alert.textContent = text ?? '';
  }

  private async rebuild(kind: 'configure' | 'reset' = 'configure'): Promise<void> {
    this.setBusy(true);
    this.showError(undefined);
    this.say(kind === 'reset' ? 'Resetting the weights…' : 'Building the model…');
    try {
      const info =
        kind === 'reset'
          ? await this.client.request({ kind: 'reset' })
          : await this.client.request({ kind: 'configure', config: this.config });
      this.adopt(info);
      this.say(`Ready: ${int(info.parameters)} parameters. Press Train.`);
    } catch (e) {
      this.showError((e as Error).message);
      this.say('The model could not be built.');
    } finally {
      this.setBusy(false);
    }
  }

  /** Takes a new run (built or loaded): resets the history and the views. */
  private adopt(info: RunInfo): void {
    this.info = info;
    this.config = { ...info.config };
    for (const [key, f] of Object.entries(this.fields))
      f.set(this.config[key as keyof PlaygroundConfig] as never);
    this.noiseField.hidden = info.config.dataset === 'digits';
    this.history = emptyHistory();
    this.latest = undefined;
    this.summary.textContent = info.summary;
    if (info.trainPoints) {
      this.visualTitle.textContent = 'Decision boundary';
      const toggle = checkboxField('Show test points', false, (v) => this.boundary.setShowTest(v));
      replaceChildren(this.visual, this.boundary.element, toggle.element);
      this.boundary.setPoints(info.trainPoints, info.testPoints, info.numClasses);
    } else {
      this.visualTitle.textContent = 'Draw a digit';
      replaceChildren(
        this.visual,
        h(
          'p',
          { class: 'hint' },
          'Train the model, then draw a digit (0–9) in the box or pick an example from the test set.',
        ),
        h('div', { class: 'digit-area' }, this.pad.element, this.predictions),
      );
      this.pad.clear();
      this.renderPredictions(undefined);
    }
    this.onProgress(info.initial);
  }

  private onProgress(p: Progress): void {
    const hist = this.history;
    // A report at a step already drawn (after a backend switch while paused) replaces nothing.
    const lastStep = hist.trainAccuracy[hist.trainAccuracy.length - 1]?.[0];
    if (lastStep === undefined || p.step > lastStep || p.step === 0) {
      if (p.step > 0 && p.step !== lastStep) hist.loss.push([p.step, p.loss]);
      hist.trainLoss.push([p.step, p.trainLoss]);
      hist.trainAccuracy.push([p.step, p.trainAccuracy]);
      hist.testAccuracy.push([p.step, p.testAccuracy]);
      p.gradNorms.forEach((g, i) => {
        hist.gradNorms[i] ??= [];
        if (p.step > 0) (hist.gradNorms[i] as Array<[number, number]>).push([p.step, g]);
      });
      p.deadFractions.forEach((d, i) => {
        hist.dead[i] ??= [];
        (hist.dead[i] as Array<[number, number]>).push([p.step, d]);
      });
    }
    this.latest = p;
    this.renderStats();
    if (p.grid) this.boundary.setGrid(p.grid.size, p.grid.probs, p.testAccuracy);
    this.renderCharts();
  }

  private renderCharts(): void {
    const info = this.info;
    if (!info) return;
    const h0 = this.history;
    this.lossChart.set([
      { name: 'minibatch (mean)', color: colour(1), points: h0.loss },
      { name: 'training set', color: colour(0), points: h0.trainLoss, dashed: true },
    ]);
    this.accuracyChart.set([
      { name: 'training set', color: colour(0), points: h0.trainAccuracy, dashed: true },
      { name: 'test set', color: colour(2), points: h0.testAccuracy },
    ]);
    this.gradChart.set(
      info.layerNames.map((name, i): Series => ({ name, color: colour(i), points: h0.gradNorms[i] ?? [] })),
    );
    this.deadChart.set(
      info.hiddenNames.map((name, i): Series => ({ name, color: colour(i), points: h0.dead[i] ?? [] })),
      { title: this.deadTitle() },
    );
  }

  private deadTitle(): string {
    const act = this.config.activation;
    return act === 'tanh' || act === 'sigmoid'
      ? 'Saturated units per hidden layer (all samples)'
      : 'Dead units per hidden layer (never active)';
  }

  private renderStats(): void {
    const p = this.latest;
    const item = (label: string, value: string, id: string, raw?: number) =>
      h(
        'div',
        { class: 'stat' },
        h('dt', {}, label),
        h('dd', { 'data-testid': id, 'data-value': raw }, value),
      );
    replaceChildren(
      this.stats,
      item('Step', p ? int(p.step) : '0', 'stat-step', p?.step ?? 0),
      item('Epoch', p ? int(p.epoch) : '0', 'stat-epoch', p?.epoch ?? 0),
      item('Loss', p ? num(p.trainLoss) : '–', 'stat-loss', p?.trainLoss),
      item('Train acc.', p ? percent(p.trainAccuracy) : '–', 'stat-train-accuracy', p?.trainAccuracy),
      item('Test acc.', p ? percent(p.testAccuracy) : '–', 'stat-test-accuracy', p?.testAccuracy),
      item(
        'Steps/s',
        p && p.stepsPerSecond > 0 ? int(p.stepsPerSecond) : '–',
        'stat-speed',
        p?.stepsPerSecond,
      ),
      item('Backend', p?.backend ?? '–', 'stat-backend'),
    );
  }

  private async toggle(): Promise<void> {
    await this.command(this.running ? 'pause' : 'start');
  }

  private async command(kind: 'start' | 'pause' | 'step'): Promise<void> {
    this.showError(undefined);
    // `data-settled` tells scripts (and the tests) when the worker has answered: after a pause, the
    // numbers shown are those of the model as it stands.
    this.runButton.dataset.settled = 'false';
    try {
      await this.client.request({ kind });
    } catch (e) {
      this.showError((e as Error).message);
    } finally {
      this.runButton.dataset.settled = 'true';
    }
  }

  private onRunning(running: boolean, reason?: string): void {
    this.running = running;
    this.runButton.textContent = running ? 'Pause' : 'Train';
    // The label says what the button does next; data-running is for styling and scripts.
    this.runButton.dataset.running = String(running);
    this.stepButton.disabled = running || this.busy;
    const backend = this.backends.active ?? 'the active backend';
    if (running) this.say(`Training on ${backend}…`);
    else this.say(reason ? `Paused: ${reason}.` : 'Paused.');
    if (reason?.startsWith('training stopped')) this.showError(reason);
  }

  private async switchBackend(name: string): Promise<boolean> {
    this.showError(undefined);
    try {
      const { backends } = await this.client.request({ kind: 'setBackend', name });
      this.backends.update(backends);
      const step = this.latest?.step ?? 0;
      this.say(
        this.running ? `Switched to ${name} at step ${int(step)}; training goes on.` : `Switched to ${name}.`,
      );
      return true;
    } catch (e) {
      this.showError(`Could not switch to ${name}: ${(e as Error).message}`);
      return false;
    }
  }

  private async save(): Promise<void> {
    this.showError(undefined);
    try {
      const { bytes, fileName } = await this.client.request({ kind: 'save' });
      const url = URL.createObjectURL(
        new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }),
      );
      const a = h('a', { href: url, download: fileName, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.fileMessage.textContent = `Saved ${fileName} (${int(bytes.byteLength)} bytes).`;
    } catch (e) {
      this.showError(`Could not save the model: ${(e as Error).message}`);
    }
  }

  private async load(): Promise<void> {
    const file = this.fileInput.files?.[0];
    this.fileInput.value = '';
    if (!file) return;
    this.showError(undefined);
    this.setBusy(true);
    this.say(`Loading ${file.name}…`);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const info = await this.client.request({ kind: 'load', bytes, fileName: file.name }, [bytes.buffer]);
      this.adopt(info);
      this.fileMessage.textContent = `Loaded ${file.name}: ${info.config.dataset}, step ${int(info.initial.step)}.`;
      this.say(`Loaded ${file.name}. Press Train to continue.`);
    } catch (e) {
      this.showError((e as Error).message);
      this.fileMessage.textContent = 'The current model was kept.';
      this.say('Loading failed; nothing changed.');
    } finally {
      this.setBusy(false);
    }
  }

  private async classify(pixels: Float32Array): Promise<void> {
    try {
      const { probs } = await this.client.request({ kind: 'predict', pixels });
      this.renderPredictions(probs);
    } catch (e) {
      this.showError((e as Error).message);
    }
  }

  private async example(): Promise<void> {
    try {
      const { pixels, label } = await this.client.request({
        kind: 'digitSample',
        index: this.exampleIndex++,
      });
      this.pad.showPixels(pixels);
      const { probs } = await this.client.request({ kind: 'predict', pixels });
      this.renderPredictions(probs, label);
    } catch (e) {
      this.showError((e as Error).message);
    }
  }

  private renderPredictions(probs: number[] | undefined, label?: number): void {
    const best = probs ? probs.indexOf(Math.max(...probs)) : -1;
    replaceChildren(
      this.predictions,
      ...Array.from({ length: 10 }, (_, d) => {
        const p = probs?.[d] ?? 0;
        return h(
          'li',
          { class: d === best ? 'best' : undefined, 'data-digit': d },
          h('span', { class: 'digit' }, String(d)),
          h('span', { class: 'bar' }, h('span', { style: { width: `${(100 * p).toFixed(1)}%` } })),
          h('span', { class: 'pct' }, probs ? percent(p, 0) : ''),
        );
      }),
    );
    this.predictions.dataset.prediction = String(best);
    if (label !== undefined)
      this.predictions.setAttribute('aria-label', `Predicted ${best}; the example is a ${label}`);
    else this.predictions.setAttribute('aria-label', probs ? `Predicted ${best}` : 'No prediction yet');
  }
}
