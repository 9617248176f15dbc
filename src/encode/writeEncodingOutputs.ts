import { join, relative, sep } from 'node:path';
import { writeJsonAtomic } from '../io/index.ts';
import { fdrBh, P_SOURCE } from '../stats/index.ts';
import type { SubjectEncoding } from './encodeSubject.ts';
import type { EncodingMaps } from './fitEncoding.ts';
import { roiSummary, type RoiCount } from './roiSummary.ts';
import { writeVoxelMap, type VoxelSpace } from './writeVoxelMap.ts';

/** Per-model figures in `summary.json`. */
export interface ModelSummary {
  nFeatures: number;
  nSignificant: number;
  meanR: number;
  maxR: number;
  /** Mean r (every test scan, what the maps show) over significant voxels (0 when none). */
  meanSignificantR: number;
  // The next three (and nPerm, pTail, nullFromScan below) are optional only because summaries
  // written before they existed lack them; writeEncodingOutputs always writes them.
  /**
   * Mean over significant voxels of the statistic the null tested (0 when none): for the block
   * null r over each clip's scans from `nullFromScan` on, for the Gaussian null r itself.
   */
  meanSignificantRNull?: number;
  /**
   * Block null: voxels significant (q ≤ fdr, r > 0) with the counted p alone, (1 + count) /
   * (1 + nPerm), i.e. without the tail fit below 1/(1 + nPerm); null for the Gaussian null.
   */
  nSignificantCounted?: number | null;
  /** Block null: where the p of the permuted voxels (r > 0) came from; null for the Gaussian null. */
  pSources?: { counted: number; gpd: number; moments: number } | null;
  /** Median noise-ceiling r over significant voxels (null without test repetitions). */
  medianSignificantCeiling: number | null;
  topRois: RoiCount[];
  rois: RoiCount[];
  /** The model's map files by kind (r, q, sig, ceiling, rnorm), relative to `relativeTo` (default: the folder of summary.json). */
  files: Record<string, string>;
}

/** The shape of `summary.json`. */
export interface EncodingSummary {
  subject: string;
  nVoxels: number;
  /**
   * How the maps are stored: 'nii.gz' (3-D NIfTI in the subject's voxel space) or 'npy' (1-D, one
   * value per voxel in the responses' column order: the responses have no voxel space). Absent in
   * summaries written before this field existed.
   */
  maps?: 'nii.gz' | 'npy';
  /** Why there are no brain images (with 'npy' maps), for the report; null with NIfTI maps. */
  noVolume?: string | null;
  nTrain: number;
  nTest: number;
  delays: number[];
  null: string;
  /** Block null: shuffles, the p tail method ('gpd' | 'none') and the first scan of each clip the null scored; null for the Gaussian null. */
  nPerm?: number | null;
  pTail?: string | null;
  nullFromScan?: number | null;
  fdr: number;
  models: Record<string, ModelSummary>;
  comparisons: { a: string; b: string; counts: { both: number; onlyA: number; onlyB: number; neither: number }; eitherSignificant: { n: number; aBetter: number; meanDiff: number }; histogram: { xEdges: number[]; yEdges: number[]; counts: number[][] }; file: string }[];
  partition: null | { a: string; b: string; joint: string; measure: 'test R² (1 - SSE/SST)'; over: 'voxels significant for the joint model'; n: number; meanUniqueA: number; meanUniqueB: number; meanShared: number; files: Record<string, string> } ;
}

function median(values: number[]): number | null {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

function modelFiles(dir: string, m: EncodingMaps, space: VoxelSpace | null, name: (path: string) => string): Record<string, string> {
  const base = join(dir, m.name);
  return {
    r: name(writeVoxelMap(`${base}_r`, m.r, space)),
    q: name(writeVoxelMap(`${base}_q`, m.q, space, 1)),
    sig: name(writeVoxelMap(`${base}_sig`, m.significant, space)),
    ceiling: name(writeVoxelMap(`${base}_ceiling`, m.ceiling, space)),
    rnorm: name(writeVoxelMap(`${base}_rnorm`, m.rNormalised, space)),
  };
}

function summarise(m: EncodingMaps, atlas: { labels: Int32Array; names: Map<number, string> }, files: Record<string, string>, topK: number): ModelSummary {
  let sumR = 0, maxR = -Infinity, sumSig = 0, sumSigNull = 0, nSig = 0;
  const ceil: number[] = [];
  for (let v = 0; v < m.nVoxels; v++) {
    sumR += m.r[v]!;
    if (m.r[v]! > maxR) maxR = m.r[v]!;
    if (m.significant[v]) { nSig++; sumSig += m.r[v]!; sumSigNull += m.rNull[v]!; ceil.push(m.ceiling[v]!); }
  }
  let nSignificantCounted: number | null = null;
  let pSources: ModelSummary['pSources'] = null;
  if (m.pEmpirical && m.pSource) {
    const q = fdrBh(m.pEmpirical);
    nSignificantCounted = 0;
    pSources = { counted: 0, gpd: 0, moments: 0 };
    for (let v = 0; v < m.nVoxels; v++) {
      if (q[v]! <= m.fdrAlpha && m.r[v]! > 0) nSignificantCounted++;
      if (!(m.r[v]! > 0)) continue;
      const s = m.pSource[v]!;
      if (s === P_SOURCE.gpd) pSources.gpd++;
      else if (s === P_SOURCE.moments) pSources.moments++;
      else pSources.counted++;
    }
  }
  const rois = roiSummary(m.significant, m.r, atlas);
  return {
    nFeatures: m.nFeatures, nSignificant: nSig, meanR: sumR / m.nVoxels, maxR, meanSignificantR: nSig > 0 ? sumSig / nSig : 0,
    meanSignificantRNull: nSig > 0 ? sumSigNull / nSig : 0, nSignificantCounted, pSources,
    medianSignificantCeiling: median(ceil), topRois: rois.filter((r) => r.nSignificant > 0).slice(0, topK), rois, files,
  };
}

/**
 * Writes a subject's encoding results to `dir` (e.g. `RUN/subjects/sub-001/encode`), every file
 * atomically: per model `<name>_r`, `_q` (1 outside the mask), `_sig` (uint8 0/1), `_ceiling`,
 * `_rnorm` as `.nii.gz` with the subject's affine when `space` is known, else as 1-D `.npy` of
 * length V in the responses' voxel order (float32; `_sig` uint8, as in the NIfTI), e.g. for
 * derivative arrays without voxel coordinates; per compared pair `<a>_minus_<b>_rdiff`; with
 * partitioning `<a>+<b>_unique-<a>`, `<a>+<b>_unique-<b>`, `<a>+<b>_shared`; and `summary.json`
 * (counts of significant voxels per ROI, the `topK` ROIs per model, the mean over significant
 * voxels of r and of the statistic the null tested, the block null's settings and the significant
 * count with the counted p alone, comparisons with their 2-D histograms, partition means, how the
 * maps are stored). summary.json names the files relative to `opts.relativeTo` ('/'-separated;
 * default `dir` itself, i.e. bare file names, so the folder can be moved: a staging folder renamed
 * into the run stays valid); pass the run folder for run-relative names such as
 * `subjects/sub-001/encode/music_r.npy`.
 */
export function writeEncodingOutputs(
  dir: string,
  enc: SubjectEncoding,
  atlas: { labels: Int32Array; names: Map<number, string> },
  space: VoxelSpace | null,
  topK = 10,
  opts: { relativeTo?: string } = {},
): EncodingSummary {
  const root = opts.relativeTo ?? dir;
  const name = (path: string) => relative(root, path).split(sep).join('/');
  const all = enc.partition ? [...enc.models, enc.partition.joint] : enc.models;
  const models: Record<string, ModelSummary> = {};
  for (const m of all) models[m.name] = summarise(m, atlas, modelFiles(dir, m, space, name), topK);
  const comparisons = enc.comparisons.map((c) => ({
    a: c.a, b: c.b, counts: c.counts, eitherSignificant: c.eitherSignificant, histogram: c.histogram,
    file: name(writeVoxelMap(join(dir, `${c.a}_minus_${c.b}_rdiff`), c.diff, space)),
  }));
  let partition: EncodingSummary['partition'] = null;
  if (enc.partition) {
    const { a, b, joint, parts } = enc.partition;
    let n = 0, ua = 0, ub = 0, sh = 0;
    for (let v = 0; v < joint.nVoxels; v++) {
      if (!joint.significant[v]) continue;
      n++; ua += parts.uniqueA[v]!; ub += parts.uniqueB[v]!; sh += parts.shared[v]!;
    }
    const base = join(dir, joint.name);
    partition = {
      a, b, joint: joint.name, measure: 'test R² (1 - SSE/SST)', over: 'voxels significant for the joint model', n,
      meanUniqueA: n ? ua / n : 0, meanUniqueB: n ? ub / n : 0, meanShared: n ? sh / n : 0,
      files: {
        uniqueA: name(writeVoxelMap(`${base}_unique-${a}`, parts.uniqueA, space)),
        uniqueB: name(writeVoxelMap(`${base}_unique-${b}`, parts.uniqueB, space)),
        shared: name(writeVoxelMap(`${base}_shared`, parts.shared, space)),
      },
    };
  }
  const first = enc.models[0]!;
  const summary: EncodingSummary = {
    subject: enc.subject, nVoxels: first.nVoxels,
    maps: space ? 'nii.gz' : 'npy',
    noVolume: space ? null : 'the responses have no voxel coordinates (e.g. the derivative arrays of ds003720, which come without an atlas or voxel indices): the maps are per-voxel .npy files in the responses\' column order, with no brain image to draw them on',
    nTrain: first.nTrain, nTest: first.nTest, delays: enc.delays,
    null: first.nullKind, nPerm: first.nPerm, pTail: first.pTail, nullFromScan: first.nullFromScan, fdr: first.fdrAlpha, models, comparisons, partition,
  };
  writeJsonAtomic(join(dir, 'summary.json'), summary);
  return summary;
}
