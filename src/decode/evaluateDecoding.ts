import { accuracyByGroup, averageWindows, identificationAccuracy, nWayTop1, pearsonPerDimension } from '../evaluate/index.ts';

/** A score with the number of items it was computed on and its chance level. */
export interface Scored {
  value: number;
  n: number;
  chance: number;
}

/** Metrics of one set of predictions against their targets. */
export interface DecodingMetrics {
  /** Identification accuracy (docs/method.md §2, j ≠ i, strict) with windows and with clips as items. */
  identification: { windows: Scored; clips: Scored };
  /** Pearson r per embedding dimension across windows, averaged over dimensions (chance 0). */
  r: Scored;
  /** N-way top-1 among all clips of the set (chance 1/N). */
  nWayTop1: Scored;
  /** Clip-level identification accuracy averaged within each genre (items ranked against all clips). */
  perGenre: { genre: string; n: number; identification: number }[];
}

/**
 * Scores predictions of `clips × windows × dim` against targets of the same layout: windows as
 * items, clips as items (windows averaged per clip, predictions and targets alike), r per
 * dimension, N-way top-1 over clips, and per-genre identification.
 */
export function evaluateDecoding(
  pred: Float32Array,
  target: Float32Array,
  clipIds: readonly string[],
  nWindows: number,
  dim: number,
  genreOf: (clipId: string) => string,
): DecodingMetrics {
  const nClips = clipIds.length;
  const nW = nClips * nWindows;
  const idW = identificationAccuracy(pred, target, nW, dim);
  const pc = averageWindows(pred, nClips, nWindows, dim);
  const tc = averageWindows(target, nClips, nWindows, dim);
  const idC = identificationAccuracy(pc, tc, nClips, dim);
  const r = pearsonPerDimension(pred, target, nW, dim);
  const top1 = nWayTop1(pc, tc, nClips, dim);
  const perGenre = accuracyByGroup(idC.perItem, clipIds.map(genreOf)).map((g) => ({ genre: g.group, n: g.n, identification: g.mean }));
  return {
    identification: {
      windows: { value: idW.mean, n: nW, chance: 0.5 },
      clips: { value: idC.mean, n: nClips, chance: 0.5 },
    },
    r: { value: r.mean, n: nW, chance: 0 },
    nWayTop1: { value: top1.value, n: nClips, chance: top1.chance },
    perGenre,
  };
}


