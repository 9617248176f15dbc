import { join } from 'node:path';
import type { Dataset } from '../../bids/index.ts';
import { createAstTagger, createEmbedder, type AudioTagger } from '../../embed/index.ts';
import { audiosetBranches } from '../../evaluate/index.ts';
import { generatorInfo } from '../../generate/index.ts';
import { RETRIEVE_DEFAULTS } from '../../defaults.ts';
import { openLibrary, searchableLibrary, type LibrarySearchChoice } from '../../library/index.ts';
import type { Reporter } from '../../progress.ts';
import { runLayout } from '../../run/index.ts';
import {
  createGenerationContext, generateSubject, type GenerateSettings, type GenerationContext, type SubjectGenerationMetrics, type SubjectResponseSettings,
} from './generateSubject.ts';
import { buildCaptionGuide } from './captionGuide.ts';

export interface GenerateJobInput {
  /** The run folder holding the decoded predictions and the target's embeddings. */
  runDir: string;
  dataset: Dataset;
  subjects: string[];
  /** The decoding target's model: generated music is embedded with it to be scored. */
  model: GenerationContext['model'];
  /** The library folder (LanceDB) the generator and the genre classifier learn from. */
  db: string;
  /** The library's audio folder (its `params.json` beside it teaches the builtin generator). */
  libraryAudio: string | undefined;
  settings: GenerateSettings;
  responses: SubjectResponseSettings;
  /** The stimulus folder: a simulated one's `params.json` gives the second scoring space (the stimuli's arrangements). */
  stimuliDir?: string;
  /** The run's captions table (the linear text map of generate.guide is fitted on the training clips' captions). */
  captions?: string;
  /** Seconds a short stimulus may be padded when class agreement reads it (the run's maxPadSec, as the embed stage). */
  maxPadSec?: number;
  /** How the library is searched for neighbours and copies (default: RETRIEVE_DEFAULTS.search). */
  search?: LibrarySearchChoice;
}

export interface GenerateJobResult {
  metrics: Record<string, SubjectGenerationMetrics>;
  /** Run-relative folders written: `generated/<sub>` per subject. */
  outputs: string[];
  summary: Record<string, string>;
}

/** One summary line: decoded, oracle and (when re-ranked) the un-re-ranked scores, each with chance. */
export function generationSummaryLine(m: SubjectGenerationMetrics): string {
  const f = (x: number) => x.toFixed(3);
  const rr = m.withoutRerank ? `; without re-ranking ${f(m.withoutRerank.identification.value)}, ${f(m.withoutRerank.genreAgreement.value)}` : '';
  const second = m.secondSpace ? `, in the ${m.secondSpace.space} ${f(m.secondSpace.identification.value)} (oracle ${f(m.secondSpace.oracle.value)})` : '';
  const g = m.promptGuide?.genreNamed;
  const guide = g ? `; caption prompts (${m.promptGuide!.map} map, ${m.promptGuide!.bankSize} captions) name the clip's genre ${f(g.value)} (oracle ${f(g.oracle)}, chance ${f(g.chance)})` : '';
  return `identification ${f(m.identification.value)} (oracle ${f(m.oracle.identification.value)}, chance 0.5)${second}, genre agreement ${f(m.genreAgreement.value)} (oracle ${f(m.oracle.genreAgreement.value)}, chance ${f(m.genreAgreement.chance)})${rr}${guide}; nearest library clip: cosine ≤ ${f(m.novelty.maxCosine)}, cross-correlation ≤ ${f(m.novelty.maxCrossCorrelation)}`;
}

/**
 * The generate stage's job, run by `brain2music generate` and by the pipeline: for every test
 * clip of every subject, new music from the decoded embedding (the time-average of its windows),
 * optionally re-ranked by the subject's encoding model; the same from the true embeddings (the
 * oracle); all of it embedded with the decoding model and scored against the original stimuli
 * (identification, genre agreement, each with chance), and checked against the library for
 * copies. Writes `outDir/generated/<sub>/<clip>_<k>.wav`, `<clip>_<k>.json` (what it was
 * conditioned on) and `metrics.json`.
 */
export async function generateJob(input: GenerateJobInput, outDir: string, reporter: Reporter): Promise<GenerateJobResult> {
  const store = await openLibrary(input.db);
  const m = input.model;
  const metrics: Record<string, SubjectGenerationMetrics> = {};
  const summary: Record<string, string> = {};
  let embedder: Awaited<ReturnType<typeof createEmbedder>> | undefined;
  let tagger: AudioTagger | undefined;
  let ctx: GenerationContext | undefined;
  try {
    // the vectors stay in the store: neighbours and copies are searched through it
    const library = await searchableLibrary(store, input.search ?? RETRIEVE_DEFAULTS.search);
    embedder = await createEmbedder(m.name, { modelDir: m.modelDir, allowDownload: m.allowDownload, layer: m.layer });
    if (input.settings.tagger) {
      tagger = await createAstTagger({ modelDir: input.settings.tagger });
      audiosetBranches(tagger.labels); // a tagger without AudioSet's music classes fails now, not after the music is made
    }
    if (input.settings.guide && !generatorInfo(input.settings.generator).options.includes('prompt')) {
      reporter.warn(`generate.guide: the ${input.settings.generator} generator is not conditioned on text, so the chosen captions are scored but do not steer the music; use "name": "musicgen".`);
    }
    const guide = input.settings.guide ? await buildCaptionGuide(input.settings.guide, input.dataset, input.runDir, m, input.captions) : undefined;
    ctx = await createGenerationContext(library, input.libraryAudio, input.settings, embedder, m, input.stimuliDir, tagger && { tagger, maxPadSec: input.maxPadSec }, guide);
    for (const subject of input.subjects) {
      const bar = reporter.progress(`${subject} generating`);
      try {
        metrics[subject] = await generateSubject(input.dataset, subject, input.responses, input.runDir, ctx, input.settings, join(outDir, runLayout.generated, subject), bar.update);
      } finally {
        bar.end();
      }
      summary[subject] = generationSummaryLine(metrics[subject]!);
      reporter.info(`${subject}: ${summary[subject]}`);
    }
  } finally {
    await ctx?.generator.dispose?.();
    await embedder?.dispose?.();
    await tagger?.dispose();
    store.close();
  }
  return { metrics, outputs: input.subjects.map((s) => `${runLayout.generated}/${s}`), summary };
}
