import { fail } from '../errors.ts';
import { bootstrapMeanCi, identificationAccuracy, identificationWithUncertainty, poissonBinomialTail } from '../evaluate/index.ts';
import { mulberry32 } from '../linalg/index.ts';
import { cosineTopK, type TopK } from './cosineTopK.ts';
import { retrievalConcentration, type RetrievalConcentration } from './hubness.ts';
import type { LibraryVectors } from './libraryStore.ts';

export interface RetrievalEvalInput {
  /** Decoded embedding per test clip, n × dim (the clip's windows already averaged). */
  predicted: Float32Array;
  /** True embedding of each test clip (its audio through the same model), n × dim. */
  truth: Float32Array;
  /** Genre of each test clip (null when unknown). */
  clipGenres: readonly (string | null)[];
  /** Id of each test clip; a library track with the same id is left out of that clip's search. */
  clipIds?: readonly string[];
  /**
   * The library's ids and genres, with either every vector (`vectors`, N × dim) or the vectors
   * of the rows scored (`vectorOf`: see {@link retrievalRows}; then `retrieved` and
   * `oracleRetrieved` must be given), so that a large library is never read whole.
   */
  library: Pick<LibraryVectors, 'ids' | 'genres'> & ({ vectors: Float32Array } | { vectorOf: (row: number) => Float32Array });
  dim: number;
  /** Tracks retrieved per clip (default 5). */
  k?: number;
  /** Seed of the random library clip drawn as the chance baseline (default 0). */
  seed?: number;
  /**
   * The hits to score instead of an exact search with `predicted` (e.g. an approximate index's):
   * per query, library rows best first, at least k besides the clip's own track (which is skipped
   * when `clipIds` are given). What is scored is then exactly what was listed.
   */
  retrieved?: TopK;
  /** The same for the oracle's search with `truth` (at least 1 hit, 2 when `clipIds` are given). */
  oracleRetrieved?: TopK;
}

/** What was retrieved for one test clip. Genre matches are null when a genre is unknown. */
export interface ClipRetrieval {
  /** Top-k library ids with the predicted embedding, best first, and their cosine scores. */
  retrievedIds: string[];
  scores: number[];
  genreMatch: boolean | null;
  /** Fraction of the top k with the clip's genre (null when the clip's genre is unknown). */
  genreMatchTopK: number | null;
  /** Oracle: top-1 with the true embedding. */
  oracleId: string;
  oracleGenreMatch: boolean | null;
  /** Chance: a library track drawn uniformly at random. */
  chanceId: string;
  chanceGenreMatch: boolean | null;
}

/** A metric for retrieval with the prediction, the oracle (true embedding) and chance (random track). */
export interface Triple {
  predicted: number;
  oracle: number;
  chance: number;
}

export interface RetrievalEvaluation {
  n: number;
  k: number;
  perClip: ClipRetrieval[];
  /**
   * Fraction of clips whose top-1 track has the clip's genre, over clips where both genres are
   * known (`nWithGenre` of them). `chanceExpected` is the exact expectation for a random track:
   * the mean over clips of the share of the library in the clip's genre.
   */
  /**
   * `ci95`: percentile bootstrap interval of `predicted` over the clips with a genre (seed 0,
   * 10,000 resamples); absent below 2 such clips. `p`: P(at least as many agreements) when each
   * clip's top-1 track is a random library track (the null of `chanceExpected`: independent clips,
   * clip i agreeing with its genre's library share; exact Poisson-binomial tail).
   */
  genreAgreement: Triple & { chanceExpected: number; nWithGenre: number; ci95?: [number, number]; p?: number };
  /**
   * Identification accuracy (clips as items, chance 0.5) of the top-1 tracks' embeddings against
   * the true embeddings of the test clips; `decoded` is that of the predictions themselves.
   * `ci95` and `p` (of `predicted`): bootstrap over clips and random pairings of retrieved tracks
   * and clips (seed 0, as `identificationWithUncertainty`); absent below 2 clips.
   */
  identification: Triple & { decoded: number; ci95?: [number, number]; p?: number };
  /** How concentrated the top-1 tracks are, with the decoded and with the true embeddings (hubness). */
  concentration: { predicted: RetrievalConcentration; oracle: RetrievalConcentration };
}

/**
 * Retrieval evaluation of decoded embeddings (docs/method.md §1.5, §2): for each test clip the top-k
 * library tracks by cosine similarity, and, beside them, the oracle (retrieval with the clip's
 * true embedding) and chance (a random library track).
 * @example evaluateRetrieval({ predicted, truth, clipGenres, library, dim: 128 }).genreAgreement
 */
export function evaluateRetrieval(input: RetrievalEvalInput): RetrievalEvaluation {
  const { predicted, truth, clipGenres, library, dim } = input;
  const k = input.k ?? 5;
  const n = clipGenres.length;
  const rows = retrievalRows({ ...input, library: { ids: library.ids, ...('vectors' in library ? { vectors: library.vectors } : {}) } });
  const vectorOf = 'vectors' in library ? (i: number) => library.vectors.subarray(i * dim, (i + 1) * dim) : library.vectorOf;
  const match = (a: string | null, b: string | null): boolean | null => (a === null || b === null ? null : a === b);

  const perClip: ClipRetrieval[] = [];
  const retrievedVec = new Float32Array(n * dim);
  const oracleVec = new Float32Array(n * dim);
  const chanceVec = new Float32Array(n * dim);
  for (let q = 0; q < n; q++) {
    const { hits, oracle, chance } = rows[q]!;
    const got = hits.map((h) => h.i);
    const g = clipGenres[q] ?? null;
    const topKMatches = got.map((i) => match(g, library.genres[i] ?? null)).filter((m): m is boolean => m !== null);
    perClip.push({
      retrievedIds: got.map((i) => library.ids[i]!),
      scores: hits.map((h) => h.score),
      genreMatch: match(g, library.genres[got[0]!] ?? null),
      genreMatchTopK: topKMatches.length ? topKMatches.filter(Boolean).length / topKMatches.length : null,
      oracleId: library.ids[oracle]!,
      oracleGenreMatch: match(g, library.genres[oracle] ?? null),
      chanceId: library.ids[chance]!,
      chanceGenreMatch: match(g, library.genres[chance] ?? null),
    });
    retrievedVec.set(vectorOf(got[0]!), q * dim);
    oracleVec.set(vectorOf(oracle), q * dim);
    chanceVec.set(vectorOf(chance), q * dim);
  }

  const rate = (xs: (boolean | null)[]) => {
    const known = xs.filter((x): x is boolean => x !== null);
    return known.length ? known.filter(Boolean).length / known.length : Number.NaN;
  };
  const genreCounts = new Map<string, number>();
  let known = 0;
  for (const g of library.genres) if (g !== null) { genreCounts.set(g, (genreCounts.get(g) ?? 0) + 1); known++; }
  const withGenre = clipGenres.filter((g): g is string => g !== null);
  const share = (g: string) => (genreCounts.get(g) ?? 0) / known;
  const chanceExpected = withGenre.length && known ? withGenre.reduce((s, g) => s + share(g), 0) / withGenre.length : Number.NaN;
  const matches = perClip.map((c) => c.genreMatch).filter((m): m is boolean => m !== null);
  // the clips whose agreement is counted, each with its genre's share of the library
  const nullProbs = perClip.flatMap((c, q) => (c.genreMatch === null ? [] : [share(clipGenres[q]!)]));
  const ci = matches.length >= 2 ? bootstrapMeanCi(matches.map(Number), { seed: 0 }) : null;
  const ident = (P: Float32Array) => (n >= 2 ? identificationAccuracy(P, truth, n, dim).mean : Number.NaN);
  return {
    n,
    k,
    perClip,
    genreAgreement: {
      predicted: rate(perClip.map((c) => c.genreMatch)),
      oracle: rate(perClip.map((c) => c.oracleGenreMatch)),
      chance: rate(perClip.map((c) => c.chanceGenreMatch)),
      chanceExpected,
      nWithGenre: matches.length,
      ...(ci ? { ci95: [ci.lo, ci.hi] as [number, number] } : {}),
      ...(matches.length && known ? { p: poissonBinomialTail(nullProbs, matches.filter(Boolean).length) } : {}),
    },
    identification: { predicted: ident(retrievedVec), oracle: ident(oracleVec), chance: ident(chanceVec), decoded: ident(predicted), ...identificationInterval(retrievedVec, truth, n, dim) },
    concentration: { predicted: retrievalConcentration(perClip.map((c) => c.retrievedIds[0]!)), oracle: retrievalConcentration(perClip.map((c) => c.oracleId)) },
  };
}

/** The library rows one test clip is scored with: its hits (best first), the oracle's top-1, the chance track. */
export interface ClipRows {
  hits: { i: number; score: number }[];
  oracle: number;
  chance: number;
}

/**
 * The rows {@link evaluateRetrieval} scores for each clip, with the same checks and the same
 * chance draws: whoever passes `vectorOf` reads exactly these rows' vectors first.
 */
export function retrievalRows(input: Omit<RetrievalEvalInput, 'library'> & { library: Pick<LibraryVectors, 'ids'> & { vectors?: Float32Array } }): ClipRows[] {
  const { predicted, truth, clipGenres, library, dim } = input;
  const k = input.k ?? 5;
  const n = clipGenres.length;
  const N = library.ids.length;
  if (predicted.length !== n * dim || truth.length !== n * dim) {
    fail('MISMATCH', `evaluateRetrieval: ${n} clips of dim ${dim} need ${n * dim} values; predicted has ${predicted.length}, truth ${truth.length}.`);
  }
  const full = library.vectors ?? null;
  if (full && full.length !== N * dim) fail('MISMATCH', `evaluateRetrieval: library has ${N} ids but ${full.length} values for dim ${dim}.`);
  if (!full && (!input.retrieved || !input.oracleRetrieved)) fail('BAD_INPUT', 'evaluateRetrieval: without the library\'s vectors, give the hits to score (retrieved and oracleRetrieved).');
  if (input.clipIds && input.clipIds.length !== n) fail('MISMATCH', `evaluateRetrieval: ${input.clipIds.length} clip ids for ${n} clips.`);
  if (N < 2) fail('BAD_INPUT', `evaluateRetrieval: the library has ${N} track(s); retrieval needs at least 2.`);
  const selfIndex = new Map(library.ids.map((id, i) => [id, i]));
  // one extra candidate so that a clip's own track can be dropped
  const extra = input.clipIds ? 1 : 0;
  if (input.retrieved && (input.retrieved.nQueries !== n || input.retrieved.k < Math.min(k, N - extra))) {
    fail('MISMATCH', `evaluateRetrieval: the given hits hold ${input.retrieved.k} per query for ${input.retrieved.nQueries} queries; ${n} queries need at least ${k} each (a clip's own track left out).`);
  }
  const topPred = input.retrieved ?? cosineTopK(full!, predicted, dim, k + extra);
  const topTrue = input.oracleRetrieved ?? cosineTopK(full!, truth, dim, 1 + extra);
  const rand = mulberry32(input.seed ?? 0);
  /** The best `count` library rows of query q other than the clip's own track, with scores. */
  const pick = (top: TopK, q: number, count: number, self: number | undefined): { i: number; score: number }[] => {
    const out: { i: number; score: number }[] = [];
    for (let j = 0; j < top.k && out.length < count; j++) {
      const i = top.indices[q * top.k + j]!;
      if (i !== self) out.push({ i, score: top.scores[q * top.k + j]! });
    }
    return out;
  };
  return Array.from({ length: n }, (_, q) => {
    const self = input.clipIds ? selfIndex.get(input.clipIds[q]!) : undefined;
    const hits = pick(topPred, q, k, self);
    const oracle = pick(topTrue, q, 1, self)[0]!.i;
    let chance = Math.floor(rand() * N);
    while (chance === self) chance = Math.floor(rand() * N);
    return { hits, oracle, chance };
  });
}

/**
 * {@link evaluateRetrieval} on a library whose vectors are not in memory: only the rows it scores
 * (each clip's top hit, the oracle's and the chance track) are read, with `readRows`.
 */
export async function evaluateRetrievalReading(
  input: Omit<RetrievalEvalInput, 'library'> & { library: Pick<LibraryVectors, 'ids' | 'genres'> },
  readRows: (rows: number[]) => Promise<ReadonlyMap<number, Float32Array>>,
): Promise<RetrievalEvaluation> {
  const rows = retrievalRows(input);
  const vectors = await readRows(rows.flatMap((r) => [r.hits[0]!.i, r.oracle, r.chance]));
  return evaluateRetrieval({ ...input, library: { ...input.library, vectorOf: (row) => vectors.get(row)! } });
}

/** The interval and p of the retrieved tracks' identification (nothing below 2 clips). */
function identificationInterval(retrieved: Float32Array, truth: Float32Array, n: number, dim: number): { ci95?: [number, number]; p?: number } {
  if (n < 2) return {};
  const s = identificationWithUncertainty(retrieved, truth, n, dim, { unit: 'clips', split: 'test', seed: 0 });
  return { ci95: s.ci95, p: s.p };
}
