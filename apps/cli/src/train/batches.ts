/** Data loaders for a run: shuffled, seeded and optionally augmented for training; plain for evaluation. */
import {
  DataLoader,
  gaussianNoise,
  type LabeledData,
  randomShift,
  TensorDataset,
  type Transform,
} from '@myelin/data';

/** A dataset over labelled data, shaped as the model sees samples (CHW for images). */
export function datasetOf(data: LabeledData): TensorDataset {
  return TensorDataset.from(data, { image: data.imageShape !== undefined });
}

/**
 * The augmentation of `--augment`: a random shift of up to ~1/14 of the side for images (1 px on 8×8
 * digits, 2 px on 28×28), small Gaussian noise for other data.
 */
export function augmentation(data: LabeledData, seed: number): Transform {
  const image = data.imageShape;
  if (image && image.length === 3) {
    const side = Math.min(image[1] as number, image[2] as number);
    return randomShift(Math.max(1, Math.round(side / 14)), { seed });
  }
  return gaussianNoise(0.05, { seed });
}

export interface TrainLoaderOptions {
  batchSize: number;
  seed: number;
  augment: boolean;
  /** Epochs already done (a resumed run continues the shuffle sequence). */
  startEpoch: number;
}

export function trainLoader(data: LabeledData, o: TrainLoaderOptions): DataLoader {
  const loader = new DataLoader(datasetOf(data), {
    batchSize: o.batchSize,
    shuffle: true,
    seed: o.seed,
    ...(o.augment ? { transform: augmentation(data, o.seed + 1) } : {}),
  });
  loader.epoch = o.startEpoch;
  return loader;
}

/** Evaluation batches: in order, large (no gradients are kept, so memory allows it). */
export function evalLoader(data: LabeledData, batchSize = 256): DataLoader {
  return new DataLoader(datasetOf(data), { batchSize, shuffle: false });
}
