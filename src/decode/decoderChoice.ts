import { fail } from '../errors.ts';

/**
 * A voxel selection learned on training data (see `fitSelectionDecoder` for how it is nested in
 * the cross-validation):
 * - `encoding-top`: the `n` voxels best predicted by an encoding model from the target embedding
 *   (highest encoding CV r; `n` above the number of voxels is clamped, with a note);
 * - `encoding-r`: every voxel whose encoding CV r exceeds `threshold` (0 ≤ threshold < 1);
 * - `all`: every voxel (no selection).
 */
export type VoxelSelection = { kind: 'encoding-top'; n: number } | { kind: 'encoding-r'; threshold: number } | { kind: 'all' };

/** The decoder `decodeSubject` fits: the paper's ROI ensemble (needs an atlas) or a voxel-selection decoder. */
export type DecoderChoice = { kind: 'roi-ensemble' } | VoxelSelection;

/** The string forms, for messages and help texts. */
export const DECODER_FORMS = 'encoding:N (the N voxels best predicted by an encoding model from the target embedding, e.g. encoding:3000), encoding-r:T (every voxel with encoding CV r > T, e.g. encoding-r:0.05), all (every voxel) or rois (the ROI ensemble; needs an atlas)';

const INTEGER = /^[0-9]+$/;
const DECIMAL = /^[0-9]*\.?[0-9]+(?:e-?[0-9]+)?$/i;

/**
 * Checks a decoder choice given as an object and returns it: `n` a positive integer,
 * `threshold` a number in [0, 1). Fails (BAD_INPUT) naming the bad value.
 */
export function checkDecoderChoice(c: DecoderChoice): DecoderChoice {
  switch (c.kind) {
    case 'roi-ensemble':
    case 'all':
      return c;
    case 'encoding-top':
      if (!Number.isInteger(c.n) || c.n < 1) fail('BAD_INPUT', `encoding:${c.n}: the number of voxels must be a positive integer, e.g. encoding:3000.`);
      return c;
    case 'encoding-r':
      if (!Number.isFinite(c.threshold) || c.threshold < 0 || c.threshold >= 1) {
        fail('BAD_INPUT', `encoding-r:${c.threshold}: the encoding CV r threshold must be in [0, 1), e.g. encoding-r:0.05; for every voxel use all.`);
      }
      return c;
    default:
      return fail('BAD_INPUT', `decoder kind '${String((c as { kind: unknown }).kind)}' is unknown; use one of ${DECODER_FORMS}.`);
  }
}

/**
 * Parses a decoder's string form: `encoding:3000` → `{ kind: 'encoding-top', n: 3000 }`,
 * `encoding-r:0.05` → `{ kind: 'encoding-r', threshold: 0.05 }`, `all`, `rois`
 * (surrounding spaces ignored). Fails (BAD_INPUT) on anything else, listing the valid forms.
 *
 * @example parseDecoderChoice('encoding:3000') // { kind: 'encoding-top', n: 3000 }
 */
export function parseDecoderChoice(text: string): DecoderChoice {
  const s = text.trim();
  if (s === 'all') return { kind: 'all' };
  if (s === 'rois') return { kind: 'roi-ensemble' };
  const m = /^(encoding|encoding-r):(.*)$/.exec(s);
  if (!m) return fail('BAD_INPUT', `decoder '${text}' is not one of the forms ${DECODER_FORMS}.`);
  const [, kind, value] = m;
  if (kind === 'encoding') {
    if (!INTEGER.test(value)) fail('BAD_INPUT', `decoder '${text}': after 'encoding:' give a whole number of voxels, e.g. encoding:3000 (for a threshold on the encoding CV r use encoding-r:0.05).`);
    return checkDecoderChoice({ kind: 'encoding-top', n: Number(value) });
  }
  if (!DECIMAL.test(value)) fail('BAD_INPUT', `decoder '${text}': after 'encoding-r:' give an encoding CV r threshold in [0, 1), e.g. encoding-r:0.05.`);
  return checkDecoderChoice({ kind: 'encoding-r', threshold: Number(value) });
}

/** The string form of a decoder choice (the inverse of {@link parseDecoderChoice}): `encoding:3000`, `encoding-r:0.05`, `all`, `rois`. */
export function formatDecoderChoice(c: DecoderChoice): string {
  switch (c.kind) {
    case 'roi-ensemble': return 'rois';
    case 'all': return 'all';
    case 'encoding-top': return `encoding:${c.n}`;
    case 'encoding-r': return `encoding-r:${c.threshold}`;
  }
}
