import { canonicalHrf } from './hrf.ts';

/**
 * runDesign(clipIds, featuresOf, { tr, clipSec, nScans, upsample }) → the HRF-convolved design
 * of one run, `nScans × F` row-major float64. Clips play back to back from t = 0 (clip k during
 * [k·clipSec, (k+1)·clipSec)); `featuresOf(id)` gives the clip's features as `segments × F`
 * (segments of equal length covering the clip; 1 segment = constant over the clip). The feature
 * time course is held piecewise constant on a grid of tr/upsample seconds, convolved with
 * `canonicalHrf`, and read at each scan's onset (scan t at t·tr).
 */
export function runDesign(
  clipIds: readonly string[],
  featuresOf: (id: string) => { segments: number; data: ArrayLike<number> },
  opts: { tr: number; clipSec: number; nScans: number; nFeatures: number; upsample?: number },
): Float64Array {
  const up = opts.upsample ?? 10;
  const dt = opts.tr / up;
  const nFine = opts.nScans * up;
  const F = opts.nFeatures;
  const fine = new Float64Array(nFine * F);
  for (let k = 0; k < clipIds.length; k++) {
    const f = featuresOf(clipIds[k]);
    const i0 = Math.round((k * opts.clipSec) / dt);
    const i1 = Math.min(nFine, Math.round(((k + 1) * opts.clipSec) / dt));
    for (let i = i0; i < i1; i++) {
      const seg = Math.min(f.segments - 1, Math.floor(((i - i0) / (i1 - i0)) * f.segments));
      for (let c = 0; c < F; c++) fine[i * F + c] = f.data[seg * F + c];
    }
  }
  const h = canonicalHrf(dt);
  const out = new Float64Array(opts.nScans * F);
  for (let t = 0; t < opts.nScans; t++) {
    const i = t * up;
    for (let lag = 0; lag < h.length && lag <= i; lag++) {
      const w = h[lag];
      const row = (i - lag) * F;
      for (let c = 0; c < F; c++) out[t * F + c] += w * fine[row + c];
    }
  }
  return out;
}
