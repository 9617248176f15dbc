import { fail } from '../errors.ts';
import { formatBounds, gridBounds } from './affine.ts';
import type { ParcellationSource } from './fmriprep.ts';
import { desikanLabels, destrieuxLabels, freesurferCorticalLabels } from './freesurferLabels.ts';
import { readLabelNames } from './readLabelNames.ts';
import { readLabelVolume } from './readLabelVolume.ts';
import { readWorldTransform } from './readWorldTransform.ts';
import { resampleLabels, type LabelVolume } from './resampleLabels.ts';

/** A parcellation resampled onto a BOLD grid, restricted to cortical voxels of a mask. */
export interface GridParcellation {
  /** Kept voxels: flat BOLD indices (file order, ascending), in the mask and cortically labelled. */
  voxelIndices: Int32Array;
  /** The label of each kept voxel. */
  labels: Int32Array;
  /** Names of the labels present. */
  names: Map<number, string>;
  /** Mask voxels considered, and how many of them fell inside the label image's grid. */
  nMaskVoxels: number;
  nInsideGrid: number;
}

/** Names of labels that are not cortex in FreeSurfer-style tables (aseg `Left-…`, white matter, unknown, medial wall). */
const NON_CORTICAL_NAME = /^(Left|Right)-|^wm[-_]|(^|[-_])(Unknown|Medial_wall|corpuscallosum)$/i;

/** FreeSurfer's cortical id ranges (Desikan 1000-1035 / 2000-2035, Destrieux 11100-11175 / 12100-12175, unknown and medial wall included). */
const FREESURFER_CORTEX_RANGES: readonly [number, number][] = [[1000, 1035], [2000, 2035], [11100, 11175], [12100, 12175]];
/** aseg-style names (`Left-Cerebral-White-Matter`, …), whose ids FreeSurfer numbers below 1000. */
const ASEG_NAME = /^(Left|Right)-/;

/**
 * Whether a user's atlas is a FreeSurfer segmentation, numbered as FreeSurfer numbers: it holds
 * an id in FreeSurfer's cortical ranges, an aseg-named label below 1000, or a label whose name is
 * FreeSurfer's name for that very id. An atlas renumbered 1..N keeps its own ids even when its
 * names are FreeSurfer's (`ctx_lh_…` as label 1).
 */
export function isFreeSurferAtlas(present: ReadonlySet<number>, userNames: Map<number, string> | null): boolean {
  const table = freesurferCorticalLabels();
  for (const l of present) {
    if (FREESURFER_CORTEX_RANGES.some(([lo, hi]) => l >= lo && l <= hi)) return true;
    const name = userNames?.get(l);
    if (name !== undefined && ((ASEG_NAME.test(name) && l < 1000) || table.get(l) === name)) return true;
  }
  return false;
}

/**
 * Which labels count as cortex, with their names. FreeSurfer parcellations: the 148 Destrieux or
 * 68 Desikan-Killiany cortical ids (subcortical, white-matter and medial-wall labels are not used).
 * A user's atlas: if it is a FreeSurfer segmentation ({@link isFreeSurferAtlas}) only those
 * cortical ids count; otherwise every label above 0 is a region, named from `userNames` or
 * `label-<id>`, except labels named as non-cortical (`Left-…`, `wm-…`, `Unknown`, `Medial_wall`).
 */
export function corticalLabelNames(kind: ParcellationSource['kind'], present: ReadonlySet<number>, userNames: Map<number, string> | null): Map<number, string> {
  const table = kind === 'destrieux' ? destrieuxLabels() : kind === 'desikan' ? desikanLabels() : freesurferCorticalLabels();
  const out = new Map<number, string>();
  const fsLike = kind !== 'user' || isFreeSurferAtlas(present, userNames);
  for (const l of [...present].sort((a, b) => a - b)) {
    if (fsLike) {
      if (table.has(l)) out.set(l, userNames?.get(l) ?? (table.get(l) as string));
    } else if (l > 0 && !NON_CORTICAL_NAME.test(userNames?.get(l) ?? '')) out.set(l, userNames?.get(l) ?? `label-${l}`);
  }
  return out;
}

/** The most frequent non-zero values of `labels` ("3 (1200 voxels), 42 (980 voxels)"), for error messages. */
function topLabels(labels: Int32Array): string {
  const counts = new Map<number, number>();
  for (const l of labels) if (l !== 0) counts.set(l, (counts.get(l) ?? 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 5);
  return top.length === 0 ? 'only 0' : top.map(([l, n]) => `${l} (${n} voxels)`).join(', ');
}

/**
 * Resample a parcellation to a BOLD grid at the mask voxels (nearest neighbour through both
 * affines and the optional fsnative → T1w transform, see {@link resampleLabels}) and keep the
 * cortically labelled ones. `volume` may be passed already read (tests); else `source.file` is read.
 * Errors: no mask voxel inside the label grid → MISMATCH with both bounding boxes; no cortical
 * label among the mask voxels → BAD_INPUT saying which labels were found and what to do.
 */
export function parcellationOnGrid(source: ParcellationSource, grid: { dims: readonly number[]; affine: ArrayLike<number>; source: string }, maskIndices: Int32Array, volume?: LabelVolume): GridParcellation {
  const vol = volume ?? readLabelVolume(source.file);
  const transform = source.transform ? readWorldTransform(source.transform) : undefined;
  const { labels, inside } = resampleLabels(vol, grid.dims, grid.affine, maskIndices, transform);
  if (inside === 0) {
    fail('MISMATCH', `the parcellation ${source.file} does not overlap the BOLD grid of ${grid.source}: the BOLD voxel centres span ${formatBounds(gridBounds(grid.dims, grid.affine))}, the parcellation's span ${formatBounds(gridBounds(vol.dims, vol.affine))}${transform ? ` (before the transform ${source.transform})` : ''}. The two images must be in the same space (e.g. BOLD in space T1w with FreeSurfer's volumes, or an atlas in the BOLD's template space).`);
  }
  const present = new Set<number>(labels);
  const userNames = source.names ? readLabelNames(source.names) : null;
  const names = corticalLabelNames(source.kind, present, source.kind === 'user' ? userNames : null);
  const keep: number[] = [];
  for (let v = 0; v < labels.length; v++) if (names.has(labels[v])) keep.push(v);
  if (keep.length === 0) {
    const fsIds = 'FreeSurfer cortical labels (Destrieux 11101-11175 / 12101-12175 or Desikan-Killiany 1001-1035 / 2001-2035)';
    const expect = source.kind === 'destrieux' ? 'Destrieux cortical labels 11101-11175 / 12101-12175' : source.kind === 'desikan' ? 'Desikan-Killiany cortical labels 1001-1035 / 2001-2035' : isFreeSurferAtlas(present, userNames) ? fsIds : 'a label above 0';
    fail('BAD_INPUT', `no cortical label of ${source.file} falls inside the BOLD brain mask (${maskIndices.length} mask voxels, ${inside} inside the parcellation's grid; labels found there: ${topLabels(labels)}; expected ${expect}). Check that the parcellation is the subject's (aparc.a2009s+aseg.mgz for Destrieux) and in the BOLD's space, or pass another with --atlas FILE --atlas-names LUT.`);
  }
  const kept = Int32Array.from(keep, (v) => labels[v]);
  const usedNames = new Map<number, string>();
  for (const l of new Set(kept)) usedNames.set(l, names.get(l) as string);
  return {
    voxelIndices: Int32Array.from(keep, (v) => maskIndices[v]),
    labels: kept,
    names: new Map([...usedNames].sort((a, b) => a[0] - b[0])),
    nMaskVoxels: maskIndices.length,
    nInsideGrid: inside,
  };
}
