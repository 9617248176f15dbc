import { join } from 'node:path';
import { fail } from '../../errors.ts';
import { loadResponses, openDataset, type Dataset } from '../../bids/index.ts';
import { encodeSubject, genreOneHot, readFeatureSpace, writeEncodingOutputs, type EncodingModelSpec, type FeatureSpace } from '../../encode/index.ts';
import { readNifti, writeNifti, type NiftiImage } from '../../io/index.ts';
import { runLayout, runPath } from '../runLayout.ts';
import { datasetRoot, type RunConfig } from '../runConfig.ts';
import type { Stage } from '../stage.ts';
import { runSubjects } from './decode.ts';

/** The encoding feature spaces: `encode.spaces`, else every embedding model plus the genre control. */
export function encodeSpaces(config: RunConfig): string[] {
  const names = config.encode?.spaces ?? [...config.embeddings.map((e) => e.name).filter((n) => n !== 'genre'), 'genre'];
  for (const n of names) {
    if (n !== 'genre' && !config.embeddings.some((e) => e.name === n)) {
      fail('BAD_INPUT', `encode.spaces names '${n}', which is not in "embeddings" (${config.embeddings.map((e) => e.name).join(', ')}) and is not 'genre'; add it to "embeddings" or remove it.`);
    }
  }
  return names;
}

/**
 * The image the maps are drawn on, with its description: the dataset's reference image when the
 * atlas has one, else the mean over time of the subject's first raw BOLD run, else none.
 */
async function backgroundImage(ds: Dataset, subject: string): Promise<{ image: NiftiImage; data: Float32Array; what: string } | null> {
  const files = ds.files[subject];
  const ref = files?.atlas.reference;
  if (ref) {
    const image = await readNifti(ref);
    return { image, data: Float32Array.from(image.data.subarray(0, image.dims[0]! * image.dims[1]! * image.dims[2]!)), what: 'reference image of the BOLD space' };
  }
  const bold = files?.runs.find((r) => r.bold)?.bold;
  if (!bold) return null;
  const image = await readNifti(bold);
  const [nx, ny, nz] = image.dims as [number, number, number];
  const nt = image.dims.length > 3 ? image.dims[3]! : 1;
  const n = nx * ny * nz;
  const mean = new Float32Array(n);
  for (let t = 0; t < nt; t++) for (let i = 0; i < n; i++) mean[i]! += image.data[t * n + i]! / nt;
  return { image, data: mean, what: `mean functional image (${nt} scans of the first run)` };
}

/**
 * encode: per subject, voxelwise ridge from each feature space to every cortical voxel,
 * significance against the configured null (block permutations by default, or the paper's Gaussian) with BH FDR, comparisons between spaces; the encode
 * stage's maps and summary.json in `RUN/subjects/<sub>/encode/`, plus `background.nii.gz`, the
 * image the report draws the maps on.
 */
export const encodeStage: Stage = {
  name: 'encode',
  title: 'map where each kind of music information is encoded (voxelwise models, FDR)',
  needs: ['embed'],
  async plan(ctx) {
    if (!ctx.config.encode) return { skip: 'switched off ("encode": null)' };
    const ds = await openDataset(datasetRoot(ctx.config));
    const spaces = encodeSpaces(ctx.config);
    return {
      inputs: [datasetRoot(ctx.config), ...spaces.filter((s) => s !== 'genre').flatMap((s) => Object.values(runLayout.embedding(s)).map((p) => runPath(ctx.runDir, p)))],
      outputs: runSubjects(ctx.config, ds).map((s) => runLayout.encodeDir(s)),
      params: { spaces, encode: ctx.config.encode, lagTr: ctx.config.align.lagTr, seed: ctx.seed },
    };
  },
  async run(ctx) {
    const ds = await openDataset(datasetRoot(ctx.config));
    const cfg = ctx.config.encode!;
    const models: EncodingModelSpec[] = encodeSpaces(ctx.config).map((name) => {
      const space: FeatureSpace = name === 'genre' ? genreOneHot(ds.clips.map((c) => ({ id: c.id, genre: c.genre }))) : readFeatureSpace(runPath(ctx.runDir, runLayout.embedding(name).npy));
      return { name: space.name, spaces: [space] };
    });
    const summary: Record<string, string> = {};
    for (const subject of runSubjects(ctx.config, ds)) {
      const resp = await loadResponses(ds, subject);
      let bar: ReturnType<typeof ctx.progress> | null = null;
      let current = '';
      const enc = await encodeSubject(resp, models, {
        seed: ctx.seed,
        folds: cfg.folds,
        alpha: cfg.fdrQ,
        nullKind: cfg.null,
        nPerm: cfg.nPerm,
        onModelProgress: (model, done, total) => {
          if (model !== current || !bar) {
            bar?.end();
            bar = ctx.progress(`${subject} ${model} voxels`);
            current = model;
          }
          bar.update(done, total);
        },
      });
      (bar as ReturnType<typeof ctx.progress> | null)?.end();
      const dir = join(ctx.outDir, runLayout.encodeDir(subject));
      const s = writeEncodingOutputs(dir, enc, resp.atlas, resp.space);
      const bg = resp.space ? await backgroundImage(ds, subject) : null;
      if (bg && resp.space) {
        writeNifti(join(dir, 'background.nii.gz'), { dims: resp.space.volumeShape, data: bg.data, affine: resp.space.affine, header: { descrip: bg.what.slice(0, 79) } });
      }
      summary[subject] = Object.entries(s.models).map(([n, m]) => `${n} ${m.nSignificant}/${s.nVoxels} significant`).join(', ');
    }
    return summary;
  },
};
