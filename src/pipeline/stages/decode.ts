import { join } from 'node:path';
import { fail } from '../../errors.ts';
import { loadResponses, openDataset, type Dataset } from '../../bids/index.ts';
import { decodeOutputs, decodeSubject } from '../../decode/index.ts';
import { readEmbeddings } from '../../embed/index.ts';
import { writeJsonAtomic, writeNifti, writeNpy } from '../../io/index.ts';
import { runLayout, runPath } from '../runLayout.ts';
import { datasetRoot, type RunConfig } from '../runConfig.ts';
import type { Stage } from '../stage.ts';
import { progressByTask } from './stageProgress.ts';

/** The subjects a run analyses: the configured list (each checked against the dataset) or all. */
export function runSubjects(config: RunConfig, ds: Dataset): string[] {
  if (config.subjects === 'all') return ds.subjects;
  for (const s of config.subjects) {
    if (!ds.subjects.includes(s)) fail('NOT_FOUND', `subject ${s} is not in ${ds.root} (subjects: ${ds.subjects.join(', ')}); fix "subjects" in the configuration.`);
  }
  return config.subjects;
}

/** The embedding model decoded: `decode.target`, else the first configured embedding. */
export function decodeTarget(config: RunConfig): string {
  return config.decode.target ?? config.embeddings[0]!.name;
}

/**
 * decode: per subject, the ROI-ensemble decoder from fMRI to the target embedding (ridge per
 * ROI, the top-k ROIs by training CV averaged), predictions and metrics for the test clips, in
 * `RUN/subjects/<sub>/decode/`: predictions.npy|.json, identification.npy, rois.json,
 * metrics.json, and rois.nii.gz (the selected ROIs, labelled by rank) when the voxels have a
 * place in a volume.
 */
export const decodeStage: Stage = {
  name: 'decode',
  title: 'decode the music embedding from each subject\'s brain responses',
  needs: ['embed'],
  async plan(ctx) {
    const ds = await openDataset(datasetRoot(ctx.config));
    const target = decodeTarget(ctx.config);
    const emb = runLayout.embedding(target);
    return {
      inputs: [datasetRoot(ctx.config), runPath(ctx.runDir, emb.npy), runPath(ctx.runDir, emb.json)],
      outputs: runSubjects(ctx.config, ds).map((s) => runLayout.decodeDir(s)),
      params: { target, align: ctx.config.align, decode: ctx.config.decode },
    };
  },
  async run(ctx) {
    const ds = await openDataset(datasetRoot(ctx.config));
    const target = decodeTarget(ctx.config);
    const e = readEmbeddings(runPath(ctx.runDir, runLayout.embedding(target).npy));
    const emb = { data: e.data, clipIds: e.meta.clipIds, nWindows: e.meta.windowStarts.length, dim: e.meta.dim, windowStarts: e.meta.windowStarts, windowSec: e.meta.windowSec, model: e.meta.model };
    const genres = new Map(ds.clips.map((c) => [c.id, c.genre]));
    const genreOf = (id: string) => genres.get(id) ?? id.split('.')[0]!;
    const summary: Record<string, string> = {};
    for (const subject of runSubjects(ctx.config, ds)) {
      const t0 = performance.now();
      const resp = await loadResponses(ds, subject);
      const res = await decodeSubject(resp, emb, {
        lagTr: ctx.config.align.lagTr, scansPerClip: ctx.config.align.scansPerClip, k: ctx.config.decode.topRois, folds: ctx.config.decode.folds,
        genreOf, onProgress: progressByTask(ctx, subject),
      });
      const out = decodeOutputs(res, { subject, target, tr: resp.tr, windowStarts: emb.windowStarts, windowSec: emb.windowSec, cvScore: 'nested', seconds: (performance.now() - t0) / 1000 }, genreOf);
      const dir = join(ctx.outDir, runLayout.decodeDir(subject));
      writeNpy(join(dir, 'predictions.npy'), out.predictions.data, out.predictions.shape);
      writeNpy(join(dir, 'identification.npy'), out.identification.data, out.identification.shape);
      writeJsonAtomic(join(dir, 'predictions.json'), out.predictionsJson);
      writeJsonAtomic(join(dir, 'rois.json'), out.roisJson);
      writeJsonAtomic(join(dir, 'metrics.json'), out.metricsJson);
      if (resp.space) {
        const { volumeShape, affine, voxelIndices } = resp.space;
        const vol = new Uint8Array(volumeShape[0] * volumeShape[1] * volumeShape[2]);
        res.ensemble.members.forEach((m, rank) => {
          for (const v of m.roi.voxels) vol[voxelIndices[v]!] = rank + 1;
        });
        writeNifti(join(dir, 'rois.nii.gz'), { dims: volumeShape, data: vol, affine, header: { descrip: 'selected decoding ROIs (value = rank)' } });
      }
      if (res.clamped.length > 0) ctx.ui.warn(`${subject}: ${res.clamped.length} presentations ran past their run's last scan with lag ${res.lagTr} TR; clamped to the last scan (count in metrics.json).`);
      const m = res.reports.roiEnsemble.test;
      summary[subject] = `identification ${m.identification.clips.value.toFixed(3)} (chance 0.5), ${m.nWayTop1.n}-way top-1 ${m.nWayTop1.value.toFixed(3)} (chance ${m.nWayTop1.chance.toFixed(3)})`;
    }
    return summary;
  },
};
