/**
 * A small SVG renderer for the lab's charts and images: plain strings, no dependencies, the same in Node
 * and in browsers. Renderers with more to offer (the CLI's Vega, the web app's canvas) may draw the same
 * `ChartSpec`s their own way; this one makes the report readable anywhere.
 */
import type { ChartSpec, ImageSpec } from './types.js';
import { fmt } from './util/stats.js';

const PALETTE = [
  '#4c78a8',
  '#f58518',
  '#54a24b',
  '#e45756',
  '#72b7b2',
  '#b279a2',
  '#eeca3b',
  '#9d755d',
  '#ff9da6',
  '#bab0ac',
];
const FONT = 'font-family="DejaVu Sans, Verdana, sans-serif"';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Round tick values covering [lo, hi], about `count` of them. */
function ticks(lo: number, hi: number, count = 5, integer = false): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  let step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  // Whole-number axes (epochs, layers) get whole-number ticks.
  if (integer) step = Math.max(1, Math.round(step));
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** Options of `chartToSvg`. */
export interface SvgOptions {
  width?: number;
  height?: number;
}

/**
 * A chart as an SVG document: axes with round ticks, one colour per series, a legend on the right.
 * Non-finite values are left out (a line breaks there).
 *
 * @example
 * ```ts
 * writeFileSync('chart.svg', chartToSvg(result.charts[0]));
 * ```
 */
export function chartToSvg(chart: ChartSpec, options: SvgOptions = {}): string {
  const width = options.width ?? 720;
  const height = options.height ?? 380;
  const legendWidth = 190;
  // Bar labels that do not fit under their bar are drawn slanted, which needs a deeper bottom margin.
  const barXs =
    chart.kind === 'bar'
      ? [
          ...new Set([
            ...(chart.xTicks ?? []).map((t) => t.x),
            ...chart.series.flatMap((s) => s.points.map(([x]) => x)),
          ]),
        ]
          .filter(Number.isFinite)
          .sort((a, b) => a - b)
      : [];
  const barLabel = new Map((chart.xTicks ?? []).map((t) => [t.x, t.label]));
  const slotGuess = (width - 64 - legendWidth - 16) / Math.max(1, barXs.length);
  const slant = barXs.some((x) => (barLabel.get(x) ?? fmt(x)).length * 6 > slotGuess - 4);
  const m = { left: 64, right: legendWidth + 16, top: 40, bottom: slant ? 110 : 64 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const finite = chart.series.flatMap((s) =>
    s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)),
  );
  const ys = finite.map(([, y]) => y);
  let yLo = ys.length ? Math.min(...ys) : 0;
  let yHi = ys.length ? Math.max(...ys) : 1;
  if (chart.kind === 'bar') {
    yLo = Math.min(0, yLo);
    yHi = Math.max(0, yHi);
  }
  if (yHi === yLo) {
    yHi += Math.abs(yHi) * 0.1 || 1;
    yLo -= Math.abs(yLo) * 0.1 || 0;
  }
  const pad = (yHi - yLo) * 0.05;
  if (chart.kind === 'line' || yLo < 0) yLo -= pad;
  yHi += pad;
  const yTicks = ticks(yLo, yHi);
  const Y = (v: number) => m.top + ph - ((v - yLo) / (yHi - yLo)) * ph;
  const parts: string[] = [];
  parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`);
  parts.push(
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" ${FONT}>${esc(chart.title)}</text>`,
  );
  for (const t of yTicks) {
    parts.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${Y(t)}" y2="${Y(t)}" stroke="#e6e6e6"/>`);
    parts.push(
      `<text x="${m.left - 6}" y="${Y(t) + 4}" text-anchor="end" font-size="11" ${FONT}>${esc(fmt(t))}</text>`,
    );
  }
  const tickLabel = barLabel;
  if (chart.kind === 'bar') {
    const xs = [...new Set([...(chart.xTicks ?? []).map((t) => t.x), ...finite.map(([x]) => x)])].sort(
      (a, b) => a - b,
    );
    const slot = pw / Math.max(1, xs.length);
    const bw = (slot * 0.8) / Math.max(1, chart.series.length);
    const zero = Y(Math.max(yLo, Math.min(yHi, 0)));
    xs.forEach((x, i) => {
      const label = tickLabel.get(x) ?? fmt(x);
      const cx = m.left + slot * (i + 0.5);
      const y = m.top + ph + 14;
      if (slant) {
        const text = label.length > 26 ? `${label.slice(0, 25)}…` : label;
        parts.push(
          `<text transform="translate(${cx} ${y}) rotate(-35)" text-anchor="end" font-size="10" ${FONT}>${esc(text)}</text>`,
        );
      } else {
        parts.push(
          `<text x="${cx}" y="${y + 2}" text-anchor="middle" font-size="10" ${FONT}>${esc(label)}</text>`,
        );
      }
      chart.series.forEach((s, si) => {
        const p = s.points.find(([px]) => px === x);
        if (!p || !Number.isFinite(p[1])) return;
        const bx = m.left + slot * i + slot * 0.1 + si * bw;
        const top = Math.min(Y(p[1]), zero);
        parts.push(
          `<rect x="${bx.toFixed(2)}" y="${top.toFixed(2)}" width="${bw.toFixed(2)}" height="${Math.abs(zero - Y(p[1])).toFixed(2)}" fill="${PALETTE[si % PALETTE.length]}"/>`,
        );
      });
    });
  } else {
    const xsAll = finite.map(([x]) => x);
    let xLo = xsAll.length ? Math.min(...xsAll) : 0;
    let xHi = xsAll.length ? Math.max(...xsAll) : 1;
    if (xHi === xLo) {
      xLo -= 1;
      xHi += 1;
    }
    const X = (v: number) => m.left + ((v - xLo) / (xHi - xLo)) * pw;
    for (const t of ticks(xLo, xHi, 8, xsAll.every(Number.isInteger))) {
      parts.push(`<line x1="${X(t)}" x2="${X(t)}" y1="${m.top + ph}" y2="${m.top + ph + 4}" stroke="#333"/>`);
      parts.push(
        `<text x="${X(t)}" y="${m.top + ph + 16}" text-anchor="middle" font-size="11" ${FONT}>${esc(tickLabel.get(t) ?? fmt(t))}</text>`,
      );
    }
    chart.series.forEach((s, si) => {
      const colour = PALETTE[si % PALETTE.length];
      const runs: string[][] = [[]];
      for (const [x, y] of s.points) {
        if (Number.isFinite(x) && Number.isFinite(y))
          (runs[runs.length - 1] as string[]).push(`${X(x).toFixed(2)},${Y(y).toFixed(2)}`);
        else if ((runs[runs.length - 1] as string[]).length) runs.push([]);
      }
      for (const r of runs) {
        if (r.length > 1)
          parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${r.join(' ')}"/>`);
        if (r.length <= 12)
          for (const pt of r)
            parts.push(
              `<circle cx="${pt.split(',')[0]}" cy="${pt.split(',')[1]}" r="2.5" fill="${colour}"/>`,
            );
      }
    });
  }
  parts.push(`<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${m.top + ph}" stroke="#333"/>`);
  parts.push(
    `<line x1="${m.left}" x2="${m.left + pw}" y1="${m.top + ph}" y2="${m.top + ph}" stroke="#333"/>`,
  );
  parts.push(
    `<text x="${m.left + pw / 2}" y="${height - 14}" text-anchor="middle" font-size="12" ${FONT}>${esc(chart.xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="12" ${FONT}>${esc(chart.yLabel)}</text>`,
  );
  chart.series.forEach((s, si) => {
    const y = m.top + 8 + si * 18;
    const x = width - legendWidth;
    parts.push(`<rect x="${x}" y="${y - 8}" width="12" height="12" fill="${PALETTE[si % PALETTE.length]}"/>`);
    const name = s.name.length > 26 ? `${s.name.slice(0, 25)}…` : s.name;
    parts.push(`<text x="${x + 18}" y="${y + 2}" font-size="11" ${FONT}>${esc(name)}</text>`);
  });
  // role and <title>: screen readers announce the chart by its title.
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">\n<title>${esc(chart.title)}</title>\n${parts.join('\n')}\n</svg>\n`;
}

/**
 * A grey-scale image as an SVG document: one square per value, black at the low end of the range and
 * white at the high end, `cell` pixels each, with its title above.
 *
 * @example
 * ```ts
 * writeFileSync('map.svg', imageToSvg(result.images[0], { cell: 12 }));
 * ```
 */
export function imageToSvg(image: ImageSpec, options: { cell?: number } = {}): string {
  const cell = options.cell ?? Math.max(4, Math.floor(192 / Math.max(image.width, image.height)));
  const finite = image.values.filter(Number.isFinite);
  const [lo, hi] = image.range ?? [Math.min(...finite), Math.max(...finite)];
  const span = hi > lo ? hi - lo : 1;
  const titleHeight = 22;
  const w = Math.max(image.width * cell, 200, Math.ceil(image.title.length * 6.5) + 12);
  const h = image.height * cell + titleHeight;
  const x0 = (w - image.width * cell) / 2;
  const parts: string[] = [`<rect x="0" y="0" width="${w}" height="${h}" fill="white"/>`];
  parts.push(
    `<text x="${w / 2}" y="15" text-anchor="middle" font-size="11" ${FONT}>${esc(image.title)}</text>`,
  );
  const grey = (v: number) =>
    Number.isFinite(v) ? Math.round(255 * Math.min(1, Math.max(0, (v - lo) / span))) : 0;
  for (let r = 0; r < image.height; r++) {
    // One rectangle per run of equal greys along the row keeps large images small.
    for (let c = 0; c < image.width; ) {
      const g = grey(image.values[r * image.width + c] as number);
      let end = c + 1;
      while (end < image.width && grey(image.values[r * image.width + end] as number) === g) end++;
      const hex = g.toString(16).padStart(2, '0');
      parts.push(
        `<rect x="${x0 + c * cell}" y="${titleHeight + r * cell}" width="${(end - c) * cell}" height="${cell}" fill="#${hex}${hex}${hex}"/>`,
      );
      c = end;
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img">\n<title>${esc(image.title)}</title>\n${parts.join('\n')}\n</svg>\n`;
}
