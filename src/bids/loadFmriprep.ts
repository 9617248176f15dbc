import { join } from 'node:path';
import { DATASET_DEFAULTS } from '../defaults.ts';
import { fail } from '../errors.ts';
import { maskToIndices, niftiAffine, readNiftiHeader, readNiftiMasked, readNiftiSync } from '../io/index.ts';
import { findFmriprepRuns, findParcellation, parseSpace, type ParcellationSource } from './fmriprep.ts';
import type { LoadResponsesOptions } from './loadResponses.ts';
import { parcellationOnGrid } from './parcellationOnGrid.ts';
import { regressConfounds } from './regressConfounds.ts';
import { CONFOUNDS_MODES, readMotionConfounds } from './readMotionConfounds.ts';
import { checkFinite, finishRun, testMeanOfRuns } from './responseRuns.ts';
import type { Dataset, RunResponses, SubjectResponses } from './types.ts';

const AFFINE_TOLERANCE = 1e-3; // mm: fMRIPrep writes one grid per space, so its files agree to float32 precision

function maxAffineDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < 16; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/**
 * The 'fmriprep' source of {@link loadResponses}. Events, TR and schedule come from the raw BIDS
 * dataset `ds`; for each run the fMRIPrep preprocessed BOLD in the chosen space is read at the
 * selected voxels (the intersection of every run's brain mask with the cortical labels of the
 * parcellation resampled to the BOLD grid), its volumes checked against the events, the motion
 * confounds regressed out (with an intercept), then the running-median detrend, the duplicate
 * first clip's scans cut, and the per-run z-score, exactly as for raw runs. The voxel space is
 * the BOLD's grid and affine, so maps are written in that space.
 */
export async function loadFmriprep(ds: Dataset, subject: string, opts: LoadResponsesOptions): Promise<Omit<SubjectResponses, 'subject' | 'tr' | 'presentations' | 'source'>> {
  const fm = opts.fmriprep ?? {};
  const dir = fm.dir ?? join(ds.root, 'derivatives', 'fmriprep');
  const space = parseSpace(fm.space ?? DATASET_DEFAULTS.space);
  const mode = fm.confounds ?? DATASET_DEFAULTS.confounds;
  if (!CONFOUNDS_MODES.includes(mode)) fail('BAD_INPUT', `confounds '${mode}' is not one of ${CONFOUNDS_MODES.join(', ')}.`);
  if (opts.mask) fail('BAD_INPUT', `a mask (${opts.mask}) is not used with source fmriprep: voxels are fMRIPrep's brain mask ∩ the parcellation's cortical labels. Pass an atlas file to choose other voxels.`);
  const files = findFmriprepRuns(dir, subject, space, ds.schedule.map((s) => ({ task: s.task, run: s.run })));
  const first = files[0].bold;
  const h = await readNiftiHeader(first);
  const dims = h.dims.slice(0, 3);
  const affine = niftiAffine(h);
  const nGrid = dims[0] * dims[1] * dims[2];
  // Voxels inside every run's brain mask (per-run masks differ by a few voxels at the edge).
  const inAll = new Uint8Array(nGrid).fill(1);
  for (const f of files) {
    const m = readNiftiSync(f.mask);
    if (m.dims.slice(0, 3).join('×') !== dims.join('×') || maxAffineDiff(m.affine, affine) > AFFINE_TOLERANCE) {
      fail('MISMATCH', `${f.mask} (${m.dims.slice(0, 3).join('×')}) is not on the grid of ${first} (${dims.join('×')}); every run's mask and BOLD must share the space's grid.`);
    }
    for (let i = 0; i < nGrid; i++) if (m.data[i] === 0 || Number.isNaN(m.data[i])) inAll[i] = 0;
  }
  const maskIdx = maskToIndices(inAll);
  if (maskIdx.length === 0) fail('BAD_INPUT', `the brain masks of ${subject} (${files.map((f) => f.mask).join(', ')}) share no voxel.`);
  let source: ParcellationSource;
  if (opts.atlasFile) source = { kind: 'user', file: opts.atlasFile, transform: null, names: opts.atlasNames ?? null };
  else {
    if (space.space !== 'T1w') {
      fail('BAD_INPUT', `FreeSurfer's parcellations are in ${subject}'s anatomical (T1w) space, but the BOLD is in space ${space.space}; an affine resampling cannot bridge a nonlinear normalisation. Use space T1w, or pass an atlas in ${space.space} (--atlas FILE [--atlas-names LUT]).`);
    }
    source = findParcellation(dir, subject, { choice: fm.parcellation, freesurfer: fm.freesurfer, firstBold: first });
  }
  const parc = parcellationOnGrid(source, { dims, affine, source: first }, maskIdx);
  const voxelIndices = parc.voxelIndices;
  const nVoxels = voxelIndices.length;
  const runs: RunResponses[] = [];
  for (let r = 0; r < ds.schedule.length; r++) {
    const s = ds.schedule[r];
    const f = files[r];
    const img = await readNiftiMasked(f.bold, voxelIndices);
    if (img.dims.slice(0, 3).join('×') !== dims.join('×') || maxAffineDiff(img.affine, affine) > AFFINE_TOLERANCE) {
      fail('MISMATCH', `${f.bold} (${img.dims.slice(0, 3).join('×')}) is not on the grid of ${first} (${dims.join('×')}); all runs of one space share a grid in fMRIPrep's outputs.`);
    }
    if (img.nVolumes !== s.nScansInFile) {
      fail('MISMATCH', `${f.bold} has ${img.nVolumes} volumes but ${s.eventsFile} describes ${s.nScansInFile} (last event end / TR ${ds.tr} s); the preprocessed run and its events do not match (was the run cut, or non-steady-state volumes dropped?).`);
    }
    checkFinite(img.data, nVoxels, f.bold);
    if (mode !== 'none') {
      const c = readMotionConfounds(f.confounds, mode);
      if (c.nScans !== img.nVolumes) fail('MISMATCH', `${f.confounds} has ${c.nScans} rows but ${f.bold} has ${img.nVolumes} volumes; the confounds table must have one row per volume of its run.`);
      regressConfounds(img.data, img.nVolumes, nVoxels, c.data, c.columns.length);
    }
    runs.push(finishRun(img.data, nVoxels, s, ds.tr, opts));
    opts.onProgress?.(runs.length, ds.schedule.length);
  }
  return {
    nVoxels, runs,
    atlas: { labels: parc.labels, names: parc.names },
    space: { volumeShape: [dims[0], dims[1], dims[2]], affine, voxelIndices },
    testMean: testMeanOfRuns(ds, runs, nVoxels),
    provenance: {
      fmriprepDir: dir, space: space.res ? `${space.space}:res-${space.res}` : space.space, confounds: mode, firstBold: first,
      parcellation: source, nMaskVoxels: parc.nMaskVoxels, nInsideGrid: parc.nInsideGrid, nVoxels,
    },
  };
}
