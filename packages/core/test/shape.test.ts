import { describe, expect, it } from 'vitest';
import { MyelinError, ShapeError } from '../src/errors/errors.js';
import { broadcastShapes, normalizeAxes, normalizeAxis, sizeOf, stridesOf } from '../src/tensor/shape.js';

describe('shape arithmetic', () => {
  it('broadcasts like NumPy', () => {
    expect(broadcastShapes('add', [2, 1, 3], [4, 1])).toEqual([2, 4, 3]);
    expect(broadcastShapes('add', [], [5])).toEqual([5]);
    expect(broadcastShapes('add', [0, 1], [1, 3])).toEqual([0, 3]);
  });
  it('names the op and both shapes when shapes do not broadcast', () => {
    expect(() => broadcastShapes('add', [2, 3], [4])).toThrow(ShapeError);
    expect(() => broadcastShapes('add', [2, 3], [4])).toThrow(/^add: shapes \[2,3\] and \[4\]/);
    try {
      broadcastShapes('mul', [2], [3]);
    } catch (e) {
      expect(e).toBeInstanceOf(MyelinError);
      expect((e as MyelinError).op).toBe('mul');
    }
  });
  it('computes sizes and strides', () => {
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([2, 0, 3])).toBe(0);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
  });
  it('normalises axes and rejects bad ones', () => {
    expect(normalizeAxis('sum', -1, 3)).toBe(2);
    expect(() => normalizeAxis('sum', 3, 3)).toThrow(ShapeError);
    expect(normalizeAxes('sum', undefined, [2, 3])).toEqual([0, 1]);
    expect(normalizeAxes('sum', [-1, 0], [2, 3])).toEqual([0, 1]);
    expect(() => normalizeAxes('sum', [1, -1], [2, 3])).toThrow(/repeated axis/);
  });
});
