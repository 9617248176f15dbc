import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { openDataset } from '../../bids/index.ts';
import { readEmbeddings } from '../../embed/index.ts';
import { readNpy, writeJsonAtomic } from '../../io/index.ts';
import { evaluateRetrieval, openLibrary } from '../../library/index.ts';
import { runLayout, runPath, type RetrievalResult } from '../runLayout.ts';
import { datasetRoot } from '../runConfig.ts';
import type { Stage } from '../stage.ts';
import { decodeTarget, runSubjects } from './decode.ts';

/** Averages `n × windows × dim` over windows → `n × dim`. */
function windowMean(data: Float32Array, n: number, windows: number, dim: number): Float32Array {
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++)
    for (let w = 0; w < windows; w++)
      for (let d = 0; d < dim; d++) out[i * dim + d]! += data[(i * windows + w) * dim + d]! / windows;
  return out;
}

/**
 * retrieve: per subject, the top-k library tracks by cosine similarity to each test clip's
 * decoded embedding (windows averaged), with the oracle (the clip's true embedding) and chance
 * (a random track), in `RUN/retrieval/<sub>.json`.
 */
export const retrieveStage: Stage = {
  name: 'retrieve',
  title: 'retrieve library music closest to each decoded embedding',
  needs: ['decode', 'library'],
  async plan(ctx) {
    const ds = await openDataset(datasetRoot(ctx.config));
    const subjects = runSubjects(ctx.config, ds);
    const emb = runLayout.embedding(decodeTarget(ctx.config));
    return {
      inputs: [runPath(ctx.runDir, runLayout.library), runPath(ctx.runDir, emb.npy), ...subjects.map((s) => runPath(ctx.runDir, runLayout.decodeDir(s)))],
      outputs: subjects.map((s) => runLayout.retrievalFile(s)),
      params: { k: 5, seed: ctx.seed },
    };
  },
  async run(ctx) {
    const ds = await openDataset(datasetRoot(ctx.config));
    const genres = new Map(ds.clips.map((c) => [c.id, c.genre]));
    const truthAll = readEmbeddings(runPath(ctx.runDir, runLayout.embedding(decodeTarget(ctx.config)).npy));
    const { meta } = truthAll;
    const store = await openLibrary(runPath(ctx.runDir, runLayout.library));
    const library = await store.readAll();
    store.close();
    const rel = (p: string) => {
      const r = relative(ctx.runDir, p);
      return !r.startsWith('..') && !isAbsolute(r) ? r.split(sep).join('/') : p;
    };
    const summary: Record<string, string> = {};
    for (const subject of runSubjects(ctx.config, ds)) {
      const dir = runPath(ctx.runDir, runLayout.decodeDir(subject));
      const info = JSON.parse(readFileSync(join(dir, 'predictions.json'), 'utf8')) as { clipIds: string[] };
      const pred = readNpy(join(dir, 'predictions.npy'));
      const [n, W, dim] = pred.shape as [number, number, number];
      const predicted = windowMean(pred.data as Float32Array, n, W, dim);
      const rowOf = new Map(meta.clipIds.map((id, i) => [id, i]));
      const block = meta.windowStarts.length * meta.dim;
      const truthRows = new Float32Array(n * meta.windowStarts.length * meta.dim);
      info.clipIds.forEach((id, i) => truthRows.set(truthAll.data.subarray(rowOf.get(id)! * block, (rowOf.get(id)! + 1) * block), i * block));
      const truth = windowMean(truthRows, n, meta.windowStarts.length, meta.dim);
      const clipGenres = info.clipIds.map((id) => genres.get(id) ?? null);
      const ev = evaluateRetrieval({ predicted, truth, clipGenres, clipIds: info.clipIds, library, dim, k: 5, seed: ctx.seed });
      const at = new Map(library.ids.map((id, i) => [id, i]));
      const result: RetrievalResult & { evaluation: typeof ev } = {
        subject,
        librarySize: library.ids.length,
        items: info.clipIds.map((clipId, q) => {
          const c = ev.perClip[q]!;
          return {
            clipId,
            genre: clipGenres[q] ?? '',
            retrieved: c.retrievedIds.map((id, j) => ({ id, genre: library.genres[at.get(id)!] ?? '', score: c.scores[j]!, audio: rel(library.paths[at.get(id)!]!) })),
            oracle: [{ id: c.oracleId, genre: library.genres[at.get(c.oracleId)!] ?? '' }],
          };
        }),
        genreAgreement: { value: ev.genreAgreement.predicted, chance: ev.genreAgreement.chanceExpected, oracle: ev.genreAgreement.oracle },
        identification: { value: ev.identification.predicted, chance: 0.5, oracle: ev.identification.oracle },
        evaluation: ev,
      };
      writeJsonAtomic(join(ctx.outDir, runLayout.retrievalFile(subject)), result);
      summary[subject] = `genre agreement ${ev.genreAgreement.predicted.toFixed(3)} (oracle ${ev.genreAgreement.oracle.toFixed(3)}, chance ${ev.genreAgreement.chanceExpected.toFixed(3)})`;
    }
    return summary;
  },
};
