import { GENERATE_DEFAULTS } from '../defaults.ts';
import { fail } from '../errors.ts';
import { cosineTopK } from '../library/index.ts';
import { fitRidgeCV, logspace, predictRidge } from '../ridge/index.ts';

/** Captions in a text tower's space: `vectors` is n × dim, row i the caption of `ids[i]`. */
export interface CaptionBank {
  ids: string[];
  captions: string[];
  vectors: Float32Array;
  dim: number;
}

/** The captions a decoded embedding chose, best first, and the prompt made of them. */
export interface CaptionChoice {
  prompt: string;
  captions: { id: string; caption: string; score: number }[];
}

/**
 * Retrieval-guided prompting: the `top` bank captions nearest (cosine) to an embedding already in
 * the text tower's space, joined into one prompt, best first.
 */
export function chooseCaptions(bank: CaptionBank, query: Float32Array, top: number = GENERATE_DEFAULTS.guideTop): CaptionChoice {
  if (query.length !== bank.dim) fail('MISMATCH', `a ${query.length}-d query cannot be compared with the caption bank's ${bank.dim}-d text vectors; map it into the text space first.`);
  const hits = cosineTopK(bank.vectors, query, bank.dim, Math.min(top, bank.ids.length));
  const captions = Array.from(hits.indices, (i, j) => ({ id: bank.ids[i]!, caption: bank.captions[i]!, score: hits.scores[j]! }));
  return { prompt: captions.map((c) => c.caption.trim().replace(/[.\s]+$/, '')).join('. '), captions };
}

/**
 * The bank must not hold what is being reconstructed: a caption of a test clip, by clip id or by
 * the same text (a caption table written for all clips and then split would leak it).
 */
export function checkBankLeakage(bank: Pick<CaptionBank, 'ids' | 'captions'>, testClips: readonly { id: string; caption?: string }[], source: string): void {
  const testIds = new Set(testClips.map((c) => c.id));
  const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
  const testTexts = new Map(testClips.flatMap((c) => (c.caption ? [[norm(c.caption), c.id] as const] : [])));
  const byId = bank.ids.filter((id) => testIds.has(id));
  const byText = bank.captions.flatMap((c, i) => (!testIds.has(bank.ids[i]!) && testTexts.has(norm(c)) ? [`${bank.ids[i]} (the caption of test clip ${testTexts.get(norm(c))})`] : []));
  const bad = [...byId, ...byText];
  if (bad.length > 0) fail('BAD_INPUT', `the caption bank ${source} holds ${bad.length} caption(s) of test clips: ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', …' : ''}. A prompt chosen from the test clips' own captions would leak them: use the training clips' captions or another caption set.`);
}

/**
 * The linear map from an audio embedding into a text tower's space (Ciferri et al. 2025), fitted
 * by ridge (alpha per text dimension by 5-fold CV) on the training clips: their clip-level audio
 * embeddings (n × dAudio) against the text vectors of their captions (n × dText).
 */
export async function fitTextMap(audio: Float32Array, text: Float32Array, n: number, dAudio: number, dText: number): Promise<(embedding: Float32Array) => Promise<Float32Array>> {
  if (audio.length !== n * dAudio || text.length !== n * dText) fail('MISMATCH', `fitTextMap: ${n} clips need ${n * dAudio} audio and ${n * dText} text values, got ${audio.length} and ${text.length}.`);
  if (n < 5) fail('BAD_INPUT', `the text map is fitted on the training clips' captions: ${n} clip(s) have one, 5 folds need at least 5.`);
  const fit = await fitRidgeCV({ rows: n, cols: dAudio, data: audio }, { rows: n, cols: dText, data: text }, { alphas: logspace(-2, 6, 17), folds: 5 });
  return async (e) => Float32Array.from((await predictRidge(fit, { rows: 1, cols: dAudio, data: e })).data);
}

/** Whether a caption names a genre (GTZAN names; hiphop also as "hip hop" / "hip-hop"). */
export function captionNamesGenre(caption: string, genre: string): boolean {
  const words = genre === 'hiphop' ? ['hiphop', 'hip hop', 'hip-hop'] : [genre];
  const text = caption.toLowerCase();
  return words.some((w) => new RegExp(`(^|[^a-z])${w.replace(/[-]/g, '\\-')}([^a-z]|$)`).test(text));
}
