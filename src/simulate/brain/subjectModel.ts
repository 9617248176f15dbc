import type { Rng } from '../../linalg/index.ts';
import type { SimAtlas } from './atlas.ts';
import { AUDITORY_ROIS, HIGHER_ROIS, roiName } from './destrieux.ts';

/** Signal-to-noise choices of the ground truth (variance of signal / variance of noise, per voxel). */
export interface SnrSpec {
  /** Median SNR of informative voxels in auditory ROIs (acoustic features). */
  auditory: number;
  /** Median SNR of informative voxels in higher ROIs (musical features). */
  higher: number;
  /** Fraction of an informative ROI's voxels that carry signal. */
  informativeFraction: number;
}

export const DEFAULT_SNR: SnrSpec = { auditory: 0.6, higher: 0.25, informativeFraction: 0.85 };

/**
 * The ground truth of one subject: response weights on the design's features, noise parameters,
 * baseline intensities. `weights` is `F × V` row-major (zeros outside informative voxels), scaled
 * so that each informative voxel's signal variance over all runs equals `snr[v]` × its noise variance.
 */
export interface SubjectModel {
  nFeatures: number;
  nAcoustic: number;
  weights: Float32Array;
  /** Voxels with nonzero weights, ascending. */
  informative: Int32Array;
  snr: Float32Array;
  /** AR(1) coefficient of each voxel's noise. */
  phi: Float32Array;
  /** Loadings (V × physComponents) on shared physiological noise. */
  physLoad: Float32Array;
  physComponents: number;
  /** Total noise variance per voxel (AR + physiological), in signal units. */
  noiseVar: Float32Array;
  /** Mean image intensity per voxel. */
  baseline: Float32Array;
  /** Percent signal change of one signal unit. */
  unitPct: number;
  /** Standard deviation of the slow drift coefficients, in signal units. */
  driftSd: number;
  /** Label ids of the informative ROIs by kind. */
  rois: { auditory: number[]; higher: number[] };
  subjectSnrFactor: number;
}

function labelIds(atlas: SimAtlas, names: readonly string[]): number[] {
  const wanted = new Set(names.flatMap((n) => [roiName('lh', n), roiName('rh', n)]));
  return [...atlas.names].filter(([, n]) => wanted.has(n)).map(([id]) => id).sort((a, b) => a - b);
}

/**
 * buildSubjectModel(atlas, design, nAcoustic, snr, rng) → a subject's ground truth. Auditory ROI
 * voxels weigh only the first `nAcoustic` (acoustic) features, with a positive loudness weight;
 * higher ROI voxels weigh only the musical features. Each voxel's weights = 0.7 · ROI pattern +
 * 0.7 · voxel pattern; voxel SNR = ROI-kind median × subject factor (0.8..1.2) × log-normal gain
 * (sd 0.5). `design` is all runs' designs stacked (`rows × F`), used to scale the signal.
 */
export function buildSubjectModel(atlas: SimAtlas, design: Float64Array, nFeatures: number, nAcoustic: number, snr: SnrSpec, rng: Rng): SubjectModel {
  const V = atlas.labels.length;
  const F = nFeatures;
  const rows = design.length / F;
  const rois = { auditory: labelIds(atlas, AUDITORY_ROIS), higher: labelIds(atlas, HIGHER_ROIS) };
  const subjectSnrFactor = rng.uniform(0.8, 1.2);
  const weights = new Float32Array(F * V);
  const snrV = new Float32Array(V);
  const informative: number[] = [];
  const physComponents = 4;
  const physLoad = new Float32Array(V * physComponents);
  const phi = new Float32Array(V);
  const noiseVar = new Float32Array(V);
  const baseline = new Float32Array(V);
  for (let v = 0; v < V; v++) {
    phi[v] = rng.uniform(0.2, 0.5);
    let pv = 0;
    for (let k = 0; k < physComponents; k++) {
      const l = 0.25 * rng.normal();
      physLoad[v * physComponents + k] = l;
      pv += l * l;
    }
    noiseVar[v] = 1 + pv;
    baseline[v] = 8000 * Math.exp(0.15 * rng.normal());
  }
  const patterns = new Map<number, Float64Array>();
  const patternOf = (label: number, lo: number, hi: number): Float64Array => {
    let p = patterns.get(label);
    if (!p) {
      p = new Float64Array(F);
      for (let f = lo; f < hi; f++) p[f] = rng.normal();
      if (lo === 0) p[0] = Math.abs(p[0]) + 1.5;
      patterns.set(label, p);
    }
    return p;
  };
  const kindOf = new Map<number, 'auditory' | 'higher'>();
  for (const id of rois.auditory) kindOf.set(id, 'auditory');
  for (const id of rois.higher) kindOf.set(id, 'higher');
  const w = new Float64Array(F);
  for (let v = 0; v < V; v++) {
    const kind = kindOf.get(atlas.labels[v]);
    if (!kind) continue;
    const informativeVoxel = rng.chance(snr.informativeFraction);
    const [lo, hi] = kind === 'auditory' ? [0, nAcoustic] : [nAcoustic, F];
    const p = patternOf(atlas.labels[v], lo, hi);
    const gain = Math.exp(0.5 * rng.normal());
    if (!informativeVoxel) continue;
    w.fill(0);
    for (let f = lo; f < hi; f++) w[f] = 0.7 * p[f] + 0.7 * rng.normal();
    // Signal variance of this weight vector over all runs.
    let s1 = 0;
    let s2 = 0;
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let f = lo; f < hi; f++) s += design[r * F + f] * w[f];
      s1 += s;
      s2 += s * s;
    }
    const varS = s2 / rows - (s1 / rows) ** 2;
    const target = (kind === 'auditory' ? snr.auditory : snr.higher) * subjectSnrFactor * gain;
    const scale = varS > 0 ? Math.sqrt((target * noiseVar[v]) / varS) : 0;
    for (let f = lo; f < hi; f++) weights[f * V + v] = w[f] * scale;
    snrV[v] = target;
    informative.push(v);
  }
  return {
    nFeatures: F, nAcoustic, weights, informative: Int32Array.from(informative), snr: snrV, phi, physLoad, physComponents,
    noiseVar, baseline, unitPct: 0.4, driftSd: 1.5, rois, subjectSnrFactor,
  };
}
