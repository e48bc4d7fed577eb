import { describe, expect, it } from 'vitest';
import {
  chartToSvg,
  experiments,
  figureFileNames,
  getExperiment,
  imageToSvg,
  type LabResult,
  renderMarkdownReport,
} from '../src/index.js';

const fake: LabResult = {
  name: 'fake',
  title: 'A fake experiment',
  claim: 'Claims are checked | even with pipes.',
  setup: 'Nothing was run.',
  table: {
    columns: ['a', 'b'],
    rows: [
      ['x|y', 1.23456],
      ['z', 0.000012],
    ],
  },
  charts: [
    {
      title: 'Line',
      xLabel: 'x',
      yLabel: 'y',
      kind: 'line',
      series: [
        {
          name: 's',
          points: [
            [0, 1],
            [1, Number.NaN],
            [2, 3],
            [3, 4],
          ],
        },
      ],
    },
    {
      title: 'Bars',
      xLabel: 'x',
      yLabel: 'y',
      kind: 'bar',
      xTicks: [{ x: 0, label: 'zero' }],
      series: [
        {
          name: 's',
          points: [
            [0, -1],
            [1, 2],
          ],
        },
      ],
    },
  ],
  images: [{ title: 'Img', width: 2, height: 2, values: [0, 1, 2, 3] }],
  reading: 'Read.',
  metrics: { m: 0.5 },
  run: { seed: 3, quick: true, backend: 'cpu', seconds: 1.25 },
};

describe('the experiment registry', () => {
  it('holds the twelve experiments of the chapter, in order, with unique names', () => {
    expect(experiments.map((e) => e.name)).toEqual([
      'vanishing-gradients',
      'relu-cost-and-sparsity',
      'dead-relu',
      'zero-init',
      'mse-vs-cross-entropy',
      'regularization',
      'dropout',
      'ensemble',
      'augmentation',
      'batchnorm',
      'conv-vs-dense',
      'pooling-invariance',
    ]);
    for (const e of experiments) {
      expect(e.title.length).toBeGreaterThan(10);
      expect(e.claim.length).toBeGreaterThan(40);
    }
  });

  it('names the experiments when asked for one that does not exist', () => {
    expect(() => getExperiment('nope')).toThrow(/unknown experiment 'nope'.*vanishing-gradients/);
  });

  it('refuses a negative seed before running anything', async () => {
    await expect(getExperiment('zero-init').run({ seed: -1 })).rejects.toThrow(/seed/);
  });
});

describe('renderMarkdownReport', () => {
  it('writes the summary, each section, escaped tables, figures and metrics', () => {
    const md = renderMarkdownReport([fake], { fake: figureFileNames(fake).map((f) => `lab/${f}`) });
    expect(md).toMatch(/^# Myelin lab report/);
    expect(md).toContain('## 1. A fake experiment');
    expect(md).toContain('**Claim.** Claims are checked | even with pipes.');
    expect(md).toContain('| x\\|y | 1.23 |');
    expect(md).toContain('1.20e-5');
    expect(md).toContain('![Line](lab/fake-chart-1.svg)');
    expect(md).toContain('![Img](lab/fake-image-1.svg)');
    expect(md).toContain('| `m` | 0.5 |');
    expect(md).toContain('seed 3, cpu backend, quick mode, 1.3 s');
    expect(md).toContain('[A fake experiment](#1-a-fake-experiment)');
  });

  it('leaves out figures without a path', () => {
    expect(renderMarkdownReport([fake])).not.toContain('![');
  });

  it('proposes figure names: charts, then images', () => {
    expect(figureFileNames(fake, 'png')).toEqual([
      'fake-chart-1.png',
      'fake-chart-2.png',
      'fake-image-1.png',
    ]);
  });
});

describe('the SVG renderer', () => {
  it('draws line charts, breaking lines at non-finite points', () => {
    const svg = chartToSvg(fake.charts[0] as LabResult['charts'][number]);
    expect(svg).toMatch(/^<svg xmlns/);
    // [0, 1] alone before the NaN (a dot), then a line through [2, 3] and [3, 4].
    expect(svg.match(/<polyline /g)?.length).toBe(1);
    expect(svg.match(/<circle /g)?.length).toBe(3);
  });

  it('draws bars, labels and escapes text', () => {
    const svg = chartToSvg({ ...(fake.charts[1] as LabResult['charts'][number]), title: 'a < b & c' });
    expect(svg).toContain('a &lt; b &amp; c');
    expect(svg.match(/<rect /g)?.length).toBeGreaterThan(3);
    expect(svg).toContain('>zero<');
  });

  it('draws images as grey squares', () => {
    const svg = imageToSvg(fake.images?.[0] as NonNullable<LabResult['images']>[number], { cell: 10 });
    expect(svg).toContain('fill="#000000"');
    expect(svg).toContain('fill="#ffffff"');
    expect(svg.match(/<rect /g)?.length).toBe(5); // the background and four pixels
  });

  it('merges runs of equal pixels into one rectangle', () => {
    const svg = imageToSvg({ title: 't', width: 4, height: 1, values: [0, 0, 0, 1] });
    expect(svg.match(/<rect /g)?.length).toBe(3); // the background, a run of three, one pixel
  });
});
