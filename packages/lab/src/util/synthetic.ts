/** Synthetic 2-D data as tensors, and a model's class-1 probability over a grid (a decision map). */
import { slice, softmax, type Tensor, tensor, tidy } from '@myelin/core';
import type { LabeledData } from '@myelin/data';
import type { Module } from '@myelin/layers';
import type { ImageSpec } from '../types.js';
import { inEval, readArray } from './train.js';

/** Points [n, 2] and int32 labels [n] of a 2-D data set. */
export function toTensors(d: LabeledData): { x: Tensor; y: Tensor } {
  return { x: tensor(d.x, { shape: [d.n, 2] }), y: tensor(d.y, { shape: [d.n], dtype: 'int32' }) };
}

/**
 * The model's probability of class 1 on a `size`×`size` grid over [x0, x1]×[y0, y1], as an image (row 0 at
 * the top, so y decreases down the rows).
 */
export async function decisionMap(
  model: Module,
  title: string,
  bounds: [number, number, number, number],
  size = 32,
): Promise<ImageSpec> {
  const [x0, x1, y0, y1] = bounds;
  const pts: number[] = [];
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++)
      pts.push(x0 + ((x1 - x0) * c) / (size - 1), y1 - ((y1 - y0) * r) / (size - 1));
  }
  const grid = tensor(pts, { shape: [size * size, 2] });
  try {
    const p = inEval(model, () =>
      tidy(() => slice(softmax(model.forward(grid), -1), [0, 1], [size * size, 2])),
    );
    return { title, width: size, height: size, values: await readArray(p), range: [0, 1] };
  } finally {
    grid.dispose();
  }
}
