import { readEmbeddings, type AudioTagger } from '../../embed/index.ts';
import { resample } from '../../dsp/index.ts';
import { fail } from '../../errors.ts';
import { classAgreement, type ClassAgreement } from '../../evaluate/index.ts';
import type { GeneratedClip } from '../../generate/index.ts';
import { runLayout, runPath } from '../../run/index.ts';
import { readStimulusAudio } from './embed.ts';

/** The AudioSet tagger of a run and what it has labelled (the stimuli and the oracle music are the same for every subject). */
export interface TaggerContext {
  tagger: AudioTagger;
  /** The run's maxPadSec: a stimulus is read exactly as the embed stage read it. */
  maxPadSec?: number;
  /** Class probabilities by `original:<clip>` and `oracle:<oracle key>`. */
  cache: Map<string, Float32Array>;
}

/**
 * Class agreement (top-2 genres, top-2 instruments, top-1 mood) of a subject's generated music
 * with the stimuli it was decoded from, and of the music generated from the true embeddings (the
 * oracle), as the AudioSet tagger labels them. The stimuli are read from where the decoding
 * target's embeddings recorded them.
 */
export async function generationClassAgreement(
  t: TaggerContext, runDir: string, model: string, clipIds: readonly string[], kept: readonly GeneratedClip[], oracle: readonly GeneratedClip[], oracleKeys: readonly string[],
): Promise<ClassAgreement> {
  const sr = t.tagger.sampleRate;
  const tagClip = (c: GeneratedClip) => t.tagger.tag(c.sampleRate === sr ? c.samples : resample(c.samples, c.sampleRate, sr));
  const cached = async (key: string, make: () => Promise<Float32Array>) => {
    if (!t.cache.has(key)) t.cache.set(key, await make());
    return t.cache.get(key)!;
  };
  const embeddings = runPath(runDir, runLayout.embedding(model).npy);
  const sources = readEmbeddings(embeddings).meta.sources ?? {};
  const original: Float32Array[] = [];
  for (const id of clipIds) {
    original.push(await cached(`original:${id}`, async () => {
      const src = sources[id] ?? fail('NOT_FOUND', `class agreement tags the stimuli's audio, but ${embeddings} records no audio for clip ${id} (the ${model} model read none); decode a model that embeds the audio, or leave generate.tagger out.`);
      return t.tagger.tag(await readStimulusAudio(id, src, sr, t.maxPadSec));
    }));
  }
  const reconstruction: Float32Array[] = [];
  for (const c of kept) reconstruction.push(await tagClip(c));
  const fromTruth: Float32Array[] = [];
  for (const [i, c] of oracle.entries()) fromTruth.push(await cached(`oracle:${oracleKeys[i]}`, () => tagClip(c)));
  return classAgreement({ classifier: t.tagger.name, labels: t.tagger.labels, clipIds, original, reconstruction, oracle: fromTruth });
}
