import { fail } from '../../errors.ts';

/** Rows of two subjects' window-aligned data that show the same clip and window. */
export interface ClipRowMatch {
  /** The clips both subjects have, in the reference's order. */
  clipIds: string[];
  /** Row `i` of the match is row `sourceRows[i]` of the source and `referenceRows[i]` of the reference (clip-major, `clipIds.length × nWindows` rows). */
  sourceRows: Int32Array;
  referenceRows: Int32Array;
  /** Clip index (into `clipIds`) of each matched row: the CV groups that keep a clip's windows in one fold. */
  groups: Int32Array;
  nWindows: number;
}

/**
 * Pairs the rows of a source and a reference subject by clip id and window, whatever order each
 * subject heard the clips in; clips only one of them has (e.g. a subject limited to its first
 * training runs) are left out.
 *
 * @param source, reference clip ids of `clips × nWindows` row-major window data (row `c·W + w`)
 * @throws MISMATCH when the window counts differ, BAD_INPUT when fewer than 2 clips are shared
 */
export function matchClipRows(
  source: { clipIds: readonly string[]; nWindows: number },
  reference: { clipIds: readonly string[]; nWindows: number },
): ClipRowMatch {
  const W = reference.nWindows;
  if (source.nWindows !== W) fail('MISMATCH', `the two subjects' responses are aligned to ${source.nWindows} and ${W} windows per clip; align both to the same embedding windows.`);
  const at = new Map(source.clipIds.map((id, i) => [id, i]));
  const clipIds: string[] = [];
  const src: number[] = [];
  const ref: number[] = [];
  const groups: number[] = [];
  reference.clipIds.forEach((id, r) => {
    const s = at.get(id);
    if (s === undefined) return;
    const g = clipIds.length;
    clipIds.push(id);
    for (let w = 0; w < W; w++) {
      src.push(s * W + w);
      ref.push(r * W + w);
      groups.push(g);
    }
  });
  if (clipIds.length < 2) fail('BAD_INPUT', `the two subjects share ${clipIds.length} training clip${clipIds.length === 1 ? '' : 's'}; functional alignment is learnt on the clips both heard and needs at least 2 (ds003720: 480).`);
  return { clipIds, sourceRows: Int32Array.from(src), referenceRows: Int32Array.from(ref), groups: Int32Array.from(groups), nWindows: W };
}
