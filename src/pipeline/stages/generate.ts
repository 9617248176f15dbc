import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDataset } from '../../bids/index.ts';
import { createEmbedder } from '../../embed/index.ts';
import { createBuiltinGenerator, evaluateGeneration, fitParameterDecoder, generateClips } from '../../generate/index.ts';
import { resample, writeJsonAtomic, writeWav } from '../../io/index.ts';
import { cosineTopK, embedExcerpt, openLibrary } from '../../library/index.ts';
import type { Arrangement } from '../../simulate/index.ts';
import { runLayout, runPath } from '../runLayout.ts';
import { datasetRoot, type RunConfig } from '../runConfig.ts';
import type { Stage } from '../stage.ts';
import { decodedAndTrue } from './clipEmbeddings.ts';
import { decodeTarget, runSubjects } from './decode.ts';
import { libraryAudio } from './library.ts';

/** The generating parameters of the library's clips (`params.json` beside a simulated library's audio). */
function libraryParamsFile(config: RunConfig): string | undefined {
  const audio = libraryAudio(config);
  const p = audio ? resolve(audio, '..', 'params.json') : undefined;
  return p && existsSync(p) ? p : undefined;
}

/**
 * generate: for every test clip of every subject, new music from the decoded embedding (the
 * time-average of its windows). The builtin generator learns embedding → musical parameters on
 * the music library (which must carry its generating parameters, as the simulated one does),
 * composes and renders. Writes `RUN/generated/<sub>/<clip>.wav` with `<clip>.json` (what it was
 * conditioned on) and `metrics.json`: the generated audio embedded with the same model and
 * scored against the original stimuli (identification, genre agreement by the library's nearest
 * track, each with chance).
 */
export const generateStage: Stage = {
  name: 'generate',
  title: 'generate music from each decoded embedding',
  needs: ['decode', 'library'],
  async plan(ctx) {
    const g = ctx.config.generate;
    if (!g) return { skip: 'switched off ("generate": null)' };
    if (g.name !== 'builtin') return { skip: `generator '${g.name}' is not wired into the pipeline in this build (the pipeline runs 'builtin')` };
    const params = libraryParamsFile(ctx.config);
    if (!params) return { skip: 'the builtin generator learns from a library with generating parameters (params.json), which this library lacks' };
    const ds = await openDataset(datasetRoot(ctx.config));
    const subjects = runSubjects(ctx.config, ds);
    return {
      inputs: [params, runPath(ctx.runDir, runLayout.library), ...Object.values(runLayout.embedding(decodeTarget(ctx.config))).map((p) => runPath(ctx.runDir, p)), ...subjects.map((s) => runPath(ctx.runDir, runLayout.decodeDir(s)))],
      outputs: subjects.map((s) => `${runLayout.generated}/${s}`),
      params: { generate: g, seed: ctx.seed, samples: 1, temperature: 1, durationSec: 15 },
    };
  },
  async run(ctx) {
    const ds = await openDataset(datasetRoot(ctx.config));
    const target = decodeTarget(ctx.config);
    const model = ctx.config.embeddings.find((e) => e.name === target)!;
    const store = await openLibrary(runPath(ctx.runDir, runLayout.library));
    const library = await store.readAll();
    store.close();
    const params = JSON.parse(readFileSync(libraryParamsFile(ctx.config)!, 'utf8')) as { clips: Record<string, Arrangement> };
    const known = library.ids.map((id, i) => [id, i] as const).filter(([id]) => params.clips[id]);
    const vectors = new Float32Array(known.length * library.dim);
    known.forEach(([, i], k) => vectors.set(library.vectors.subarray(i * library.dim, (i + 1) * library.dim), k * library.dim));
    const decoder = await fitParameterDecoder(vectors, library.dim, known.map(([id]) => params.clips[id]!));
    const generator = createBuiltinGenerator({ decoder });
    const embedder = await createEmbedder(model.name, { modelDir: model.modelDir, allowDownload: model.allowDownload });
    // Genre label of a clip-level embedding: the genre of its nearest library track.
    const classify = (e: Float32Array) => library.genres[cosineTopK(library.vectors, e, library.dim, 1).indices[0]!] ?? 'unknown';
    const summary: Record<string, string> = {};
    try {
      for (const subject of runSubjects(ctx.config, ds)) {
        const d = decodedAndTrue(ctx.runDir, subject, target);
        const bar = ctx.progress(`${subject} clips`);
        const gens = await generateClips(generator, d.predictedWindows, d.clipIds, d.windows, d.dim, { samples: 1, seed: ctx.seed, temperature: 1, durationSec: 15 }, undefined, bar.update);
        bar.end();
        const dir = join(ctx.outDir, runLayout.generated, subject);
        const generated = new Float32Array(d.clipIds.length * d.dim);
        for (const [i, g] of gens.entries()) {
          const clip = g.clips[0]!;
          writeWav(join(dir, `${g.clipId}.wav`), clip.samples, clip.sampleRate);
          writeJsonAtomic(join(dir, `${g.clipId}.json`), clip.conditioning);
          const samples = clip.sampleRate === embedder.sampleRate ? clip.samples : resample(clip.samples, clip.sampleRate, embedder.sampleRate);
          generated.set(await embedExcerpt(samples, embedder, { hopSec: model.hopSec, windowSec: model.windowSec }), i * d.dim);
        }
        const ev = evaluateGeneration(d.clipIds, d.truth, generated, d.dim, classify);
        writeJsonAtomic(join(dir, 'metrics.json'), { subject, generator: 'builtin', ...ev });
        summary[subject] = `identification ${ev.identification.value.toFixed(3)} (chance 0.5), genre agreement ${ev.genreAgreement.value.toFixed(3)} (chance ${ev.genreAgreement.chance.toFixed(3)})`;
      }
    } finally {
      await embedder.dispose?.();
    }
    return summary;
  },
};
