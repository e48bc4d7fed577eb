/**
 * Line and bar charts on a canvas: axes with round ticks, a legend, optional log-scale y, redrawn on
 * resize at the screen's pixel density. Small on purpose: the page needs curves, not a chart library.
 */
import { h } from './dom.js';
import { num } from './format.js';

export interface Series {
  name: string;
  color: string;
  points: Array<[number, number]>;
  dashed?: boolean;
}

export interface ChartOptions {
  /** Visible title above the plot; also the start of the canvas's accessible description. */
  title: string;
  xLabel?: string;
  yLabel?: string;
  kind?: 'line' | 'bar';
  /** Plot log10(y) (values ≤ 0 are dropped); the ticks show y itself. */
  logY?: boolean;
  /** Fixed y range (for accuracies and fractions: [0, 1]). */
  yMin?: number;
  yMax?: number;
  /** Names of x positions (bar charts of categories). */
  xTicks?: Array<{ x: number; label: string }>;
  /** x is a count (steps, epochs): only whole-number ticks. */
  integerX?: boolean;
  /** Formats y tick labels. */
  formatY?: (y: number) => string;
}

/** Round tick values covering [lo, hi]: steps of 1, 2 or 5 × 10^k. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

/** Ticks of a log10 axis: whole decades when there are 3 or more, else also 2× and 5×. */
export function logTicks(lo: number, hi: number): number[] {
  const all: number[] = [];
  for (let d = Math.floor(lo); d <= Math.ceil(hi); d++) {
    for (const m of [1, 2, 5]) {
      const t = d + Math.log10(m);
      if (t >= lo - 1e-9 && t <= hi + 1e-9) all.push(t);
    }
  }
  const decades = all.filter((t) => Number.isInteger(t));
  return decades.length >= 3 ? decades : all;
}

const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

export class Chart {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly legend: HTMLElement;
  private readonly caption: HTMLElement;
  private series: Series[] = [];
  private frame = 0;

  constructor(private options: ChartOptions) {
    this.canvas = h('canvas', { role: 'img', 'aria-label': options.title });
    this.legend = h('ul', { class: 'legend', 'aria-hidden': 'true' });
    this.caption = h('figcaption', {}, options.title);
    this.element = h('figure', { class: 'chart' }, this.caption, this.canvas, this.legend);
    new ResizeObserver(() => this.schedule()).observe(this.canvas);
  }

  /** Replaces the data (and optionally options) and redraws on the next frame. */
  set(series: Series[], options?: Partial<ChartOptions>): void {
    this.series = series;
    if (options) this.options = { ...this.options, ...options };
    if (this.caption.textContent !== this.options.title) this.caption.textContent = this.options.title;
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Draws now. */
  draw(): void {
    const { canvas, options } = this;
    const dpr = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (width === 0 || height === 0) return;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = FONT;

    const ty = (y: number) => (options.logY ? Math.log10(y) : y);
    const usable = this.series.map((s) => ({
      ...s,
      points: s.points.filter(
        ([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!options.logY || y > 0),
      ),
    }));
    const all = usable.flatMap((s) => s.points);
    this.renderLegend();
    this.describe(usable);

    if (all.length === 0) {
      ctx.fillStyle = '#8a939e';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText('no data yet', width / 2, height / 2);
      return;
    }
    const bar = options.kind === 'bar';
    let x0 = Math.min(...all.map((p) => p[0]));
    let x1 = Math.max(...all.map((p) => p[0]));
    let y0 = options.yMin ?? Math.min(...all.map((p) => ty(p[1])));
    let y1 = options.yMax ?? Math.max(...all.map((p) => ty(p[1])));
    if (bar) {
      x0 -= 0.5;
      x1 += 0.5;
      if (options.yMin === undefined && !options.logY) y0 = Math.min(0, y0);
    }
    if (!Number.isFinite(x0) || !Number.isFinite(x1)) [x0, x1] = [0, 1];
    if (!Number.isFinite(y0) || !Number.isFinite(y1)) [y0, y1] = [0, 1];
    if (x1 === x0) {
      // One point: a unit either side, not below 0 for counts (steps).
      x0 = x0 >= 0 ? Math.max(0, x0 - 1) : x0 - 1;
      x1 += 1;
    }
    if (y1 === y0) {
      y0 -= 0.5;
      y1 += 0.5;
    }
    if (options.yMax === undefined) y1 += (y1 - y0) * 0.05;

    const yTicks = options.logY ? logTicks(y0, y1) : niceTicks(y0, y1, height < 160 ? 3 : 5);
    const fmtY = options.formatY ?? ((v: number) => num(v));
    const yLabels = yTicks.map((t) => (options.logY ? fmtY(Number((10 ** t).toPrecision(3))) : fmtY(t)));
    const left = Math.max(...yLabels.map((l) => ctx.measureText(l).width), 10) + (options.yLabel ? 26 : 10);
    const bottom = options.xLabel ? 36 : 22;
    const plot = { left, top: 8, right: width - 10, bottom: height - bottom };
    const px = (x: number) => plot.left + ((x - x0) / (x1 - x0)) * (plot.right - plot.left);
    const py = (y: number) => plot.bottom - ((y - y0) / (y1 - y0)) * (plot.bottom - plot.top);

    // Grid and y ticks.
    ctx.strokeStyle = '#e3e6ea';
    ctx.fillStyle = '#5b6470';
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    yTicks.forEach((t, i) => {
      const y = Math.round(py(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(plot.left, y);
      ctx.lineTo(plot.right, y);
      ctx.stroke();
      ctx.fillText(yLabels[i] as string, plot.left - 6, y);
    });
    // X ticks.
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const xTicks =
      options.xTicks?.map((t) => ({ x: t.x, label: t.label })) ??
      niceTicks(x0, x1, Math.max(2, Math.floor((plot.right - plot.left) / 80)))
        .filter((x) => !options.integerX || Number.isInteger(x))
        .map((x) => ({ x, label: num(x) }));
    for (const t of xTicks) {
      if (t.x < x0 || t.x > x1) continue;
      ctx.fillText(t.label, px(t.x), plot.bottom + 5);
    }
    // Axes.
    ctx.strokeStyle = '#9aa3ad';
    ctx.beginPath();
    ctx.moveTo(plot.left + 0.5, plot.top);
    ctx.lineTo(plot.left + 0.5, plot.bottom + 0.5);
    ctx.lineTo(plot.right, plot.bottom + 0.5);
    ctx.stroke();
    // Axis labels.
    ctx.fillStyle = '#3d4650';
    if (options.xLabel) {
      ctx.textBaseline = 'bottom';
      ctx.fillText(options.xLabel, (plot.left + plot.right) / 2, height - 2);
    }
    if (options.yLabel) {
      ctx.save();
      ctx.translate(11, (plot.top + plot.bottom) / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.textBaseline = 'middle';
      ctx.fillText(options.yLabel, 0, 0);
      ctx.restore();
    }

    ctx.save();
    ctx.beginPath();
    ctx.rect(plot.left, plot.top - 2, plot.right - plot.left, plot.bottom - plot.top + 4);
    ctx.clip();
    if (bar) {
      const groups = Math.max(1, usable.length);
      const slot = ((plot.right - plot.left) / (x1 - x0)) * 0.8;
      const w = slot / groups;
      const base = py(Math.max(y0, Math.min(y1, 0)));
      usable.forEach((s, si) => {
        ctx.fillStyle = s.color;
        for (const [x, y] of s.points) {
          const left0 = px(x) - slot / 2 + si * w;
          const top = py(ty(y));
          ctx.fillRect(left0 + 1, Math.min(top, base), Math.max(1, w - 2), Math.abs(base - top));
        }
      });
    } else {
      for (const s of usable) {
        const pts = decimate(s.points, Math.max(200, Math.round(plot.right - plot.left) * 2));
        ctx.strokeStyle = s.color;
        ctx.lineWidth = 2;
        ctx.setLineDash(s.dashed ? [5, 4] : []);
        ctx.beginPath();
        for (const [i, [x, y]] of pts.entries()) {
          if (i === 0) ctx.moveTo(px(x), py(ty(y)));
          else ctx.lineTo(px(x), py(ty(y)));
        }
        ctx.stroke();
        if (pts.length === 1) {
          const [x, y] = pts[0] as [number, number];
          ctx.fillStyle = s.color;
          ctx.beginPath();
          ctx.arc(px(x), py(ty(y)), 3, 0, 2 * Math.PI);
          ctx.fill();
        }
      }
      ctx.setLineDash([]);
    }
    ctx.restore();
  }

  private renderLegend(): void {
    const key = this.series.map((s) => `${s.name}|${s.color}|${s.dashed ? 1 : 0}`).join(',');
    if (this.legend.dataset.key === key) return;
    this.legend.dataset.key = key;
    this.legend.replaceChildren(
      ...this.series.map((s) =>
        h(
          'li',
          {},
          h('span', {
            class: `swatch${s.dashed ? ' dashed' : ''}`,
            style: { borderColor: s.color, background: s.dashed ? 'transparent' : s.color },
          }),
          s.name,
        ),
      ),
    );
  }

  /** The canvas's text alternative: the title and each series' latest value. */
  private describe(series: Series[]): void {
    const latest = series
      .filter((s) => s.points.length > 0)
      .map((s) => `${s.name}: ${num((s.points[s.points.length - 1] as [number, number])[1])}`);
    this.canvas.setAttribute(
      'aria-label',
      latest.length ? `${this.options.title}. ${latest.join('; ')}` : `${this.options.title}: no data yet`,
    );
  }
}

/** At most about `max` points, keeping the first and last. */
function decimate(points: Array<[number, number]>, max: number): Array<[number, number]> {
  if (points.length <= max) return points;
  const stride = points.length / max;
  const out: Array<[number, number]> = [];
  for (let i = 0; i < max; i++) out.push(points[Math.floor(i * stride)] as [number, number]);
  out.push(points[points.length - 1] as [number, number]);
  return out;
}
