import { fail } from '../../errors.ts';

/**
 * A part of the brain aligned on its own (one ridge map or one shared response model per block):
 * its label and name, and its voxels in each subject (ascending column indices of that subject's
 * responses; the counts differ between subjects). Block-wise maps are what keep functional
 * alignment affordable at ds003720's size: a dense map between two 60k-voxel subjects would hold
 * 3.6·10⁹ weights (14 GB in float32), the maps between their ~150 ROIs about 2.5·10⁷ (100 MB).
 */
export interface AlignmentBlock {
  label: number;
  name: string;
  /** Subject id → that subject's voxels of the block. */
  voxels: ReadonlyMap<string, Int32Array>;
}

/** One subject's atlas labels (one per voxel, 0 = none) and their names. */
export interface LabelledSubject {
  subject: string;
  labels: Int32Array;
  names: ReadonlyMap<number, string>;
}

/**
 * One block per atlas region that every subject has (with at least `minVoxels` voxels each), by
 * ascending label: a source's region r is mapped to the reference's region r, so the map only
 * needs to find corresponding voxels within a region (anatomy roughly aligned, function not).
 * Names come from the first subject's label names (`label-<n>` when it has none).
 *
 * @throws BAD_INPUT when no region is shared by all subjects
 */
export function roiBlocks(subjects: readonly LabelledSubject[], minVoxels = 1): AlignmentBlock[] {
  if (subjects.length === 0) fail('BAD_INPUT', 'roiBlocks needs at least one subject.');
  const perSubject = subjects.map((s) => {
    const byLabel = new Map<number, number[]>();
    s.labels.forEach((l, v) => {
      if (l === 0) return;
      let list = byLabel.get(l);
      if (!list) byLabel.set(l, (list = []));
      list.push(v);
    });
    return byLabel;
  });
  const shared = [...perSubject[0].keys()]
    .filter((l) => perSubject.every((m) => (m.get(l)?.length ?? 0) >= minVoxels))
    .sort((a, b) => a - b);
  if (shared.length === 0) {
    fail('BAD_INPUT', `no atlas region has at least ${minVoxels} voxel${minVoxels === 1 ? '' : 's'} in every one of ${subjects.map((s) => s.subject).join(', ')}; ROI-wise alignment needs the same atlas (e.g. Destrieux) in every subject, or decode with a voxel selection (--voxels encoding:3000).`);
  }
  return shared.map((label) => ({
    label,
    name: subjects[0].names.get(label) ?? `label-${label}`,
    voxels: new Map(subjects.map((s, i) => [s.subject, Int32Array.from(perSubject[i].get(label)!)])),
  }));
}

/**
 * One block made of each subject's own selected voxels (e.g. its 3,000 best voxels by an encoding
 * model fitted on its training clips): the map relates whichever voxels carry the stimulus in each
 * brain, with no anatomical correspondence assumed.
 *
 * @param label, name how the block is called (e.g. the decoder's label and `encoding:3000`)
 */
export function selectionBlock(subjects: readonly { subject: string; voxels: Int32Array }[], label: number, name: string): AlignmentBlock[] {
  for (const s of subjects) if (s.voxels.length === 0) fail('BAD_INPUT', `${s.subject} has no selected voxel to align.`);
  return [{ label, name, voxels: new Map(subjects.map((s) => [s.subject, s.voxels])) }];
}

/** A block's voxels in `subject`, failing clearly when the block was built without that subject. */
export function blockVoxels(block: AlignmentBlock, subject: string): Int32Array {
  const v = block.voxels.get(subject);
  if (!v) return fail('INTERNAL', `alignment block ${block.name} has no voxels for ${subject}; build the blocks with every subject aligned.`);
  return v;
}
