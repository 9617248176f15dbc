import { isAbsolute, join, relative, sep } from 'node:path';
import { RETRIEVE_DEFAULTS } from '../../defaults.ts';
import { writeJsonAtomic } from '../../io/index.ts';
import { evaluateRetrieval, openLibrary } from '../../library/index.ts';
import { runLayout, type RetrievalResult } from '../../run/index.ts';
import { decodedAndTrue } from './decodedAndTrue.ts';

export interface RetrieveJobInput {
  /** The run folder holding each subject's decoded predictions and the target's embeddings. */
  runDir: string;
  /** The library folder (LanceDB) to search. */
  db: string;
  subjects: string[];
  /** The embedding model decoded (the library must hold the same model's vectors). */
  target: string;
  genreOf: (clipId: string) => string | null;
  /** Tracks kept per query (default 5). */
  k?: number;
  /** Seed of the random-track chance baseline. */
  seed: number;
}

export interface RetrieveJobResult {
  /** Run-relative files written: `retrieval/<sub>.json` per subject. */
  outputs: string[];
  summary: Record<string, string>;
}

/**
 * The retrieve stage's job, run by `brain2music retrieve --run` and by the pipeline: per
 * subject, the top-k library tracks by cosine similarity to each test clip's decoded embedding
 * (windows averaged), with the oracle (the clip's true embedding) and chance (a random track),
 * in `outDir/retrieval/<sub>.json`. A clip never retrieves its own track.
 */
export async function retrieveJob(input: RetrieveJobInput, outDir: string): Promise<RetrieveJobResult> {
  const k = input.k ?? RETRIEVE_DEFAULTS.k;
  const store = await openLibrary(input.db);
  const library = await store.readAll();
  store.close();
  const rel = (p: string) => {
    const r = relative(input.runDir, p);
    return !r.startsWith('..') && !isAbsolute(r) ? r.split(sep).join('/') : p;
  };
  const summary: Record<string, string> = {};
  for (const subject of input.subjects) {
    const { clipIds, predicted, truth, dim } = decodedAndTrue(input.runDir, subject, input.target);
    const clipGenres = clipIds.map(input.genreOf);
    const ev = evaluateRetrieval({ predicted, truth, clipGenres, clipIds, library, dim, k, seed: input.seed });
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
    writeJsonAtomic(join(outDir, runLayout.retrievalFile(subject)), result);
    summary[subject] = `genre agreement ${ev.genreAgreement.predicted.toFixed(3)} (oracle ${ev.genreAgreement.oracle.toFixed(3)}, chance ${ev.genreAgreement.chanceExpected.toFixed(3)})`;
  }
  return { outputs: input.subjects.map((s) => runLayout.retrievalFile(s)), summary };
}
