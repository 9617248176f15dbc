import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { alignWindows } from '../../align/index.ts';
import { loadResponses, type Dataset, type LoadResponsesOptions } from '../../bids/index.ts';
import { cutWindows, embedderInfo, readEmbeddings, rowsFor, windowStarts, type Embedder } from '../../embed/index.ts';
import { fail } from '../../errors.ts';
import { averageWindows, identificationWithUncertainty, type ClassAgreement, type ScoreWithUncertainty } from '../../evaluate/index.ts';
import {
  decodeParameters, evaluateGeneration, fitParameterDecoder, fitResponsePredictor, generateClips, generatorInfo, GM_FAMILIES, likeliestGenre,
  noveltyCheck, PITCHED_PARTS, withEmbeddingGuidance,
  type ClipGeneration, type GeneratedClip, type GenerationEvaluation, type Generator, type GeneratorName, type MusicAttributes, type ParameterDecoder,
  type RerankOptions,
} from '../../generate/index.ts';
import { atRate, resample } from '../../dsp/index.ts';
import { readAudio, writeJsonAtomic, writeWav } from '../../io/index.ts';
import type { SearchableLibrary } from '../../library/index.ts';
import { GENRES, type Arrangement } from '../../music/index.ts';
import { runLayout, runPath } from '../../run/index.ts';
import { mapConcurrent } from '../../workerPool.ts';
import type { EmbedModel } from './embed.ts';
import { arrangementOf, arrangementSpace, stimulusArrangements, type ArrangementSpace } from './arrangementSpace.ts';
import { decodedAndTrue } from './decodedAndTrue.ts';
import { generationClassAgreement, type TaggerContext } from './generationClasses.ts';
import { scorePromptGuide, type CaptionGuide, type CaptionGuideSettings, type PromptGuideMetrics } from './captionGuide.ts';

/** How the generate stage (and `brain2music generate`) runs. */
export interface GenerateSettings {
  generator: GeneratorName;
  modelDir: string | undefined;
  /** Samples kept per test clip. */
  samples: number;
  /** Candidates drawn and re-ranked by the subject's encoding model (0: no re-ranking). */
  rerank: number;
  /** Draws per sample, the one whose embedding is closest to the conditioning embedding kept (1: none). */
  guidance: number;
  temperature: number;
  seed: number;
  durationSec: number;
  /** AudioSet tagger folder (AST): class agreement of the generated music with the stimuli (absent: not scored). */
  tagger?: string;
  /** Retrieval-guided prompts from a caption bank (absent: prompts written from attributes). */
  guide?: CaptionGuideSettings;
}

/** What the generators and scorers share for one run: the library, its parameter decoder, the embedder. */
export interface GenerationContext {
  library: SearchableLibrary;
  decoder: ParameterDecoder | undefined;
  generator: Generator;
  embedder: Embedder;
  model: EmbedModel & { hopSec: number };
  /** Genre label of a clip-level embedding (the library-fitted classifier). */
  classify: (e: Float32Array) => Promise<string>;
  /** Music generated from each clip's true embedding (its embedding and arrangement): the same for every subject, so made once. */
  oracleCache: Map<string, { embedding: Float32Array; clip: GeneratedClip }>;
  /** The second scoring space (simulated library and stimuli only) and the stimuli's arrangements. */
  secondSpace?: { space: ArrangementSpace; stimuli: Record<string, Arrangement> };
  /** Library clips at the novelty check's rate, loaded once. */
  libraryAudioCache: Map<string, Float32Array>;
  /** windows × dim embedding of each generated clip's audio: guidance, re-ranking and scoring embed the same clip once. */
  clipEmbeddingCache: WeakMap<Float32Array, Float32Array>;
  /** The AudioSet tagger of class agreement, when the run names one. */
  tagger?: TaggerContext;
  /** The caption bank prompts are chosen from, when the run names one. */
  guide?: CaptionGuide;
}

/** Rate of the waveform copy check: a copy at 22 kHz is still a copy at 8 kHz, at a tenth of the FFT cost. */
const NOVELTY_RATE = 8000;

/** `params.json` beside a simulated library's audio folder: the arrangement of every library clip. */
export function libraryParamsFile(libraryAudio: string | undefined): string | undefined {
  const p = libraryAudio ? resolve(libraryAudio, '..', 'params.json') : undefined;
  return p && existsSync(p) ? p : undefined;
}

/** Musical attributes for a text prompt, from the parameter decoder. */
function attributesFrom(decoder: ParameterDecoder) {
  return async (e: Float32Array): Promise<MusicAttributes> => {
    const [p] = await decodeParameters(decoder, e, 1);
    const genres = GENRES.map((name, g) => ({ name, p: p!.genreProbs[g]! })).sort((a, b) => b.p - a.p);
    const instruments: string[] = PITCHED_PARTS.filter((part) => part === 'chords' || p!.presence[part as 'bass' | 'lead' | 'pad'] >= 0.5)
      .map((part) => GM_FAMILIES[p!.families[part].indexOf(Math.max(...p!.families[part]))]!);
    if (p!.presence.drums >= 0.5) instruments.push('drums');
    return { genres, tempoBpm: p!.tempo, minorProbability: p!.minorProbability, instruments: [...new Set(instruments)], energy: (p!.density + p!.dynamics) / 2 };
  };
}

/** Genre words alone, voted by the 10 nearest library tracks (a library without generating parameters). */
function attributesFromNeighbours(library: SearchableLibrary) {
  return async (e: Float32Array): Promise<MusicAttributes> => {
    const top = await library.nearest(e, Math.min(10, library.ids.length));
    const votes = new Map<string, number>();
    for (const i of top.indices) {
      const g = library.genres[i];
      if (g) votes.set(g, (votes.get(g) ?? 0) + 1 / top.indices.length);
    }
    return { genres: [...votes].map(([name, p]) => ({ name, p })).sort((a, b) => b.p - a.p), instruments: [] };
  };
}

/**
 * Builds the generator a run asks for. The builtin generator and the genre classifier learn
 * from the library's embeddings and, where the library carries them (the simulated one does),
 * its generating parameters.
 */
export async function createGenerationContext(
  library: SearchableLibrary, libraryAudio: string | undefined, settings: GenerateSettings, embedder: Embedder, model: GenerationContext['model'], stimuliDir?: string, tagger?: Omit<TaggerContext, 'cache'>, guide?: CaptionGuide,
): Promise<GenerationContext> {
  const paramsFile = libraryParamsFile(libraryAudio);
  let decoder: ParameterDecoder | undefined;
  let secondSpace: GenerationContext['secondSpace'];
  if (paramsFile) {
    const params = JSON.parse(readFileSync(paramsFile, 'utf8')) as { clips: Record<string, Arrangement> };
    const known = library.ids.map((id, i) => [id, i] as const).filter(([id]) => params.clips[id]);
    const rows = await library.vectorsAt(known.map(([, i]) => i));
    const vectors = new Float32Array(known.length * library.dim);
    known.forEach(([, i], k) => vectors.set(rows.get(i)!, k * library.dim));
    decoder = await fitParameterDecoder(vectors, library.dim, known.map(([id]) => params.clips[id]!));
    const stimuli = stimuliDir ? stimulusArrangements(stimuliDir) : undefined;
    if (stimuli) secondSpace = { space: arrangementSpace(known.map(([id]) => params.clips[id]!)), stimuli };
  }
  const embedding = { embedder, model, clipEmbeddingCache: new WeakMap<Float32Array, Float32Array>() };
  const name = settings.generator;
  const info = generatorInfo(name);
  if (info.needsParameters && !decoder) fail('BAD_INPUT', `the ${name} generator learns from a library with generating parameters (params.json beside ${libraryAudio ?? 'the library audio'}), which this library lacks; use "generate": {"name": "musicgen", "modelDir": …} or switch generation off ("generate": null).`);
  if (info.needsModelDir && !settings.modelDir) fail('BAD_INPUT', `the ${name} generator needs a model folder: set "generate.modelDir" (or --model-dir) to ${info.modelHint ?? 'its model folder'}.`);
  const made = await info.create({ modelDir: settings.modelDir, decoder, describe: decoder ? attributesFrom(decoder) : attributesFromNeighbours(library), ...(guide ? { prompt: guide.choose } : {}) });
  const generator = withEmbeddingGuidance(made, { candidates: settings.guidance, embed: (clip) => clipEmbedding(embedding, clip) });
  // Genre label of a clip-level embedding: the decoder's genre classifier, else the nearest library track's genre.
  const classify = decoder
    ? async (e: Float32Array) => likeliestGenre((await decodeParameters(decoder!, e, 1))[0]!)
    : async (e: Float32Array) => library.genres[(await library.nearest(e, 1)).indices[0]!] ?? 'unknown';
  return { ...embedding, library, decoder, generator, classify, oracleCache: new Map(), libraryAudioCache: new Map(), ...(secondSpace ? { secondSpace } : {}), ...(tagger ? { tagger: { ...tagger, cache: new Map() } } : {}), ...(guide ? { guide } : {}) };
}

/** Embeds one generated clip into `windows × dim` with the stimuli's windows. */
async function embedWindows(ctx: Pick<GenerationContext, 'embedder' | 'model' | 'clipEmbeddingCache'>, clip: GeneratedClip): Promise<Float32Array> {
  const cached = ctx.clipEmbeddingCache.get(clip.samples);
  if (cached) return cached;
  const sr = ctx.embedder.sampleRate;
  const x = clip.sampleRate === sr ? clip.samples : resample(clip.samples, clip.sampleRate, sr);
  const windowSec = ctx.model.windowSec ?? embedderInfo(ctx.model.name).defaultWindowSec;
  const clipSec = Math.min(15, x.length / sr);
  const starts = clipSec >= windowSec ? windowStarts(clipSec, windowSec, ctx.model.hopSec) : [0];
  const e = await ctx.embedder.embed(cutWindows(x, sr, starts, windowSec));
  ctx.clipEmbeddingCache.set(clip.samples, e);
  return e;
}

/** One clip's windows × dim embedding → its time average. */
const windowMeanOf = (e: Float32Array, dim: number) => averageWindows(e, 1, e.length / dim, dim);

/** A generated clip's embedding averaged over its windows (what guidance and scoring compare), cached in the context. */
export async function clipEmbedding(ctx: Pick<GenerationContext, 'embedder' | 'model' | 'clipEmbeddingCache'>, clip: GeneratedClip): Promise<Float32Array> {
  return windowMeanOf(await embedWindows(ctx, clip), ctx.embedder.dim);
}

/**
 * The subject's encoding model for re-ranking, fitted on its training clips' windows, and the
 * measured responses of its test clips (repetitions averaged) on the model's voxels.
 */
async function rerankFor(ds: Dataset, subject: string, responses: SubjectResponseSettings, runDir: string, ctx: GenerationContext, clipIds: string[], candidates: number): Promise<RerankOptions> {
  const target = ctx.model.name;
  const e = readEmbeddings(runPath(runDir, runLayout.embedding(target).npy));
  const { windowStarts: starts, windowSec, dim } = e;
  const W = starts.length;
  const resp = await loadResponses(ds, subject, responses.load);
  const windows = starts.map((s) => ({ start: s, end: s + windowSec }));
  const opts = { lagTr: responses.lagTr, scansPerClip: responses.scansPerClip };
  const train = alignWindows(resp, 'training', windows, opts);
  const test = alignWindows(resp, 'test', windows, opts);
  const X = rowsFor(e, train.clipIds, `a training clip of ${subject}`);
  const V = resp.nVoxels;
  const predictor = await fitResponsePredictor(X, train.data, train.clipIds.length * W, dim, V, train.groups, 2000);
  const testRow = new Map(test.clipIds.map((id, i) => [id, i]));
  const measured = clipIds.map((id) => {
    const c = testRow.get(id) ?? fail('MISMATCH', `test clip ${id} has no responses for ${subject}.`);
    const out = new Float32Array(W * predictor.voxels.length);
    for (let w = 0; w < W; w++) predictor.voxels.forEach((v, k) => { out[w * predictor.voxels.length + k] = test.data[(c * W + w) * V + v]!; });
    return out;
  });
  return { candidates, predictor, measured, embedWindows: (clip) => embedWindows(ctx, clip) };
}

/** How a subject's responses are read and aligned (for re-ranking by its encoding model). */
export interface SubjectResponseSettings {
  load?: LoadResponsesOptions;
  lagTr: number;
  scansPerClip: number;
}

/** `generated/<sub>/metrics.json`. */
export interface SubjectGenerationMetrics {
  subject: string;
  generator: string;
  settings: Omit<GenerateSettings, 'modelDir'>;
  /** Generated from the decoded embeddings (re-ranked when settings.rerank > 0). */
  identification: GenerationEvaluation['identification'];
  /** Genre agreement by the library-fitted genre classifier (the fallback of `classAgreement`). */
  genreAgreement: GenerationEvaluation['genreAgreement'];
  /** What labelled `genreAgreement`. */
  genreClassifier: 'library-fitted';
  /** The paper's class agreement, by an AudioSet tagger (generate.tagger), with the oracle's and chance. */
  classAgreement?: ClassAgreement;
  /** Retrieval-guided prompts (generate.guide): how often the prompt chosen by the decoded embedding names the clip's genre. */
  promptGuide?: PromptGuideMetrics;
  decoded: GenerationEvaluation;
  /** The same draws without re-ranking (the first candidate of each clip), when re-ranked. */
  withoutRerank?: GenerationEvaluation;
  /** Generated from the true embeddings of the stimuli: what the generator allows. */
  oracle: GenerationEvaluation;
  /**
   * Identification in a second space that embedding guidance never used (the simulator's musical
   * features of the generated and the original arrangements), decoded and oracle; absent where the
   * stimuli or the generated clips have no arrangement (real data, MusicGen).
   */
  secondSpace?: { space: string; identification: ScoreWithUncertainty; oracle: ScoreWithUncertainty };
  /** Closeness of the generated audio to the library it learned from (a copy scores cross-correlation ≈ 1). */
  novelty: { perClip: { clipId: string; maxCosine: number; maxCrossCorrelation: number; nearest: string }[]; maxCosine: number; maxCrossCorrelation: number };
}

/**
 * Generates music for one subject's test clips and scores it; writes `<outDir>/<clip>_<k>.wav`,
 * `<clip>_<k>.json` (what it was conditioned on) and `metrics.json`.
 */
export async function generateSubject(
  ds: Dataset, subject: string, responses: SubjectResponseSettings, runDir: string, ctx: GenerationContext,
  settings: GenerateSettings, outDir: string, onProgress?: (done: number, total: number) => void,
): Promise<SubjectGenerationMetrics> {
  const d = decodedAndTrue(runDir, subject, ctx.model.name);
  const options = { samples: settings.samples, seed: settings.seed, temperature: settings.temperature, durationSec: settings.durationSec };
  const rerank = settings.rerank > 0 ? await rerankFor(ds, subject, responses, runDir, ctx, d.clipIds, settings.rerank) : undefined;
  const gens: ClipGeneration[] = await generateClips(ctx.generator, d.predictedWindows, d.clipIds, d.windows, d.dim, options, rerank, onProgress);
  const oracleKey = (i: number) => `${d.clipIds[i]}:${settings.seed}:${settings.temperature}`;
  const missing = d.clipIds.map((_, i) => i).filter((i) => !ctx.oracleCache.has(oracleKey(i)));
  await mapConcurrent(missing, ctx.generator.concurrency ?? 1, async (i) => {
    // the seed generateClips gives clip i, so a cached oracle equals a fresh one
    const [g] = await generateClips(ctx.generator, d.truth.subarray(i * d.dim, (i + 1) * d.dim), [d.clipIds[i]!], 1, d.dim, { ...options, samples: 1, seed: options.seed + 1000 * i });
    const clip = g!.clips[0]!;
    ctx.oracleCache.set(oracleKey(i), { embedding: windowMeanOf(await embedWindows(ctx, clip), d.dim), clip });
  });

  const n = d.clipIds.length;
  const kept = new Float32Array(n * d.dim);
  const first = new Float32Array(n * d.dim);
  const oracle = new Float32Array(n * d.dim);
  const novelty: SubjectGenerationMetrics['novelty']['perClip'] = [];
  const at = new Map(ctx.library.ids.map((id, i) => [id, i]));
  for (const [i, g] of gens.entries()) {
    for (const [k, clip] of g.clips.entries()) {
      writeWav(join(outDir, `${g.clipId}_${k}.wav`), clip.samples, clip.sampleRate);
      writeJsonAtomic(join(outDir, `${g.clipId}_${k}.json`), { ...clip.conditioning, rerankScore: g.candidateScores.length ? [...g.candidateScores].sort((a, b) => b - a)[k] : undefined });
    }
    const best = g.clips[0]!;
    const emb = windowMeanOf(await embedWindows(ctx, best), d.dim);
    kept.set(emb, i * d.dim);
    first.set(g.candidateScores.length ? windowMeanOf(await embedWindows(ctx, g.candidates[0]!), d.dim) : emb, i * d.dim);
    oracle.set(ctx.oracleCache.get(oracleKey(i))!.embedding, i * d.dim);
    const load = async (id: string) => {
      const cache = ctx.libraryAudioCache;
      if (!cache.has(id)) cache.set(id, atRate(await readAudio(ctx.library.paths[at.get(id)!]!), NOVELTY_RATE).subarray(0, 15 * NOVELTY_RATE));
      return cache.get(id)!;
    };
    const nv = await noveltyCheck(resample(best.samples, best.sampleRate, NOVELTY_RATE), emb, ctx.library, load, 3);
    novelty.push({ clipId: g.clipId, maxCosine: nv.maxCosine, maxCrossCorrelation: nv.maxCrossCorrelation, nearest: nv.nearest[0]?.id ?? '' });
  }
  const labels = async (m: Float32Array) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(await ctx.classify(m.subarray(i * d.dim, (i + 1) * d.dim)));
    return out;
  };
  const originalGenres = await labels(d.truth);
  const evaluate = async (generated: Float32Array) => evaluateGeneration(d.clipIds, d.truth, generated, d.dim, originalGenres, await labels(generated));
  const decoded = await evaluate(kept);
  const { modelDir: _omit, ...shown } = settings;
  const metrics: SubjectGenerationMetrics = {
    subject,
    generator: ctx.generator.name,
    settings: shown,
    identification: decoded.identification,
    genreAgreement: decoded.genreAgreement,
    genreClassifier: 'library-fitted',
    ...(ctx.guide ? { promptGuide: await scorePromptGuide(ctx.guide, d.clipIds, d.clipIds.map((id) => ds.clips.find((c) => c.id === id)?.genre ?? ''), d.predicted, d.truth, d.dim) } : {}),
    ...(ctx.tagger ? { classAgreement: await generationClassAgreement(ctx.tagger, runDir, ctx.model.name, d.clipIds, gens.map((g) => g.clips[0]!), d.clipIds.map((_, i) => ctx.oracleCache.get(oracleKey(i))!.clip), d.clipIds.map((_, i) => oracleKey(i))) } : {}),
    decoded,
    withoutRerank: rerank ? await evaluate(first) : undefined,
    oracle: await evaluate(oracle),
    ...secondSpaceScores(ctx, d.clipIds, gens.map((g) => g.clips[0]!), d.clipIds.map((_, i) => ctx.oracleCache.get(oracleKey(i))!.clip)),
    novelty: { perClip: novelty, maxCosine: Math.max(...novelty.map((x) => x.maxCosine)), maxCrossCorrelation: Math.max(...novelty.map((x) => x.maxCrossCorrelation)) },
  };
  writeJsonAtomic(join(outDir, 'metrics.json'), metrics);
  return metrics;
}

/**
 * Generated-music identification in the context's second space: the kept clips' and the oracle
 * clips' arrangement features against the stimuli's; nothing when any of them lacks an arrangement.
 */
function secondSpaceScores(ctx: GenerationContext, clipIds: readonly string[], kept: readonly GeneratedClip[], oracle: readonly GeneratedClip[]): { secondSpace?: SubjectGenerationMetrics['secondSpace'] } {
  const s = ctx.secondSpace;
  if (!s) return {};
  const original = clipIds.map((id) => s.stimuli[id]);
  const made = kept.map(arrangementOf);
  const fromTruth = oracle.map(arrangementOf);
  if ([...original, ...made, ...fromTruth].some((a) => a === undefined)) return {};
  const n = clipIds.length;
  const stack = (as: (Arrangement | undefined)[]) => {
    const out = new Float32Array(n * s.space.dim);
    as.forEach((a, i) => out.set(s.space.features(a!), i * s.space.dim));
    return out;
  };
  const truth = stack(original);
  const opts = { unit: 'clips', split: 'test', seed: 0 } as const;
  return {
    secondSpace: {
      space: s.space.name,
      identification: identificationWithUncertainty(stack(made), truth, n, s.space.dim, opts),
      oracle: identificationWithUncertainty(stack(fromTruth), truth, n, s.space.dim, opts),
    },
  };
}
