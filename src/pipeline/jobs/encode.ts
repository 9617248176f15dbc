import { join } from 'node:path';
import { loadResponses, voxelsToVolume, type Dataset, type LoadResponsesOptions, type SubjectResponses, type VoxelSpace } from '../../bids/index.ts';
import { ALIGN_DEFAULTS, ENCODE_DEFAULTS, RIDGE_DEFAULTS } from '../../defaults.ts';
import { concatVoxelFits, encodeSubject, finishSubjectEncoding, fitSubjectVoxels, readVoxelFits, writeEncodingOutputs, writeVoxelFits, type EncodeSubjectOptions, type EncodingModelSpec, type EncodingNull, type EncodingSummary } from '../../encode/index.ts';
import { readNifti, writeNifti } from '../../io/index.ts';
import type { Reporter, TaskProgress } from '../../progress.ts';
import type { PTail } from '../../stats/index.ts';
import { runLayout } from '../../run/index.ts';
import { shardRange } from './shardRange.ts';

/** What the encode job fits, and how. */
export interface EncodeJobInput {
  dataset: Dataset;
  subjects: string[];
  /** Models to fit: each one or several stacked feature spaces. */
  models: EncodingModelSpec[];
  load?: LoadResponsesOptions;
  /** FIR delays in TRs (default 1,2,3,4). */
  delays?: readonly number[];
  scansPerClip?: number;
  null?: EncodingNull;
  cv?: 'clip' | 'run';
  folds?: number;
  fdrQ?: number;
  nPerm?: number;
  pTail?: PTail;
  seed?: number;
  partition?: boolean;
  voxelBatch?: number;
  /**
   * Whole-brain encoding split into blocks of voxels (`shards.encode`): `fit` fits block
   * `index` of `count` of each subject's voxels into `outDir/shards/encode/<sub>/<k>-of-<n>/`;
   * `merge` puts the `count` blocks in `blocksDir` (the run folder) together and writes the maps.
   */
  blocks?: { fit: { index: number; count: number } } | { merge: { count: number; blocksDir: string } };
}

export interface EncodeJobResult {
  summaries: EncodingSummary[];
  /** Run-relative folders written: `subjects/<sub>/encode` per subject. */
  outputs: string[];
  /** One line per subject for the stage table. */
  summary: Record<string, string>;
}

/**
 * The image the maps are drawn on, with its description: the dataset's reference image when the
 * atlas has one, else the mean over time of the subject's first BOLD run, else none.
 */
async function backgroundImage(ds: Dataset, subject: string, resp: SubjectResponses): Promise<{ data: Float32Array; what: string } | null> {
  const files = ds.files[subject];
  const ref = files?.atlas.reference;
  if (ref && resp.source !== 'fmriprep') {
    const image = await readNifti(ref);
    return { data: Float32Array.from(image.data.subarray(0, image.dims[0]! * image.dims[1]! * image.dims[2]!)), what: 'reference image of the BOLD space' };
  }
  const bold = resp.provenance?.firstBold ?? files?.runs.find((r) => r.bold)?.bold;
  if (!bold) return null;
  const image = await readNifti(bold);
  const [nx, ny, nz] = image.dims as [number, number, number];
  const nt = image.dims.length > 3 ? image.dims[3]! : 1;
  const n = nx * ny * nz;
  const mean = new Float32Array(n);
  for (let t = 0; t < nt; t++) for (let i = 0; i < n; i++) mean[i]! += image.data[t * n + i]! / nt;
  return { data: mean, what: `mean functional image (${nt} scans of the first run)` };
}

function matches(space: VoxelSpace, data: Float32Array): boolean {
  return data.length === space.volumeShape[0] * space.volumeShape[1] * space.volumeShape[2];
}

/**
 * The encode stage's job, run by `brain2music encode` and by the pipeline: per subject,
 * voxelwise ridge from each model's features to every voxel, significance against the null with
 * BH FDR, comparisons between models (and optional variance partitioning), written to
 * `outDir/subjects/<sub>/encode/`: maps (NIfTI in the BOLD space, or per-voxel .npy when the
 * voxels have no place in a volume), summary.json, and background.nii.gz (the image the report
 * draws the maps on) when there is one.
 */
export async function encodeJob(input: EncodeJobInput, outDir: string, reporter: Reporter): Promise<EncodeJobResult> {
  const { dataset: ds } = input;
  const summaries: EncodingSummary[] = [];
  const summary: Record<string, string> = {};
  for (const subject of input.subjects) {
    const t0 = Date.now();
    // Without an atlas the labels come back 0: the maps are made all the same, only the per-ROI counts are empty.
    const resp = await loadResponses(ds, subject, { atlas: 'optional', ...input.load });
    let bar: TaskProgress | null = null;
    let current = '';
    const options: EncodeSubjectOptions = {
      delays: input.delays ?? ENCODE_DEFAULTS.delays,
      scansPerClip: input.scansPerClip ?? ALIGN_DEFAULTS.scansPerClip,
      nullKind: input.null ?? ENCODE_DEFAULTS.null,
      cv: input.cv,
      folds: input.folds ?? RIDGE_DEFAULTS.folds,
      alpha: input.fdrQ ?? ENCODE_DEFAULTS.fdrQ,
      nPerm: input.nPerm ?? ENCODE_DEFAULTS.nPerm,
      pTail: input.pTail ?? ENCODE_DEFAULTS.pTail,
      seed: input.seed,
      partition: input.partition,
      voxelBatch: input.voxelBatch,
      onModelProgress: (model, done, total) => {
        if (model !== current || !bar) {
          bar?.end();
          bar = reporter.progress(`${subject} ${model} voxels`);
          current = model;
        }
        bar.update(done, total);
      },
    };
    const blocks = input.blocks;
    if (blocks && 'fit' in blocks) {
      const { index, count } = blocks.fit;
      const range = shardRange(resp.nVoxels, blocks.fit, `shards.encode (voxels of ${subject})`);
      writeVoxelFits(join(outDir, runLayout.encodeShard(subject, index, count)), await fitSubjectVoxels(resp, input.models, options, range));
      (bar as TaskProgress | null)?.end();
      summary[subject] = `voxels ${range[0]}–${range[1] - 1} of ${resp.nVoxels} (block ${index} of ${count})`;
      reporter.info(`${subject}: ${summary[subject]} fitted (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      continue;
    }
    const enc = blocks && 'merge' in blocks
      ? finishSubjectEncoding(concatVoxelFits(Array.from({ length: blocks.merge.count }, (_, k) => readVoxelFits(join(blocks.merge.blocksDir, runLayout.encodeShard(subject, k + 1, blocks.merge.count))))), options)
      : await encodeSubject(resp, input.models, options);
    (bar as TaskProgress | null)?.end();
    const dir = join(outDir, runLayout.encodeDir(subject));
    const s = writeEncodingOutputs(dir, enc, resp.atlas, resp.space);
    const bg = resp.space ? await backgroundImage(ds, subject, resp) : null;
    if (resp.space && resp.atlas.labels.some((l) => l !== 0)) {
      // the atlas in the maps' grid, so a viewer (the report's read-out) names each voxel's region
      writeNifti(join(dir, 'atlas.nii.gz'), { dims: resp.space.volumeShape, data: Int32Array.from(voxelsToVolume(resp.space, resp.atlas.labels)), affine: resp.space.affine, header: { descrip: 'atlas labels of the voxels (names: summary.json rois)' } });
    }
    if (bg && resp.space && matches(resp.space, bg.data)) {
      writeNifti(join(dir, 'background.nii.gz'), { dims: resp.space.volumeShape, data: bg.data, affine: resp.space.affine, header: { descrip: bg.what.slice(0, 79) } });
    }
    summaries.push(s);
    reporter.info(`${subject}: ${s.nVoxels} voxels, ${s.nTrain} training / ${s.nTest} test scans (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    for (const [name, m] of Object.entries(s.models)) {
      const top = m.topRois.slice(0, 3).map((r) => `${r.name} ${r.nSignificant}`).join(', ');
      reporter.info(`  ${name.padEnd(24)} significant ${String(m.nSignificant).padStart(6)}  mean r ${m.meanSignificantR.toFixed(3)}  max r ${m.maxR.toFixed(3)}  top ROIs: ${top || 'none'}`);
    }
    for (const c of s.comparisons) {
      reporter.info(`  ${c.a} vs ${c.b}: both ${c.counts.both}, only ${c.a} ${c.counts.onlyA}, only ${c.b} ${c.counts.onlyB}; ${c.a} better in ${c.eitherSignificant.aBetter}/${c.eitherSignificant.n}`);
    }
    if (s.partition) {
      const p = s.partition;
      reporter.info(`  partition (${p.n} voxels): unique ${p.a} ${p.meanUniqueA.toFixed(4)}, unique ${p.b} ${p.meanUniqueB.toFixed(4)}, shared ${p.meanShared.toFixed(4)} (test R²)`);
    }
    summary[subject] = Object.entries(s.models).map(([n, m]) => `${n} ${m.nSignificant}/${s.nVoxels} significant`).join(', ');
  }
  const fit = input.blocks && 'fit' in input.blocks ? input.blocks.fit : null;
  return { summaries, outputs: input.subjects.map((s) => (fit ? runLayout.encodeShard(s, fit.index, fit.count) : runLayout.encodeDir(s))), summary };
}
