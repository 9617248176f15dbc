import { existsSync } from 'node:fs';
import { openDataset } from '../../bids/index.ts';
import type { ClipWindows } from '../../embed/index.ts';
import { genreOneHot, readFeatureSpace, type EncodingModelSpec, type EncodingNull, type EncodingSummary } from '../../encode/index.ts';
import { ENCODE_DEFAULTS } from '../../defaults.ts';
import { fail } from '../../errors.ts';
import { encodeJob } from '../../pipeline/jobs/encode.ts';
import { refreshRunMetrics } from '../../pipeline/jobs/evaluate.ts';
import { runLayout, stagedWrite } from '../../run/index.ts';
import { datasetLoadOptions, type DatasetReadFlags } from '../../pipeline/index.ts';
import type { CliUi } from '../ui.ts';

/** Options of `brain2music encode`. */
/** How the responses are read are the configuration's `dataset` keys (source, derivatives, space, confounds, atlas, …). */
export interface EncodeOptions extends DatasetReadFlags {
  /** BIDS dataset root (ds003720 layout, real or simulated). */
  bids: string;
  /**
   * Feature spaces: comma-separated models, each one `.npy` (with its `.json`) or `genre` (the
   * one-hot genre control), or several joined by `+` to stack them into one model.
   */
  features: string;
  /** `sub-001`, or `all` for every subject of the dataset. */
  subject: string;
  /** Run folder; writes `subjects/<sub>/encode/`. */
  out: string;
  /** Null distribution (default 'block'; 'gaussian' is the paper's, anti-conservative on fMRI). */
  null?: EncodingNull;
  /** FIR delays in TRs (default 1,2,3,4). */
  delays?: number[];
  /** A single lag in TRs instead of FIR delays (same as `delays: [lagTr]`). */
  lagTr?: number;
  /** Scans per clip (default 10). */
  scansPerClip?: number;
  /** 'clip' (default, 5 folds of contiguous clips) or 'run' (leave one run out). */
  cv?: 'clip' | 'run';
  folds?: number;
  /** FDR level (default 0.05). */
  fdrQ?: number;
  /** Fit the joint model of the first two spaces and partition their variance. */
  partition?: boolean;
  /** Permutations of the block null (default 10,000). */
  nPerm?: number;
  /** p beyond every shuffle: 'gpd' (tail fit, default) or 'none'. */
  pTail?: 'gpd' | 'none';
  seed?: number;
  /** Voxels per batch (bounds memory). */
  voxelBatch?: number;
}

/** Splits `--features` into models; a part is a `.npy` path or `genre`. */
export function parseFeatureList(features: string): string[][] {
  const models = features.split(',').map((m) => m.trim()).filter((m) => m.length > 0).map((m) => m.split('+').map((p) => p.trim()));
  if (models.length === 0 || models.some((m) => m.some((p) => p.length === 0))) {
    fail('BAD_INPUT', `--features '${features}' names no feature space; give A.npy[,B.npy] (or 'genre'; join with + to stack).`);
  }
  for (const m of models) {
    for (const p of m) {
      if (p !== 'genre' && !p.endsWith('.npy')) fail('BAD_INPUT', `--features: '${p}' is neither a .npy file nor 'genre'.`);
      if (p !== 'genre' && !existsSync(p)) fail('NOT_FOUND', `--features: ${p} does not exist; run \`brain2music embed\` first or pass the .npy you computed.`);
    }
  }
  return models;
}

/**
 * `brain2music encode`: the encode job (the pipeline's encode stage) on the given dataset and
 * feature spaces, written into the run folder all at once, then `RUN/metrics.json` refreshed.
 */
export async function runEncode(opts: EncodeOptions, ui: CliUi): Promise<EncodingSummary[]> {
  if (opts.lagTr !== undefined && opts.delays !== undefined) fail('BAD_INPUT', 'give either --delays or --lag-tr, not both.');
  const delays = opts.lagTr !== undefined ? [opts.lagTr] : opts.delays;
  const parts = parseFeatureList(opts.features);
  const ds = openDataset(opts.bids);
  const subjects = opts.subject === 'all' ? ds.subjects : [opts.subject];
  for (const s of subjects) {
    if (!ds.subjects.includes(s)) fail('NOT_FOUND', `subject '${s}' is not in ${opts.bids} (subjects: ${ds.subjects.join(', ')}); pass one of them or 'all'.`);
  }
  const files = new Map<string, ClipWindows>();
  const space = (p: string): ClipWindows => {
    let f = files.get(p);
    if (!f) {
      f = p === 'genre' ? genreOneHot(ds.clips.map((c) => ({ id: c.id, genre: c.genre }))) : readFeatureSpace(p);
      files.set(p, f);
    }
    return f;
  };
  const models: EncodingModelSpec[] = parts.map((m) => {
    const spaces = m.map(space);
    return { name: spaces.map((s) => s.name).join('+'), spaces };
  });
  ui.info(`encode: ${models.map((m) => m.name).join(', ')} · delays ${(delays ?? ENCODE_DEFAULTS.delays).join(',')} TR · ${nullDescription(opts.null ?? ENCODE_DEFAULTS.null, opts.nPerm ?? ENCODE_DEFAULTS.nPerm, opts.pTail ?? ENCODE_DEFAULTS.pTail)}, BH FDR ${opts.fdrQ ?? ENCODE_DEFAULTS.fdrQ} · ${subjects.length} subject(s)`);
  const res = await stagedWrite(opts.out, 'brain2music encode', (outDir) =>
    encodeJob(
      {
        dataset: ds, subjects, models, load: datasetLoadOptions(opts), delays, scansPerClip: opts.scansPerClip, null: opts.null, cv: opts.cv, folds: opts.folds, fdrQ: opts.fdrQ,
        nPerm: opts.nPerm, pTail: opts.pTail, seed: opts.seed, partition: opts.partition, voxelBatch: opts.voxelBatch,
      },
      outDir,
      ui,
    ), (r) => r.outputs);
  await stagedWrite(opts.out, 'brain2music encode', async (outDir) => refreshRunMetrics(opts.out, outDir), () => [runLayout.metrics]);
  ui.info(`wrote ${subjects.map((s) => runLayout.encodeDir(s)).join(', ')} in ${opts.out}`);
  return res.summaries;
}

/** The null in words: the block null with its shuffles and how p is read beyond every shuffle. */
function nullDescription(kind: EncodingNull, nPerm: number, pTail: 'gpd' | 'none'): string {
  if (kind === 'gaussian') return 'Gaussian null';
  return `block null (${nPerm} shuffles, ${pTail === 'gpd' ? 'Pareto tail beyond them' : `p ≥ 1/${nPerm + 1}`})`;
}
