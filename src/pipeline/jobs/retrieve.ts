import { isAbsolute, join, relative, sep } from 'node:path';
import { RETRIEVE_DEFAULTS } from '../../defaults.ts';
import { fail } from '../../errors.ts';
import { writeJsonAtomic } from '../../io/index.ts';
import { evaluateRetrievalReading, hubnessTopK, openLibrary, searchableLibrary, type HubnessReduction, type LibrarySearchChoice, type LibraryStore, type LibraryVectors, type TopK } from '../../library/index.ts';
import type { Reporter } from '../../progress.ts';
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
  /** Hubness reduction of the scores (default 'none': plain cosine, as the paper). */
  hubness?: HubnessReduction;
  /** 'auto' (default): the library's ANN index when it has one, else exact; or force 'exact' / 'ann'. */
  search?: LibrarySearchChoice;
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
export async function retrieveJob(input: RetrieveJobInput, outDir: string, reporter?: Reporter): Promise<RetrieveJobResult> {
  const k = input.k ?? RETRIEVE_DEFAULTS.k;
  const hubness = input.hubness ?? RETRIEVE_DEFAULTS.hubness;
  const store = await openLibrary(input.db);
  try {
    return await retrieveSubjects(input, store, k, hubness, outDir, reporter);
  } finally {
    store.close();
  }
}

async function retrieveSubjects(input: RetrieveJobInput, store: LibraryStore, k: number, hubness: HubnessReduction, outDir: string, reporter?: Reporter): Promise<RetrieveJobResult> {
  const asked = input.search ?? RETRIEVE_DEFAULTS.search;
  if (asked === 'ann' && hubness !== 'none') fail('BAD_INPUT', `retrieve.search "ann" cannot be combined with retrieve.hubness "${hubness}": hubness reduction scores every track; set one of them back to its default.`);
  const library = await searchableLibrary(store, hubness === 'none' ? asked : 'exact');
  // hubness reduction scores every track against the subject's queries: it needs every vector
  let all: LibraryVectors | undefined;
  const rel = (p: string) => {
    const r = relative(input.runDir, p);
    return !r.startsWith('..') && !isAbsolute(r) ? r.split(sep).join('/') : p;
  };
  const summary: Record<string, string> = {};
  for (const subject of input.subjects) {
    const { clipIds, predicted, truth, dim } = decodedAndTrue(input.runDir, subject, input.target);
    const clipGenres = clipIds.map(input.genreOf);
    // one extra candidate for a clip's own track, which is left out; the oracle is scored the same way
    const top = async (queries: Float32Array, count: number): Promise<TopK> => {
      if (hubness === 'none') return library.nearest(queries, count);
      all ??= await store.readAll();
      return hubnessTopK(all.vectors, queries, dim, count, hubness);
    };
    const scored = { retrieved: await top(predicted, k + 1), oracleRetrieved: await top(truth, 2) };
    const ev = await evaluateRetrievalReading({ predicted, truth, clipGenres, clipIds, dim, k, seed: input.seed, ...scored, library }, (rows) => library.vectorsAt(rows));
    const conc = ev.concentration.predicted;
    if (conc.degenerate) reporter?.warn(`${subject}: retrieval is concentrated on a hub: ${conc.largestHub.id} is the top track of ${conc.largestHub.count} of ${conc.n} test clips (${conc.distinct} distinct tracks retrieved)${hubness === 'none' ? '; try hubness reduction (retrieve.hubness "center" or "csls")' : ''}.`);
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
      genreAgreement: { value: ev.genreAgreement.predicted, chance: ev.genreAgreement.chanceExpected, oracle: ev.genreAgreement.oracle, ...(ev.genreAgreement.ci95 ? { ci95: ev.genreAgreement.ci95 } : {}), ...(ev.genreAgreement.p !== undefined ? { p: ev.genreAgreement.p, pNull: 'each top-1 track a random library track (exact Poisson-binomial over clips)' } : {}), unit: 'clips', split: 'test' },
      identification: { value: ev.identification.predicted, chance: 0.5, oracle: ev.identification.oracle, ...(ev.identification.ci95 ? { ci95: ev.identification.ci95 } : {}), ...(ev.identification.p !== undefined ? { p: ev.identification.p } : {}), unit: 'clips', split: 'test' },
      hubness,
      search: library.search,
      concentration: ev.concentration,
      evaluation: ev,
    };
    writeJsonAtomic(join(outDir, runLayout.retrievalFile(subject)), result);
    summary[subject] = `genre agreement ${ev.genreAgreement.predicted.toFixed(3)} (oracle ${ev.genreAgreement.oracle.toFixed(3)}, chance ${ev.genreAgreement.chanceExpected.toFixed(3)}); ${conc.distinct} distinct tracks for ${conc.n} clips, largest hub ${(100 * conc.largestHub.share).toFixed(0)}%${conc.degenerate ? ' (degenerate)' : ''}`;
  }
  return { outputs: input.subjects.map((s) => runLayout.retrievalFile(s)), summary };
}
