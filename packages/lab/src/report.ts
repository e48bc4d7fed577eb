/**
 * The lab report in Markdown: a summary of the runs, then for each experiment its claim, setup, table,
 * figures, reading and metrics. Figures are referenced by path; the caller renders and writes them
 * (`figureFileNames` proposes names, `chartToSvg`/`imageToSvg` can draw them).
 */
import type { LabResult, LabTable } from './types.js';
import { fmt } from './util/stats.js';

/** Options of `renderMarkdownReport`. */
export interface ReportOptions {
  /** The report's title (default "Myelin lab report"). */
  title?: string;
  /** A line under the title (how and when it was made). */
  preamble?: string;
}

/**
 * File names for an experiment's figures, in the order `renderMarkdownReport` expects their paths: its
 * charts, then its images.
 *
 * @example
 * ```ts
 * figureFileNames(result, 'svg'); // ['zero-init-chart-1.svg', 'zero-init-chart-2.svg', 'zero-init-image-1.svg', ...]
 * ```
 */
export function figureFileNames(result: LabResult, extension = 'svg'): string[] {
  return [
    ...result.charts.map((_, i) => `${result.name}-chart-${i + 1}.${extension}`),
    ...(result.images ?? []).map((_, i) => `${result.name}-image-${i + 1}.${extension}`),
  ];
}

function cell(v: string | number): string {
  const s = typeof v === 'number' ? fmt(v) : v;
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A Markdown table. */
export function markdownTable(table: LabTable): string {
  const head = `| ${table.columns.map(cell).join(' | ')} |`;
  const rule = `| ${table.columns.map(() => '---').join(' | ')} |`;
  const body = table.rows.map((r) => `| ${r.map(cell).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

function alt(text: string): string {
  return text.replace(/[[\]]/g, '');
}

/**
 * The report of `results` as Markdown. `imagePaths[name]` lists the paths of experiment `name`'s figures
 * (its charts, then its images, as `figureFileNames` orders them); figures without a path are left out.
 *
 * @example
 * ```ts
 * const md = renderMarkdownReport(results, Object.fromEntries(results.map((r) => [r.name, figureFileNames(r).map((f) => `lab/${f}`)])));
 * ```
 */
export function renderMarkdownReport(
  results: readonly LabResult[],
  imagePaths: Readonly<Record<string, readonly string[]>> = {},
  options: ReportOptions = {},
): string {
  const out: string[] = [`# ${options.title ?? 'Myelin lab report'}`, ''];
  if (options.preamble) out.push(options.preamble, '');
  const total = results.reduce((s, r) => s + r.run.seconds, 0);
  const backends = [...new Set(results.map((r) => r.run.backend))].join(', ');
  out.push(
    `${results.length} experiment${results.length === 1 ? '' : 's'} on the ${backends} backend, ` +
      `${results.some((r) => r.run.quick) ? 'some in quick mode, ' : ''}${total.toFixed(1)} s in all. ` +
      'Every number below comes from the run it describes; rerun one with `myelin lab <name> --seed <seed>`.',
    '',
    markdownTable({
      columns: ['#', 'experiment', 'name', 'seed', 'seconds'],
      rows: results.map((r, i) => [
        String(i + 1),
        `[${r.title}](#${anchor(i + 1, r)})`,
        `\`${r.name}\``,
        String(r.run.seed),
        r.run.seconds.toFixed(1),
      ]),
    }),
    '',
  );
  results.forEach((r, i) => {
    const paths = imagePaths[r.name] ?? [];
    out.push(`## ${i + 1}. ${r.title}`, '');
    out.push(
      `\`${r.name}\` — seed ${r.run.seed}, ${r.run.backend} backend${r.run.quick ? ', quick mode' : ''}, ${r.run.seconds.toFixed(1)} s.`,
      '',
    );
    out.push(`**Claim.** ${r.claim}`, '');
    out.push(`**Setup.** ${r.setup}`, '');
    out.push(markdownTable(r.table), '');
    const figures = [...r.charts.map((c) => c.title), ...(r.images ?? []).map((im) => im.title)];
    figures.forEach((title, k) => {
      const path = paths[k];
      if (path) out.push(`![${alt(title)}](${path})`, '');
    });
    out.push(`**Reading.** ${r.reading}`, '');
    out.push(
      '<details><summary>Metrics</summary>',
      '',
      markdownTable({
        columns: ['metric', 'value'],
        rows: Object.entries(r.metrics).map(([k, v]) => [`\`${k}\``, fmt(v, 4)]),
      }),
      '',
      '</details>',
      '',
    );
  });
  return out.join('\n');
}

/** The anchor GitHub gives the heading `## n. Title`. */
function anchor(n: number, r: LabResult): string {
  return `${n}-${r.title}`
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}
