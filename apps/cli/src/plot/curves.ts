/**
 * Loss and accuracy curves of a training run, as a Vega-Lite chart rendered in Node: Vega draws the SVG
 * (its SVG renderer needs no canvas) and resvg turns it into a PNG. The font is DejaVu Sans from the
 * `dejavu-fonts-ttf` package, so the PNG looks the same on a machine with no system fonts.
 */
import { writeFile } from 'node:fs/promises';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import { FONT, svgToPng } from './png.js';

/** One epoch of a run's history. */
export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  seconds: number;
}

interface Point {
  epoch: number;
  value: number;
  split: 'train' | 'validation';
}

/** The Vega-Lite spec of the two charts, side by side. */
export function curvesSpec(history: readonly EpochRecord[], title: string): vegaLite.TopLevelSpec {
  const loss: Point[] = [];
  const accuracy: Point[] = [];
  for (const r of history) {
    if (Number.isFinite(r.trainLoss)) loss.push({ epoch: r.epoch, value: r.trainLoss, split: 'train' });
    accuracy.push({ epoch: r.epoch, value: r.trainAccuracy, split: 'train' });
    if (r.valLoss !== undefined && Number.isFinite(r.valLoss)) {
      loss.push({ epoch: r.epoch, value: r.valLoss, split: 'validation' });
    }
    if (r.valAccuracy !== undefined)
      accuracy.push({ epoch: r.epoch, value: r.valAccuracy, split: 'validation' });
  }
  const panel = (name: string, values: Point[], yFormat: string, zero: boolean) => ({
    title: name,
    width: 360,
    height: 240,
    data: { values },
    mark: { type: 'line' as const, point: history.length <= 40 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative' as const, title: 'epoch', axis: { tickMinStep: 1 } },
      y: {
        field: 'value',
        type: 'quantitative' as const,
        title: name,
        axis: { format: yFormat },
        scale: { zero },
      },
      color: {
        field: 'split',
        type: 'nominal' as const,
        title: null,
        scale: { domain: ['train', 'validation'], range: ['#4c78a8', '#f58518'] },
      },
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, fontSize: 14 },
    background: 'white',
    padding: 12,
    config: { font: FONT, legend: { orient: 'bottom' } },
    hconcat: [panel('loss', loss, '.3~f', false), panel('accuracy', accuracy, '.0%', false)],
  } as vegaLite.TopLevelSpec;
}

/** Renders a Vega-Lite spec to SVG text. */
export async function renderSvg(spec: vegaLite.TopLevelSpec): Promise<string> {
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Writes `<base>.svg` and `<base>.png` with the run's curves and returns their paths.
 *
 * @example
 * ```ts
 * const files = await writeCurves(history, 'runs/2024-05-01T10-00-00/curves', 'mlp on digits');
 * ```
 */
export async function writeCurves(
  history: readonly EpochRecord[],
  basePath: string,
  title: string,
): Promise<{ svg: string; png: string }> {
  const svg = await renderSvg(curvesSpec(history, title));
  const files = { svg: `${basePath}.svg`, png: `${basePath}.png` };
  await writeFile(files.svg, svg);
  await writeFile(files.png, svgToPng(svg));
  return files;
}
