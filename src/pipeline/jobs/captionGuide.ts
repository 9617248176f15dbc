import type { Dataset } from '../../bids/index.ts';
import { createEmbedder, embedderInfo, readCaptionsTable, readEmbeddings, rowsFor, type Embedder } from '../../embed/index.ts';
import { resolve } from 'node:path';
import { Brain2MusicError, fail } from '../../errors.ts';
import { averageWindows } from '../../evaluate/index.ts';
import { captionNamesGenre, checkBankLeakage, chooseCaptions, fitTextMap, type CaptionBank, type CaptionChoice } from '../../generate/index.ts';
import { runLayout, runPath } from '../../run/index.ts';

/** `generate.guide`: prompts chosen from a caption bank by the decoded embedding (retrieval-guided generation). */
export interface CaptionGuideSettings {
  /** Captions to choose from (TSV clip_id, caption, or the Brain2Music CSV): never the test clips'. */
  bank: string;
  /** The text tower the bank is embedded with. */
  model: string;
  modelDir: string;
  /** 'identity': the decoded embedding is in the text space already (a joint model's music tower); 'linear': mapped by ridge fitted on the training clips; 'auto': identity for the text tower's own music tower. */
  map: 'auto' | 'identity' | 'linear';
  /** Captions joined into one prompt. */
  top: number;
}

/** A bank in the text space, and the way a decoded (clip-level) embedding gets there. */
export interface CaptionGuide {
  bank: CaptionBank;
  map: 'identity' | 'linear';
  top: number;
  toText: (embedding: Float32Array) => Promise<Float32Array>;
  choose: (embedding: Float32Array) => Promise<CaptionChoice>;
}

/** One vector per id from a text tower reading `captions` (windows are ignored by text towers). */
async function embedCaptions(model: string, modelDir: string, captions: string, ids: string[]): Promise<Float32Array> {
  let e: Embedder | undefined;
  try {
    e = await createEmbedder(model, { modelDir, captions });
    return await e.embed(ids.map(() => new Float32Array(1)), { clipIds: ids });
  } finally {
    await e?.dispose?.();
  }
}

/**
 * Builds the caption guide of a run: the bank checked against the test clips (by id, and by
 * text when the run has a captions table), embedded with the text tower; decoded embeddings of
 * `target` reach the text space directly (a joint model) or by the linear map fitted on the
 * training clips' embeddings and captions (`captions`, the run's table).
 */
export async function buildCaptionGuide(s: CaptionGuideSettings, ds: Dataset, runDir: string, targetModel: { name: string; modelDir?: string }, captions: string | undefined): Promise<CaptionGuide> {
  try {
    return await buildGuide(s, ds, runDir, targetModel, captions);
  } catch (err) {
    // the text tower's own errors name --model-dir and --captions: say which settings they mean here
    if (err instanceof Brain2MusicError) throw new Brain2MusicError(err.code, `generate.guide (model ${s.model}, modelDir ${s.modelDir}, bank ${s.bank}): ${err.message}`, { cause: err });
    throw err;
  }
}

async function buildGuide(s: CaptionGuideSettings, ds: Dataset, runDir: string, targetModel: { name: string; modelDir?: string }, captions: string | undefined): Promise<CaptionGuide> {
  const target = targetModel.name;
  const info = embedderInfo(s.model);
  if (!info.options.includes('captions')) fail('BAD_INPUT', `generate.guide.model '${s.model}' is not a text tower; use clap-text or muq-text.`);
  const table = readCaptionsTable(s.bank);
  const ids = [...table.keys()];
  if (ids.length === 0) fail('BAD_FILE', `the caption bank ${s.bank} holds no captions.`);
  const runTable = captions ? readCaptionsTable(captions) : undefined;
  const test = ds.clips.filter((c) => c.split === 'test');
  checkBankLeakage({ ids, captions: ids.map((id) => table.get(id)!) }, test.map((c) => ({ id: c.id, caption: runTable?.get(c.id) })), s.bank);
  const vectors = await embedCaptions(s.model, s.modelDir, s.bank, ids);
  const bank: CaptionBank = { ids, captions: ids.map((id) => table.get(id)!), vectors, dim: vectors.length / ids.length };
  // the same space only when the text tower is the target's own: its pair, from the same model folder
  const joint = embedderInfo(target).textTower === s.model && targetModel.modelDir !== undefined && resolve(targetModel.modelDir) === resolve(s.modelDir);
  const map = s.map === 'auto' ? (joint ? 'identity' : 'linear') : s.map;
  if (map === 'identity' && !joint) fail('BAD_INPUT', `generate.guide.map "identity" needs the decoded embedding to be ${s.model}'s own music tower from the same folder (${embedderInfo(target).textTower ?? 'no text tower'} of ${target}${targetModel.modelDir ? ` in ${targetModel.modelDir}` : ''}); use "linear" (or "auto").`);
  let toText: CaptionGuide['toText'];
  if (map === 'identity') {
    const e = readEmbeddings(runPath(runDir, runLayout.embedding(target).npy));
    if (e.dim !== bank.dim) fail('MISMATCH', `generate.guide.map "identity" compares ${target}'s ${e.dim}-d embeddings with ${s.model}'s ${bank.dim}-d captions; use "linear" (or "auto").`);
    toText = async (x) => x;
  } else {
    if (!runTable) fail('BAD_INPUT', `generate.guide.map "linear" is fitted on the training clips' captions: set "captions" (the run's captions table) in the configuration.`);
    const train = ds.clips.filter((c) => c.split === 'training' && runTable.has(c.id)).map((c) => c.id);
    const e = readEmbeddings(runPath(runDir, runLayout.embedding(target).npy));
    const audio = averageWindows(rowsFor(e, train, 'a training clip with a caption'), train.length, e.nWindows, e.dim);
    const text = await embedCaptions(s.model, s.modelDir, captions!, train);
    toText = await fitTextMap(audio, text, train.length, e.dim, bank.dim);
  }
  return { bank, map, top: s.top, toText, choose: async (x) => chooseCaptions(bank, await toText(x), s.top) };
}

/** P(at least one of `k` captions drawn without replacement from `m` is one of the `hits`): a random prompt's chance. */
function atLeastOneOf(m: number, hits: number, k: number): number {
  let none = 1;
  for (let j = 0; j < k; j++) none *= Math.max(0, m - hits - j) / (m - j);
  return 1 - none;
}

/** How often the chosen prompts name each test clip's genre, against a random bank caption (chance) and the prompts chosen by the true embeddings (oracle). */
export interface PromptGuideMetrics {
  map: 'identity' | 'linear';
  top: number;
  bankSize: number;
  genreNamed: { value: number; chance: number; oracle: number; unit: 'clips'; split: 'test' };
  perClip: { clipId: string; genre: string; prompt: string; oraclePrompt: string }[];
}

/** Scores the prompts of decoded (and true) clip-level embeddings: does the prompt name the clip's genre? */
export async function scorePromptGuide(guide: CaptionGuide, clipIds: readonly string[], genres: readonly string[], decoded: Float32Array, truth: Float32Array, dim: number): Promise<PromptGuideMetrics> {
  const perClip: PromptGuideMetrics['perClip'] = [];
  let hit = 0, oracleHit = 0, chance = 0;
  for (let i = 0; i < clipIds.length; i++) {
    const g = genres[i]!;
    if (!g) continue; // a clip of unknown genre cannot be scored (every caption would "name" the empty genre)
    const p = await guide.choose(decoded.subarray(i * dim, (i + 1) * dim));
    const o = await guide.choose(truth.subarray(i * dim, (i + 1) * dim));
    hit += Number(captionNamesGenre(p.prompt, g));
    oracleHit += Number(captionNamesGenre(o.prompt, g));
    chance += atLeastOneOf(guide.bank.captions.length, guide.bank.captions.filter((c) => captionNamesGenre(c, g)).length, Math.min(guide.top, guide.bank.captions.length));
    perClip.push({ clipId: clipIds[i]!, genre: g, prompt: p.prompt, oraclePrompt: o.prompt });
  }
  const n = perClip.length;
  if (n === 0) fail('BAD_INPUT', 'generate.guide: no test clip has a known genre, so the prompts cannot be scored.');
  return { map: guide.map, top: guide.top, bankSize: guide.bank.ids.length, genreNamed: { value: hit / n, chance: chance / n, oracle: oracleHit / n, unit: 'clips', split: 'test' }, perClip };
}
