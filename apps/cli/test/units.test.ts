/** The CLI's pure pieces, in-process: architecture shapes, the auto backend rule, paths, colour, resizing. */
import type { BackendInfo } from '@myelin/core';
import { describe, expect, it } from 'vitest';
import { chooseAuto } from '../src/backends/setup.js';
import { runPaths, timestamp } from '../src/checkpoint/paths.js';
import { resizeArea } from '../src/data/inputs.js';
import { PRESETS } from '../src/model/presets.js';
import { ArchitectureError, modelCost, parseArchitecture, resolveArchitecture } from '../src/model/spec.js';
import { duration, percent, rate } from '../src/output/format.js';
import { colorWanted } from '../src/output/output.js';

const presetOptions = { classes: 10, activation: 'relu' as const, dropout: 0, batchNorm: false };

describe('architectures', () => {
  it('infers the shapes of the presets on 8×8 and 28×28 images', () => {
    for (const side of [8, 28]) {
      for (const name of ['mlp', 'lenet', 'cnn']) {
        const layers = resolveArchitecture(
          (PRESETS[name] as (typeof PRESETS)['mlp']).build(presetOptions),
          [1, side, side],
          10,
          'x',
        );
        expect(layers.at(-1)?.outShape).toEqual([10]);
      }
    }
  });

  it('counts parameters and multiply-adds', () => {
    const layers = resolveArchitecture(
      parseArchitecture({ layers: [{ type: 'flatten' }, { type: 'linear', out: 3 }] }, 'x', 'relu'),
      [1, 2, 2],
      3,
      'x',
    );
    expect(modelCost(layers)).toEqual({ params: 4 * 3 + 3, macs: 12, largestMacs: 12 });
  });

  it('adds batch norm and dropout to the presets when asked', () => {
    const arch = (PRESETS.mlp as (typeof PRESETS)['mlp']).build({
      ...presetOptions,
      batchNorm: true,
      dropout: 0.3,
    });
    expect(arch.layers.map((l) => l.type)).toEqual([
      'flatten',
      'linear',
      'batchnorm',
      'relu',
      'dropout',
      'linear',
      'batchnorm',
      'relu',
      'dropout',
      'linear',
    ]);
  });

  it('accepts a bare list, "same" padding and the run activation', () => {
    const arch = parseArchitecture(
      [{ type: 'conv2d', out: 2, kernel: 5, padding: 'same' }, { type: 'activation' }],
      'file',
      'tanh',
    );
    expect(arch.name).toBe('file');
    expect(arch.layers).toEqual([{ type: 'conv2d', out: 2, kernel: 5, padding: 2 }, { type: 'tanh' }]);
  });

  it.each([
    [{ layers: [] }, /no layers/],
    [{ nope: 1 }, /"layers" list/],
    [{ layers: [{ type: 'linear' }] }, /needs "out" as an integer/],
    [{ layers: [{ type: 'dropout', p: 1 }] }, /"p" in \[0, 1\)/],
  ])('rejects %j', (json, message) => {
    expect(() => parseArchitecture(json, 'x', 'relu')).toThrow(message);
  });

  it('throws ArchitectureError with a hint', () => {
    try {
      resolveArchitecture(
        parseArchitecture({ layers: [{ type: 'maxpool2d', kernel: 2 }] }, 'x', 'relu'),
        [2],
        2,
        'moons',
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ArchitectureError);
      expect((error as ArchitectureError).hint).toContain('not an image dataset');
    }
  });
});

describe('the auto backend rule', () => {
  const info = (name: string, available: boolean, extra: Partial<BackendInfo> = {}): BackendInfo => ({
    name,
    priority: 0,
    available,
    active: false,
    ...extra,
  });
  const small = { macsPerSample: 1e4, largestLayerMacs: 1e4, batchSize: 32 };
  const big = { macsPerSample: 1e7, largestLayerMacs: 5e6, batchSize: 32 };

  it('takes a real GPU', () => {
    const c = chooseAuto(
      [
        info('cpu', true),
        info('worker', true),
        info('webgpu', true, { description: 'webgpu: nvidia ampere (RTX)' }),
      ],
      small,
    );
    expect(c.name).toBe('webgpu');
    expect(c.others.map((o) => o.name)).toEqual(['worker', 'cpu']);
  });

  it('skips a software GPU, and says so', () => {
    const gpu = info('webgpu', true, { description: 'webgpu: mesa software (llvmpipe), software fallback' });
    const c = chooseAuto([info('cpu', true), info('worker', true), gpu], small);
    expect(c.name).toBe('cpu');
    expect(c.others.find((o) => o.name === 'webgpu')?.why).toContain('software');
    expect(c.others.find((o) => o.name === 'worker')?.why).toContain('too small');
  });

  it('takes the worker pool for a big model', () => {
    const c = chooseAuto(
      [info('cpu', true), info('worker', true), info('webgpu', false, { reason: 'no adapter' })],
      big,
    );
    expect(c.name).toBe('worker');
    expect(c.others.find((o) => o.name === 'webgpu')?.why).toBe('unavailable: no adapter');
    expect(c.others.find((o) => o.name === 'cpu')?.why).toBe('worker is preferred over it');
  });

  it('fails when nothing runs', () => {
    expect(() => chooseAuto([info('cpu', false, { reason: 'x' })], small)).toThrow('no backend can run here');
  });
});

describe('run paths', () => {
  const now = new Date(2024, 4, 1, 10, 2, 3);
  it('puts everything in runs/<time>/ by default', () => {
    expect(timestamp(now)).toBe('2024-05-01T10-02-03');
    expect(runPaths({ saveDefault: true, plot: true, now, cwd: '/nowhere' })).toEqual({
      dir: '/nowhere/runs/2024-05-01T10-02-03',
      checkpoint: '/nowhere/runs/2024-05-01T10-02-03/model.safetensors',
      plotBase: '/nowhere/runs/2024-05-01T10-02-03/curves',
    });
  });

  it('puts the curves next to --save', () => {
    expect(runPaths({ save: 'out/fm.safetensors', saveDefault: true, plot: true, cwd: '/w' })).toEqual({
      dir: '/w/out',
      checkpoint: '/w/out/fm.safetensors',
      plotBase: '/w/out/fm.curves',
    });
  });

  it('honours --no-save and --no-plot', () => {
    expect(runPaths({ saveDefault: false, plot: false, out: 'here', cwd: '/w' })).toEqual({
      dir: '/w/here',
      checkpoint: null,
      plotBase: null,
    });
  });
});

describe('colour', () => {
  const tty = { write: () => true, isTTY: true };
  const pipe = { write: () => true, isTTY: false };
  it.each([
    [{}, tty, {}, true],
    [{}, pipe, {}, false],
    [{}, tty, { NO_COLOR: '1' }, false],
    [{}, tty, { NO_COLOR: '' }, true],
    [{}, pipe, { FORCE_COLOR: '1' }, true],
    [{}, pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }, false],
    [{ color: false }, tty, { FORCE_COLOR: '1' }, false],
    [{}, tty, { TERM: 'dumb' }, false],
  ])('options %j on %j with env %j → %s', (options, sink, env, expected) => {
    expect(colorWanted(options, sink, env)).toBe(expected);
  });
});

describe('formats and resizing', () => {
  it('formats durations, rates and percentages', () => {
    expect([duration(0.25), duration(12.34), duration(125), duration(3 * 3600 + 120)]).toEqual([
      '250ms',
      '12.3s',
      '2m05s',
      '3h02m',
    ]);
    expect([rate(25310.4), rate(12.34), rate(0)]).toEqual(['25,310', '12.3', '—']);
    expect(percent(0.97123)).toBe('97.12%');
  });

  it('averages areas when shrinking an image, exactly for whole ratios', () => {
    const src = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(Array.from(resizeArea(src, 4, 4, 2, 2))).toEqual([2.5, 4.5, 10.5, 12.5]);
    expect(Array.from(resizeArea(Float32Array.from([1, 3]), 2, 1, 3, 1))).toEqual([1, 2, 3]);
  });
});
