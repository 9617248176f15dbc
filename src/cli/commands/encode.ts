import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../../errors.ts';
import { readNifti, writeNifti } from '../../io/index.ts';
import { loadResponses, openDataset } from '../../bids/index.ts';
import {
  encodeSubject, genreOneHot, readFeatureSpace, writeEncodingOutputs,
  type EncodingModelSpec, type EncodingNull, type EncodingSummary, type FeatureSpace,
} from '../../encode/index.ts';
import { withRunLock } from '../../pipeline/index.ts';
import type { CliUi } from '../ui.ts';

/** Options of `brain2music encode`. */
export interface EncodeOptions {
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
  /** 'clip' (default, 5 folds of contiguous clips) or 'run' (leave one run out). */
  cv?: 'clip' | 'run';
  /** Fit the joint model of the first two spaces and partition their variance. */
  partition?: boolean;
  /** Permutations of the block null (default 10,000). */
  nPerm?: number;
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
 * `brain2music encode`: whole-cortex voxelwise encoding models for each subject and feature space,
 * significance (Gaussian or block null, BH FDR), noise ceiling, comparisons of every pair of spaces
 * and optional variance partitioning; writes maps and `summary.json` under
 * `RUN/subjects/<sub>/encode/` and prints the significant voxels and top ROIs.
 */
export async function runEncode(opts: EncodeOptions, ui: CliUi): Promise<EncodingSummary[]> {
  return withRunLock(opts.out, () => encodeInto(opts, ui));
}

async function encodeInto(opts: EncodeOptions, ui: CliUi): Promise<EncodingSummary[]> {
  if (opts.lagTr !== undefined && opts.delays !== undefined) fail('BAD_INPUT', 'give either --delays or --lag-tr, not both.');
  const delays = opts.lagTr !== undefined ? [opts.lagTr] : opts.delays ?? [1, 2, 3, 4];
  const parts = parseFeatureList(opts.features);
  const ds = await openDataset(opts.bids);
  const subjects = opts.subject === 'all' ? ds.subjects : [opts.subject];
  for (const s of subjects) {
    if (!ds.subjects.includes(s)) fail('NOT_FOUND', `subject '${s}' is not in ${opts.bids} (subjects: ${ds.subjects.join(', ')}); pass one of them or 'all'.`);
  }
  const files = new Map<string, FeatureSpace>();
  const space = (p: string): FeatureSpace => {
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
  ui.info(`encode: ${models.map((m) => m.name).join(', ')} · delays ${delays.join(',')} TR · ${opts.null ?? 'block'} null, BH FDR 0.05 · ${subjects.length} subject(s)`);

  const summaries: EncodingSummary[] = [];
  for (const sub of subjects) {
    const t0 = Date.now();
    const resp = await loadResponses(ds, sub);
    let bar: ReturnType<CliUi['progress']> | null = null;
    let current = '';
    const enc = await encodeSubject(resp, models, {
      delays, nullKind: opts.null, cv: opts.cv, partition: opts.partition, nPerm: opts.nPerm, seed: opts.seed, voxelBatch: opts.voxelBatch,
      onModelProgress: (model, done, total) => {
        if (model !== current || !bar) { bar?.end(); bar = ui.progress(`${sub} ${model} voxels`); current = model; }
        bar.update(done, total);
      },
    });
    (bar as ReturnType<CliUi['progress']> | null)?.end();
    const dir = join(opts.out, 'subjects', sub, 'encode');
    const summary = writeEncodingOutputs(dir, enc, resp.atlas, resp.space);
    await writeBackground(ds.files[sub]?.atlas.reference ?? null, join(dir, 'background.nii.gz'));
    summaries.push(summary);
    ui.info(`${sub}: ${summary.nVoxels} voxels, ${summary.nTrain} training / ${summary.nTest} test scans (${((Date.now() - t0) / 1000).toFixed(1)} s) → ${dir}`);
    for (const [name, m] of Object.entries(summary.models)) {
      const top = m.topRois.slice(0, 3).map((r) => `${r.name} ${r.nSignificant}`).join(', ');
      ui.info(`  ${name.padEnd(24)} significant ${String(m.nSignificant).padStart(6)}  mean r ${m.meanSignificantR.toFixed(3)}  max r ${m.maxR.toFixed(3)}  top ROIs: ${top || 'none'}`);
    }
    for (const c of summary.comparisons) {
      ui.info(`  ${c.a} vs ${c.b}: both ${c.counts.both}, only ${c.a} ${c.counts.onlyA}, only ${c.b} ${c.counts.onlyB}; ${c.a} better in ${c.eitherSignificant.aBetter}/${c.eitherSignificant.n}`);
    }
    if (summary.partition) {
      const p = summary.partition;
      ui.info(`  partition (${p.n} voxels): unique ${p.a} ${p.meanUniqueA.toFixed(4)}, unique ${p.b} ${p.meanUniqueB.toFixed(4)}, shared ${p.meanShared.toFixed(4)} (test R²)`);
    }
  }
  return summaries;
}

/**
 * The subject's reference BOLD image (atlas convention `…_space-bold_ref.nii.gz`) as the
 * background the report draws maps on; nothing when the dataset has none.
 */
async function writeBackground(reference: string | null, path: string): Promise<void> {
  if (!reference || !existsSync(reference)) return;
  const ref = await readNifti(reference);
  const n = ref.dims.slice(0, 3).reduce((a, b) => a * b, 1);
  writeNifti(path, { dims: ref.dims.slice(0, 3), data: Float32Array.from(ref.data.subarray(0, n)), affine: ref.affine, header: { descrip: 'brain2music background' } });
}
