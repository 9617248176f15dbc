import { fail } from '../errors.ts';
import { fitRidge, predictRidge, type Fold } from '../ridge/index.ts';
import type { DecoderTrainingData } from './fitRoiEnsemble.ts';
import { fitStandardizer, selectStandardized } from './standardizer.ts';
import { takeRows } from './takeRows.ts';

/** One ridge of a decoder in one fold: the voxels it reads and an alpha per embedding dimension. */
export interface FoldMember {
  voxels: Int32Array;
  alphas: ArrayLike<number>;
}

/**
 * cvPredictions(train, folds, membersOf) → the decoder's out-of-fold predictions of its own
 * training rows (`n × T` float32): for each fold f, every member of `membersOf(f)` is refitted on
 * f's training rows at its chosen alphas (its voxels standardised with those rows' statistics)
 * and predicts f's held-out rows; members are averaged, as `predictRoiEnsemble` does. These are
 * the CV predictions behind the decoder's choices: no row is predicted by a ridge that saw it,
 * but the alphas (and the ROIs) were chosen by CV scores that included the held-out rows, so
 * the score is slightly optimistic, far less so than in-sample.
 *
 * @param folds a partition of the rows (each row in exactly one fold's `test`), e.g. `groupKFold(groups, K)`
 * @param membersOf the ridges of fold f (a voxel selection: the fold's own voxels)
 */
export async function cvPredictions(train: DecoderTrainingData, folds: readonly Fold[], membersOf: (fold: number) => readonly FoldMember[]): Promise<Float32Array> {
  const { X, Y, nVoxels: V, nTargets: T } = train;
  const n = train.groups.length;
  const out = new Float32Array(n * T);
  const seen = new Uint8Array(n);
  for (const [f, fold] of folds.entries()) {
    const members = membersOf(f);
    if (members.length === 0) fail('INTERNAL', `fold ${f + 1} of the CV predictions has no decoder.`);
    const standardizer = fitStandardizer(X, n, V, fold.train);
    const Ytr = takeRows(Y, T, fold.train);
    const sum = new Float64Array(fold.test.length * T);
    for (const m of members) {
      const q = m.voxels.length;
      const Z = selectStandardized(X, n, V, m.voxels, standardizer);
      const coefs = await fitRidge({ rows: fold.train.length, cols: q, data: takeRows(Z, q, fold.train) }, { rows: fold.train.length, cols: T, data: Ytr }, m.alphas);
      const pred = await predictRidge({ ...coefs, nFeatures: q, nTargets: T }, { rows: fold.test.length, cols: q, data: takeRows(Z, q, fold.test) });
      for (let i = 0; i < sum.length; i++) sum[i] += pred.data[i]!;
    }
    fold.test.forEach((row, i) => {
      if (seen[row]) fail('INTERNAL', `row ${row} is held out by two folds of the CV predictions.`);
      seen[row] = 1;
      for (let t = 0; t < T; t++) out[row * T + t] = sum[i * T + t]! / members.length;
    });
  }
  const missing = seen.indexOf(0);
  if (missing >= 0) fail('INTERNAL', `row ${missing} is held out by no fold of the CV predictions.`);
  return out;
}
