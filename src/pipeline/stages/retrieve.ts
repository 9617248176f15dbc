import { isAbsolute, join, relative, sep } from 'node:path';
import { openDataset } from '../../bids/index.ts';
import { writeJsonAtomic } from '../../io/index.ts';
import { evaluateRetrieval, openLibrary } from '../../library/index.ts';
import { runLayout, runPath, type RetrievalResult } from '../runLayout.ts';
import { datasetRoot } from '../runConfig.ts';
import type { Stage } from '../stage.ts';
import { decodedAndTrue } from './clipEmbeddings.ts';
import { decodeTarget, runSubjects } from './decode.ts';

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
    const store = await openLibrary(runPath(ctx.runDir, runLayout.library));
    const library = await store.readAll();
    store.close();
    const rel = (p: string) => {
      const r = relative(ctx.runDir, p);
      return !r.startsWith('..') && !isAbsolute(r) ? r.split(sep).join('/') : p;
    };
    const summary: Record<string, string> = {};
    for (const subject of runSubjects(ctx.config, ds)) {
      const { clipIds, predicted, truth, dim } = decodedAndTrue(ctx.runDir, subject, decodeTarget(ctx.config));
      const clipGenres = clipIds.map((id) => genres.get(id) ?? null);
      const ev = evaluateRetrieval({ predicted, truth, clipGenres, clipIds: clipIds, library, dim, k: 5, seed: ctx.seed });
      const at = new Map(library.ids.map((id, i) => [id, i]));
      const result: RetrievalResult & { evaluation: typeof ev } = {
        subject,
        librarySize: library.ids.length,
        items: clipIds.map((clipId, q) => {
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
