/**
 * The figures of a lab result as files: each chart and image drawn as SVG by the lab's own renderer
 * (`chartToSvg`, `imageToSvg`: the drawings of docs/lab.md) and rasterised to PNG by
 * resvg, as `myelin train` does with its curves. File names follow `figureFileNames`, so the Markdown
 * report finds them.
 */
import { readdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chartToSvg, figureFileNames, imageToSvg, type LabResult } from '@myelin/lab';
import { svgToPng } from '../plot/png.js';

/** One figure of a result, written as SVG and PNG. */
export interface WrittenFigure {
  title: string;
  kind: 'chart' | 'image';
  /** Absolute paths. */
  svg: string;
  png: string;
}

/** A figure drawn but not written: its file name without extension and its SVG text. */
export interface DrawnFigure {
  title: string;
  kind: 'chart' | 'image';
  stem: string;
  svg: string;
}

/**
 * Draws every chart, then every image, of `result` as SVG (the order of `figureFileNames`).
 *
 * @example
 * ```ts
 * drawFigures(result).map((f) => f.stem); // ['zero-init-chart-1', 'zero-init-chart-2', 'zero-init-image-1', ...]
 * ```
 */
export function drawFigures(result: LabResult): DrawnFigure[] {
  const stems = figureFileNames(result, 'svg').map((name) => name.replace(/\.svg$/, ''));
  const drawn: Omit<DrawnFigure, 'stem'>[] = [
    ...result.charts.map((chart) => ({ title: chart.title, kind: 'chart' as const, svg: chartToSvg(chart) })),
    ...(result.images ?? []).map((image) => ({
      title: image.title,
      kind: 'image' as const,
      svg: imageToSvg(image),
    })),
  ];
  return drawn.map((figure, i) => ({ ...figure, stem: stems[i] as string }));
}

/**
 * Writes `<stem>.svg` and `<stem>.png` for every figure of `result` into `dir` (which must exist) and
 * returns their paths, in `figureFileNames` order.
 *
 * @example
 * ```ts
 * const figures = await writeFigures(result, 'runs/lab-2024-05-01T10-00-00');
 * ```
 */
export async function writeFigures(result: LabResult, dir: string): Promise<WrittenFigure[]> {
  const written: WrittenFigure[] = [];
  for (const figure of drawFigures(result)) {
    const svg = join(dir, `${figure.stem}.svg`);
    const png = join(dir, `${figure.stem}.png`);
    await writeFile(svg, figure.svg);
    await writeFile(png, svgToPng(figure.svg));
    written.push({ title: figure.title, kind: figure.kind, svg, png });
  }
  return written;
}

/**
 * Removes figure files of the named experiments that this run did not write (an experiment that now
 * draws fewer charts than before would otherwise leave its old ones behind in a refreshed docs/lab/).
 * Only files named like the lab's figures (`<experiment>-chart-<i>.svg|png`, `-image-`) are touched.
 */
export async function removeStaleFigures(
  dir: string,
  experimentNames: readonly string[],
  keep: ReadonlySet<string>,
): Promise<string[]> {
  const names = new Set(experimentNames);
  const removed: string[] = [];
  for (const file of await readdir(dir)) {
    const match = /^(.+)-(?:chart|image)-\d+\.(?:svg|png)$/.exec(file);
    if (!match || !names.has(match[1] as string)) continue;
    const path = join(dir, file);
    if (keep.has(path)) continue;
    await unlink(path);
    removed.push(path);
  }
  return removed;
}
