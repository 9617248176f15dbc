import { existsSync, readFileSync } from 'node:fs';
import { gtzanGenre } from '../../bids/index.ts';
import { fail } from '../../errors.ts';
import { readEmbeddings, rowsFor } from '../../embed/index.ts';
import { averageWindows } from '../../evaluate/index.ts';
import { readNpy, writeJsonAtomic } from '../../io/index.ts';
import { evaluateRetrievalReading, hitsAsRows, openLibrary, type HubnessReduction, type RetrievalEvaluation, type SearchHit, type SearchMode } from '../../library/index.ts';
import { retrieveJob, type RetrieveJobResult } from '../../pipeline/jobs/retrieve.ts';
import { resolveRun, stageSeed, type RunConfig } from '../../pipeline/index.ts';
import { readManifest, runLayout, runPath, stagedWrite } from '../../run/index.ts';
import type { CliUi } from '../ui.ts';

export interface RetrieveRunOptions {
  /** A run folder whose decode and library stages have finished. */
  run: string;
  /** `sub-001`, or `all` (default). */
  subject?: string;
  k?: number;
  /** Seed of the chance baseline (default: the run's retrieve seed). */
  seed?: number;
  /** Hubness reduction (default: the run's, else none). */
  hubness?: HubnessReduction;
}

/**
 * `brain2music retrieve --run RUN [--subject sub-001]`: the retrieve job (the pipeline's retrieve
 * stage) on a run folder: `RUN/retrieval/<sub>.json` from the subject's decoded predictions and
 * the run's library.
 */
export async function runRetrieveRun(opts: RetrieveRunOptions, ui: CliUi): Promise<RetrieveJobResult> {
  const manifest = readManifest<RunConfig>(opts.run) ?? fail('NOT_FOUND', `${opts.run} has no run.json; give a run folder made by 'brain2music demo' or 'brain2music run'.`);
  const run = resolveRun({ ...manifest.config, out: opts.run, ...(opts.subject && opts.subject !== 'all' ? { subjects: [opts.subject] } : {}) });
  const subjects = run.subjects();
  for (const s of subjects) {
    if (!existsSync(runPath(opts.run, `${runLayout.decodeDir(s)}/predictions.npy`))) fail('NOT_FOUND', `${s} has no decoded predictions in ${opts.run}; run the decode stage first ('brain2music run' or 'brain2music decode').`);
  }
  const db = run.libraryDb;
  if (!existsSync(db)) fail('NOT_FOUND', `${opts.run} has no music library; run the library stage first ('brain2music library build --db ${db} …').`);
  const res = await stagedWrite(opts.run, 'brain2music retrieve', (outDir) =>
    retrieveJob({ runDir: opts.run, db, subjects, target: run.target.name, genreOf: run.genreOf, k: opts.k ?? run.config.retrieve?.k, hubness: opts.hubness ?? run.config.retrieve?.hubness, seed: opts.seed ?? stageSeed(manifest.config.seed, 'retrieve') }, outDir, ui), (r) => r.outputs);
  for (const [s, line] of Object.entries(res.summary)) ui.info(`${s}: ${line}`);
  return res;
}

export interface RetrieveOptions {
  /** Library folder made by `brain2music library build`. */
  db: string;
  /** Query embeddings: `.npy` of n × dim, or clips × windows × dim (averaged over windows). */
  query: string;
  /** Hits per query (default 5). */
  k?: number;
  /** exact (default), flat (LanceDB exhaustive) or ann (the library's index). */
  search?: SearchMode;
  /** ann: IVF partitions probed (default 20). */
  nprobes?: number;
  /** ann: candidates re-ranked with full vectors, as a multiple of k (default 50). */
  refine?: number;
  /** Write the results as JSON here. */
  out?: string;
  /**
   * True embeddings of the query clips (`E.npy` + `E.json` from `brain2music embed`): adds the
   * retrieval evaluation (genre agreement, identification) with oracle and chance beside it.
   */
  truth?: string;
  /** With `truth`: let a clip retrieve its own track when the library contains it (default: excluded). */
  keepSelf?: boolean;
  /** Seed of the random-track chance baseline (default 0). */
  seed?: number;
}

/** The JSON written by `retrieve --out` (and returned by {@link runRetrieve}). */
export interface RetrieveResult {
  db: string;
  query: string;
  model: string;
  k: number;
  search: SearchMode;
  /** One entry per query row; `query` is its clip id when `<query>.json` lists `clipIds`, else its row number. */
  results: { query: string; hits: (SearchHit & { rank: number })[] }[];
  /** With `--truth`: the evaluation (top-1 genre agreement and identification; oracle and chance beside). */
  evaluation?: RetrievalEvaluation;
}


/**
 * `brain2music retrieve --db DIR --query PRED.npy [--k 5] [--search exact|flat|ann] [--out R.json]`:
 * the top-k library tracks by cosine similarity for each predicted embedding. A 3-d query
 * (clips × windows × dim) is averaged over windows first, as library tracks are. Query names come
 * from `clipIds` in a `PRED.json` beside the array (the embeddings-file convention), if present.
 */
export async function runRetrieve(opts: RetrieveOptions, ui: CliUi): Promise<RetrieveResult> {
  const k = opts.k ?? 5;
  const search = opts.search ?? 'exact';
  if (!existsSync(opts.query)) fail('NOT_FOUND', `query file ${opts.query} does not exist; pass --query with a .npy of predicted embeddings.`);
  const npy = readNpy(opts.query);
  const shape = npy.shape;
  if (shape.length !== 2 && shape.length !== 3) fail('BAD_INPUT', `${opts.query} has shape [${shape.join(', ')}]; expected n × dim or clips × windows × dim.`);
  if (npy.data instanceof BigInt64Array || npy.data instanceof BigUint64Array) fail('BAD_INPUT', `${opts.query} holds 64-bit integers (${npy.dtype}); pass float embeddings.`);
  const n = shape[0]!;
  const dim = shape[shape.length - 1]!;
  const queries = shape.length === 3 ? averageWindows(npy.data, n, shape[1]!, dim) : Float32Array.from(npy.data);
  const names = queryNames(opts.query, n, ui);

  const lib = await openLibrary(opts.db);
  try {
    if (!lib.info) fail('NOT_FOUND', `${opts.db} holds no library; build one with 'brain2music library build --audio DIR --model NAME --db ${opts.db}'.`);
    if (lib.info.dim !== dim) fail('MISMATCH', `queries in ${opts.query} are ${dim}-d but library ${opts.db} holds ${lib.info.dim}-d ${lib.info.model} vectors; decode into the same embedding as the library.`);
    // With --truth a clip's own track is left out (unless --keep-self): ask for one hit more and
    // drop it here, so that the hits listed are exactly the hits scored.
    const excludeSelf = opts.truth !== undefined && !opts.keepSelf;
    const raw = await lib.search(queries, { k: k + (excludeSelf ? 1 : 0), mode: search, nprobes: opts.nprobes, refineFactor: opts.refine });
    const hits = raw.map((h, q) => (excludeSelf ? h.filter((x) => x.id !== names[q]) : h).slice(0, k));
    const result: RetrieveResult = {
      db: opts.db,
      query: opts.query,
      model: lib.info.model,
      k,
      search,
      results: hits.map((h, q) => ({ query: names[q]!, hits: h.map((x, j) => ({ rank: j + 1, ...x })) })),
    };
    for (const r of result.results) {
      ui.info(`${r.query}`);
      for (const h of r.hits) ui.info(`  ${h.rank}. ${h.score.toFixed(4)}  ${h.id}${h.genre ? ` (${h.genre})` : ''}`);
    }
    if (opts.truth) {
      result.evaluation = await evaluateAgainstTruth(opts, queries, names, dim, lib, ui, hits);
    }
    if (opts.out) {
      writeJsonAtomic(opts.out, result);
      ui.info(`wrote ${opts.out}`);
    }
    return result;
  } finally {
    lib.close();
  }
}

/** Aligns the true embeddings with the queries by clip id (or row order) and evaluates retrieval. */
async function evaluateAgainstTruth(
  opts: RetrieveOptions, queries: Float32Array, names: string[], dim: number,
  lib: Awaited<ReturnType<typeof openLibrary>>, ui: CliUi, hits: SearchHit[][],
): Promise<RetrievalEvaluation> {
  const truth = readEmbeddings(opts.truth!);
  if (truth.meta.dim !== dim) fail('MISMATCH', `--truth ${opts.truth} is ${truth.meta.dim}-d but the queries are ${dim}-d.`);
  const nT = truth.clipIds.length;
  const known = new Set(truth.clipIds);
  const byId = names.every((n) => known.has(n));
  if (!byId && names.length !== nT) {
    fail('MISMATCH', `the ${names.length} queries cannot be matched to the ${nT} clips of ${opts.truth}: give the queries a ${opts.query.replace(/\.npy$/i, '.json')} with their clipIds, or the same clips in the same order.`);
  }
  const clipIds = byId ? names : truth.clipIds;
  const aligned = averageWindows(rowsFor(truth, clipIds), clipIds.length, truth.nWindows, dim);
  const library = await lib.catalog();
  // score the hits that were listed (an approximate search's own), not a fresh exact search
  const retrieved = hitsAsRows(hits, new Map(library.ids.map((id, i) => [id, i])));
  const clipIdsOrSelf = opts.keepSelf ? undefined : clipIds;
  // the oracle is searched the same way as the queries were
  const oracleRetrieved = await lib.topK(aligned, 1 + (clipIdsOrSelf ? 1 : 0), opts.search === 'ann' ? 'ann' : 'exact', library, { nprobes: opts.nprobes, refineFactor: opts.refine });
  const ev = await evaluateRetrievalReading({
    predicted: queries, truth: aligned, dim, k: opts.k ?? 5, seed: opts.seed ?? 0, retrieved, oracleRetrieved,
    clipGenres: clipIds.map(gtzanGenre), clipIds: clipIdsOrSelf, library,
  }, (rows) => lib.vectorsAt(rows, library));
  const f = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(3));
  const g = ev.genreAgreement, id = ev.identification;
  ui.info(`evaluation over ${ev.n} clips (items: clips; ${opts.keepSelf ? 'a clip may retrieve itself' : "a clip's own track is excluded"}):`);
  ui.info(`  top-1 genre agreement   predicted ${f(g.predicted)}   oracle ${f(g.oracle)}   chance ${f(g.chance)} (expected ${f(g.chanceExpected)}; ${g.nWithGenre} clips with genres)`);
  ui.info(`  identification accuracy predicted ${f(id.predicted)}   oracle ${f(id.oracle)}   chance ${f(id.chance)} (0.5); decoded embeddings ${f(id.decoded)}`);
  return ev;
}

function queryNames(query: string, n: number, ui: CliUi): string[] {
  const sidecar = query.replace(/\.npy$/i, '.json');
  if (sidecar !== query && existsSync(sidecar)) {
    try {
      const meta = JSON.parse(readFileSync(sidecar, 'utf8')) as { clipIds?: unknown };
      if (Array.isArray(meta.clipIds) && meta.clipIds.length === n && meta.clipIds.every((x) => typeof x === 'string')) return meta.clipIds as string[];
      ui.warn(`${sidecar} has no clipIds list of ${n} names; queries are named by row number.`);
    } catch {
      ui.warn(`${sidecar} is not valid JSON; queries are named by row number.`);
    }
  }
  return Array.from({ length: n }, (_, i) => String(i));
}
