import { DECODE_DEFAULTS } from '../defaults.ts';
import type { DecoderChoice } from './decoderChoice.ts';
import type { AtlasLike } from './roiList.ts';

/** Voxels of the default voxel-selection decoder (declared in defaults.ts, with why a count). */
export const DEFAULT_ENCODING_VOXELS = DECODE_DEFAULTS.encodingVoxels;

/** Which decoder applies when none is asked for, and why (one line for a stage table). */
export interface DefaultDecoder {
  choice: DecoderChoice;
  /** The string form: `rois` or `encoding:3000`. */
  label: string;
  /** E.g. `no atlas: decoding with encoding:3000` or `atlas with 148 regions: ROI ensemble`. */
  reason: string;
}

/**
 * The decoder `decodeSubject` uses without a `decoder` option: the paper's ROI ensemble when the
 * atlas labels at least one voxel, else `encoding:3000` (see {@link DEFAULT_ENCODING_VOXELS}; with
 * fewer voxels than that, all of them: the reason says so). Pure; never throws.
 *
 * @param atlas per-voxel labels (0 = none) or null when the subject has no atlas
 * @param nVoxels voxels of the responses (V)
 */
export function defaultDecoder(atlas: AtlasLike | null | undefined, nVoxels: number): DefaultDecoder {
  const regions = new Set<number>();
  if (atlas) for (const l of atlas.labels) if (l !== 0) regions.add(l);
  if (regions.size > 0) return { choice: { kind: 'roi-ensemble' }, label: 'rois', reason: `atlas with ${regions.size} region${regions.size === 1 ? '' : 's'}: ROI ensemble` };
  const label = `encoding:${DEFAULT_ENCODING_VOXELS}`;
  const clamp = nVoxels < DEFAULT_ENCODING_VOXELS ? ` (all ${nVoxels} voxels: fewer than ${DEFAULT_ENCODING_VOXELS})` : '';
  return { choice: { kind: 'encoding-top', n: DEFAULT_ENCODING_VOXELS }, label, reason: `no atlas: decoding with ${label}${clamp}` };
}
