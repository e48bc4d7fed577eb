/**
 * The lab: each experiment of @myelin/lab as a page — its claim, a Run button, then its charts, table
 * and reading. Experiments run in the training worker, on the backend chosen in the playground.
 */
import type { ChartSpec, ImageSpec, LabResult, LabTable } from '@myelin/lab';
import type { EngineClient } from '../client.js';
import { Chart } from './chart.js';
import { h, replaceChildren } from './dom.js';
import { checkboxField, numberField } from './fields.js';
import { colour, num } from './format.js';

interface ExperimentEntry {
  name: string;
  title: string;
  claim: string;
}

export class LabPage {
  readonly element: HTMLElement;
  private readonly nav = h('nav', { class: 'lab-list', 'aria-label': 'Experiments' });
  private readonly detail = h('section', { class: 'lab-detail', 'aria-live': 'polite' });
  private experiments: ExperimentEntry[] = [];
  private results = new Map<string, LabResult>();
  private current?: string;
  private runningName?: string;

  constructor(
    private readonly client: EngineClient,
    private readonly beforeRun: () => Promise<void>,
  ) {
    this.element = h('div', { class: 'lab' }, this.nav, this.detail);
  }

  async load(): Promise<void> {
    this.experiments = await this.client.request({ kind: 'labList' });
    this.renderNav();
  }

  /** Shows one experiment (or the first). */
  show(name: string | undefined): void {
    const entry = this.experiments.find((e) => e.name === name) ?? this.experiments[0];
    if (!entry) {
      replaceChildren(this.detail, h('p', {}, 'The lab has no experiments.'));
      return;
    }
    this.current = entry.name;
    this.renderNav();
    this.renderDetail(entry);
  }

  private renderNav(): void {
    // On a phone the list would fill the first screen: a drop-down replaces it there (styles.css).
    const picker = h(
      'select',
      { id: 'lab-picker' },
      ...this.experiments.map((e) =>
        h('option', { value: e.name, selected: e.name === this.current }, e.title),
      ),
    );
    picker.addEventListener('change', () => {
      location.hash = `#/lab/${picker.value}`;
    });
    replaceChildren(
      this.nav,
      h('div', { class: 'field lab-picker' }, h('label', { for: 'lab-picker' }, 'Experiment'), picker),
      h('h2', {}, 'Experiments'),
      h(
        'ul',
        {},
        ...this.experiments.map((e) =>
          h(
            'li',
            {},
            h(
              'a',
              { href: `#/lab/${e.name}`, 'aria-current': e.name === this.current ? 'page' : undefined },
              e.title,
            ),
          ),
        ),
      ),
    );
  }

  private renderDetail(entry: ExperimentEntry): void {
    const seed = numberField('Seed', 0, { min: 0, max: 1_000_000 }, () => undefined);
    const quick = checkboxField('Quick run (less data, fewer epochs)', true, () => undefined);
    const progress = h('progress', { max: 1, value: 0, 'aria-label': 'Experiment progress', hidden: true });
    const message = h('p', { class: 'hint', role: 'status', 'data-testid': 'lab-status' });
    const output = h('div', { class: 'lab-result', 'data-testid': 'lab-result' });
    const run = h('button', { type: 'button', class: 'primary', 'data-testid': 'lab-run' }, 'Run experiment');
    run.disabled = this.runningName !== undefined;
    run.addEventListener('click', async () => {
      run.disabled = true;
      progress.hidden = false;
      progress.value = 0;
      message.textContent = 'Starting…';
      this.runningName = entry.name;
      const off = this.client.on('labProgress', (p) => {
        progress.max = Math.max(1, p.total);
        progress.value = p.done;
        message.textContent = `${p.message} (${p.done}/${p.total})`;
      });
      try {
        await this.beforeRun();
        const result = await this.client.request({
          kind: 'labRun',
          name: entry.name,
          seed: Number(seed.control.value) || 0,
          quick: quick.control.checked,
        });
        this.results.set(entry.name, result);
        message.textContent = `Done in ${result.run.seconds.toFixed(1)} s on ${result.run.backend}.`;
        if (this.current === entry.name) replaceChildren(output, ...renderResult(result));
      } catch (e) {
        message.textContent = '';
        replaceChildren(
          output,
          h('div', { class: 'alert', role: 'alert' }, `The experiment failed: ${(e as Error).message}`),
        );
      } finally {
        off();
        this.runningName = undefined;
        run.disabled = false;
        progress.hidden = true;
      }
    });
    const previous = this.results.get(entry.name);
    if (previous) replaceChildren(output, ...renderResult(previous));
    replaceChildren(
      this.detail,
      h('h2', {}, entry.title),
      h('p', { class: 'claim' }, entry.claim),
      h(
        'form',
        { class: 'lab-options', onsubmit: (e: Event) => e.preventDefault() },
        seed.element,
        quick.element,
        run,
      ),
      progress,
      message,
      output,
    );
  }
}

function renderResult(r: LabResult): HTMLElement[] {
  const out: HTMLElement[] = [];
  out.push(h('p', { class: 'setup' }, h('strong', {}, 'Setup. '), r.setup));
  const charts = h('div', { class: 'lab-charts' });
  for (const spec of r.charts) charts.append(renderChart(spec));
  out.push(charts);
  if (r.images?.length) out.push(h('div', { class: 'lab-images' }, ...r.images.map(renderImage)));
  out.push(renderTable(r.table));
  out.push(
    h(
      'div',
      { class: 'reading', 'data-testid': 'lab-reading' },
      h('h3', {}, 'Reading'),
      ...r.reading.split(/\n{2,}/).map((p) => h('p', {}, p)),
    ),
  );
  out.push(
    h(
      'p',
      { class: 'hint' },
      `Seed ${r.run.seed}${r.run.quick ? ', quick run' : ''}, backend ${r.run.backend}, ${r.run.seconds.toFixed(1)} s.`,
    ),
  );
  return out;
}

function renderChart(spec: ChartSpec): HTMLElement {
  const chart = new Chart({
    title: spec.title,
    xLabel: spec.xLabel,
    yLabel: spec.yLabel,
    kind: spec.kind,
    ...(spec.xTicks ? { xTicks: spec.xTicks } : {}),
  });
  chart.set(spec.series.map((s, i) => ({ name: s.name, color: colour(i), points: s.points })));
  return chart.element;
}

function renderImage(img: ImageSpec): HTMLElement {
  const canvas = h('canvas', {
    width: img.width,
    height: img.height,
    class: 'lab-image',
    role: 'img',
    'aria-label': img.title,
  });
  const ctx = canvas.getContext('2d');
  if (ctx) {
    let [lo, hi] = img.range ?? [Math.min(...img.values), Math.max(...img.values)];
    if (hi === lo) hi = lo + 1;
    const data = ctx.createImageData(img.width, img.height);
    img.values.forEach((v, i) => {
      const g = Math.round((255 * (v - lo)) / (hi - lo));
      data.data.set([g, g, g, 255], i * 4);
    });
    ctx.putImageData(data, 0, 0);
  }
  return h('figure', { class: 'lab-figure' }, canvas, h('figcaption', {}, img.title));
}

function renderTable(t: LabTable): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Results table' },
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...t.columns.map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        {},
        ...t.rows.map((row) =>
          h(
            'tr',
            {},
            ...row.map((cell) =>
              h(
                'td',
                { class: typeof cell === 'number' ? 'num' : undefined },
                typeof cell === 'number' ? num(cell) : cell,
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
