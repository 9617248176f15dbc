import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as lancedb from '@lancedb/lancedb';
import { RETRIEVE_DEFAULTS } from '../defaults.ts';
import { fail } from '../errors.ts';
import { writeJsonAtomic } from '../io/index.ts';
import type { TopK } from './cosineTopK.ts';
import { cosineTopKGemm, SEARCH_BLOCK_ROWS } from './cosineTopKGemm.ts';

/** The table that holds the tracks inside the LanceDB folder. */
export const TRACKS_TABLE = 'tracks';
/** Sidecar file with the model that made the vectors (`DIR/library.json`). */
export const LIBRARY_INFO_FILE = 'library.json';

/** How the vectors of a library were made; stored in `DIR/library.json`. */
export interface LibraryInfo {
  /** Embedder registry name (e.g. `clap`, `builtin`), or a free name for vectors made elsewhere. */
  model: string;
  /** Embedder version string. */
  version: string;
  dim: number;
  /** Seconds of each track that were embedded, from its start (15 as in the paper). */
  excerptSec: number;
  /** Embedding window and hop in seconds; the track vector is the mean of its window vectors. */
  windowSec: number;
  hopSec: number;
}

/** One track of the library. `genre` is null when unknown. */
export interface LibraryEntry {
  id: string;
  path: string;
  genre: string | null;
  /** dim float32 values. */
  vector: Float32Array;
}

/** All tracks in one block: `vectors` is N × dim row-major, row i belongs to `ids[i]`. */
export interface LibraryVectors {
  ids: string[];
  paths: string[];
  genres: (string | null)[];
  vectors: Float32Array;
  dim: number;
}

/** Every track's id, path and genre without its vector, in storage order: row i is storage offset i. */
export type LibraryCatalog = Omit<LibraryVectors, 'vectors'>;

/** Search modes that return library rows ({@link LibraryStore.topK}): 'flat' is the CLI's check of LanceDB itself. */
export type RowSearchMode = 'exact' | 'ann';

/** One search result: `score` is the cosine similarity (1 = same direction). */
export interface SearchHit {
  id: string;
  path: string;
  genre: string | null;
  score: number;
}

/**
 * 'exact' (default): every vector scored (matrix products, float64 re-scoring of the best; see
 * `cosineTopKGemm`), identical to brute force.
 * 'flat': LanceDB's own exhaustive search with cosine distance (also exact, bypasses any index).
 * 'ann': LanceDB's approximate index (see {@link LibraryStore.createAnnIndex}); faster on large
 * libraries, with recall below 1 (measure it with bench/ann.bench.ts).
 */
export type SearchMode = 'exact' | 'flat' | 'ann';

export interface SearchOptions {
  /** Hits per query (default 5). */
  k?: number;
  mode?: SearchMode;
  /** 'ann' only: IVF partitions to probe (default 20). More: higher recall, slower. */
  nprobes?: number;
  /**
   * 'ann' only: the index proposes refineFactor · k candidates by their PQ codes, re-ranked with
   * the full vectors (default 100: recall@10 1.000 on the 1M-vector benchmark, 0.984–0.987 at 50, 0.22 at 1).
   */
  refineFactor?: number;
  /** 'ann' only: queries sent to LanceDB in one vector query (default 32). */
  queryBatch?: number;
}

/** Whether a library build makes the ANN index: always, never, or 'auto' (from RETRIEVE_DEFAULTS.annMinTracks tracks). */
export type AnnChoice = boolean | 'auto';

/** Whether a library of `tracks` tracks gets an ANN index under `choice`. */
export function wantsAnnIndex(choice: AnnChoice | undefined, tracks: number): boolean {
  return choice === true || (choice === 'auto' && tracks >= RETRIEVE_DEFAULTS.annMinTracks);
}

/** Options of the ANN index. */
export interface AnnIndexOptions {
  /** IVF partitions (default √N, at least 1). */
  numPartitions?: number;
  /** PQ sub-vectors (default dim / 8 so that each covers 8 dimensions). */
  numSubVectors?: number;
}

/**
 * A music library on disk: a LanceDB folder with one table `tracks` (columns `id`, `path`,
 * `genre` ('' when unknown), `vector` FixedSizeList<Float32>[dim]) and `library.json` (the
 * {@link LibraryInfo}). Open one with {@link openLibrary}.
 */
export class LibraryStore {
  readonly dir: string;
  info: LibraryInfo | null;
  private readonly lance: typeof lancedb;
  private readonly db: lancedb.Connection;
  private table: lancedb.Table | null;

  constructor(dir: string, lance: typeof lancedb, db: lancedb.Connection, table: lancedb.Table | null, info: LibraryInfo | null) {
    this.dir = dir;
    this.lance = lance;
    this.db = db;
    this.table = table;
    this.info = info;
  }

  /** Number of tracks. */
  async count(): Promise<number> {
    return this.table ? this.table.countRows() : 0;
  }

  /** Ids of the tracks already stored (to skip them when a build resumes). */
  async ids(): Promise<Set<string>> {
    if (!this.table) return new Set();
    const t = await this.table.query().select(['id']).toArrow();
    const out = new Set<string>();
    for (const id of t.getChild('id')!.toArray() as Iterable<string>) out.add(id);
    return out;
  }

  /**
   * Records how the vectors are made; on an existing library the info must match (same model,
   * version, dim, excerpt and windows) or the vectors would not be comparable.
   */
  setInfo(info: LibraryInfo): void {
    if (this.info) {
      const a = this.info;
      const same = a.model === info.model && a.version === info.version && a.dim === info.dim &&
        a.excerptSec === info.excerptSec && a.windowSec === info.windowSec && a.hopSec === info.hopSec;
      if (!same) {
        fail('MISMATCH', `library ${this.dir} holds ${a.model} (${a.version}, ${a.dim}-d) vectors, but this build uses ${info.model} (${info.version}, ${info.dim}-d); use another --db folder or the same model.`);
      }
      return;
    }
    writeJsonAtomic(join(this.dir, LIBRARY_INFO_FILE), info);
    this.info = info;
  }

  /** Appends tracks (one LanceDB commit: after a crash either all of them are stored or none). */
  async add(entries: readonly LibraryEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const dim = this.info?.dim ?? entries[0]!.vector.length;
    // LanceDB infers the schema from the first batch: Utf8 columns and FixedSizeList<Float32>[dim] for `vector`.
    const rows: Record<string, unknown>[] = entries.map((e) => {
      if (e.vector.length !== dim) fail('MISMATCH', `track ${e.id} has a ${e.vector.length}-d vector; library ${this.dir} holds ${dim}-d vectors.`);
      return { id: e.id, path: e.path, genre: e.genre ?? '', vector: e.vector };
    });
    if (this.table) await this.table.add(rows);
    else this.table = await this.db.createTable(TRACKS_TABLE, rows);
  }

  /** Every track with its vector, in storage order (N × dim floats in memory: see {@link topK} for large libraries). */
  async readAll(): Promise<LibraryVectors> {
    const dim = this.info?.dim ?? 0;
    if (!this.table) return { ids: [], paths: [], genres: [], vectors: new Float32Array(0), dim };
    const t = await this.table.query().select(['id', 'path', 'genre', 'vector']).toArrow();
    const n = t.numRows;
    const col = t.getChild('vector')!;
    const d = n > 0 ? col.get(0)!.length : dim;
    return { ...catalogOf(t), vectors: vectorRows(col, d, n), dim: d };
  }

  /** Every track's id, path and genre, without the vectors (a 1M-track library's are 2 GB at 512-d). */
  async catalog(): Promise<LibraryCatalog> {
    const dim = this.info?.dim ?? 0;
    if (!this.table) return { ids: [], paths: [], genres: [], dim };
    return { ...catalogOf(await this.table.query().select(['id', 'path', 'genre']).toArrow()), dim };
  }

  /** The vectors of some rows (storage offsets of `catalog`), read alone: a few hits scored without reading the library. */
  async vectorsAt(rows: Iterable<number>, catalog: LibraryCatalog): Promise<Map<number, Float32Array>> {
    const wanted = [...new Set(rows)];
    const out = new Map<number, Float32Array>();
    if (!this.table || wanted.length === 0) return out;
    const at = new Map(catalog.ids.map((id, i) => [id, i]));
    // takeOffsets returns its rows in storage order, once each: matched back by id (ids are unique)
    const t = await this.table.takeOffsets(wanted).select(['id', 'vector']).toArrow();
    const vectors = vectorRows(t.getChild('vector')!, catalog.dim, t.numRows);
    const ids = t.getChild('id')!.toArray() as ArrayLike<string>;
    for (let r = 0; r < t.numRows; r++) out.set(at.get(ids[r]!)!, vectors.slice(r * catalog.dim, (r + 1) * catalog.dim));
    for (const row of wanted) if (!out.has(row)) fail('NOT_FOUND', `library ${this.dir}: row ${row} is not in the table (it changed while it was read); rerun.`);
    return out;
  }

  /**
   * Exact top-k library rows by cosine for each query, the table read in blocks of `blockRows`
   * vectors (memory bounded by a block, not the library); equal to `cosineTopKGemm` over readAll's
   * vectors (ties to the lower row).
   */
  async exactTopK(queries: Float32Array, k: number, opts: { blockRows?: number; catalog?: LibraryCatalog } = {}): Promise<TopK> {
    const dim = this.requireDim(queries);
    const Q = queries.length / dim;
    const blockRows = Math.max(1, Math.min(opts.blockRows ?? SEARCH_BLOCK_ROWS, await this.count()));
    const best: { i: number; c: number }[][] = Array.from({ length: Q }, () => []);
    const block = new Float32Array(blockRows * dim);
    let filled = 0;
    let first = 0;
    const flush = async () => {
      if (filled === 0) return;
      const top = await cosineTopKGemm(block.subarray(0, filled * dim), queries, dim, k);
      for (let q = 0; q < Q; q++) {
        const merged = best[q]!;
        for (let j = 0; j < top.k; j++) merged.push({ i: first + top.indices[q * top.k + j]!, c: top.scores[q * top.k + j]! });
        merged.sort((a, b) => b.c - a.c || a.i - b.i);
        merged.length = Math.min(merged.length, k);
      }
      first += filled;
      filled = 0;
    };
    let scanned = 0;
    for await (const batch of this.table!.query().select(['id', 'vector'])) {
      // rows are numbered in scan order: checked against the catalog they will be named from
      if (opts.catalog) {
        const ids = batch.getChild('id')!.toArray() as ArrayLike<string>;
        for (let r = 0; r < batch.numRows; r++) {
          if (ids[r] !== opts.catalog.ids[scanned + r]) fail('MISMATCH', `library ${this.dir}: row ${scanned + r} is ${ids[r]} in this scan but ${opts.catalog.ids[scanned + r]} in the catalog (the table changed while it was searched); rerun.`);
        }
      }
      scanned += batch.numRows;
      const rows = vectorRows(batch.getChild('vector')!, dim, batch.numRows);
      for (let r0 = 0; r0 < batch.numRows;) {
        const take = Math.min(blockRows - filled, batch.numRows - r0);
        block.set(rows.subarray(r0 * dim, (r0 + take) * dim), filled * dim);
        filled += take;
        r0 += take;
        if (filled === blockRows) await flush();
      }
    }
    await flush();
    const kk = Math.min(k, ...best.map((b) => b.length));
    const indices = new Int32Array(Q * kk);
    const scores = new Float64Array(Q * kk);
    best.forEach((b, q) => b.slice(0, kk).forEach((h, j) => { indices[q * kk + j] = h.i; scores[q * kk + j] = h.c; }));
    return { nQueries: Q, k: kk, indices, scores };
  }

  /**
   * Top-k library rows per query through the store: 'exact' streams the table ({@link exactTopK}),
   * 'ann' asks the index (ids mapped to rows of `catalog`). What the pipeline's retrieval scores.
   */
  async topK(queries: Float32Array, k: number, mode: RowSearchMode, catalog: LibraryCatalog, opts: Omit<SearchOptions, 'k' | 'mode'> & { rowOf?: ReadonlyMap<string, number> } = {}): Promise<TopK> {
    if (mode === 'exact') return this.exactTopK(queries, k, { catalog });
    const hits = await this.search(queries, { ...opts, k, mode });
    return hitsAsRows(hits, opts.rowOf ?? new Map(catalog.ids.map((id, i) => [id, i])));
  }

  /** The library's dim, checked against the queries (an empty library is an error). */
  private requireDim(queries: Float32Array): number {
    const dim = this.info?.dim ?? 0;
    if (!this.table || dim === 0) fail('NOT_FOUND', `library ${this.dir} is empty; build it first with 'brain2music library build --db ${this.dir}'.`);
    if (queries.length % dim !== 0) fail('MISMATCH', `queries have ${queries.length} values, not a multiple of the library's dim ${dim} (model ${this.info?.model}); embed the queries with the same model.`);
    return dim;
  }

  /**
   * Top-k tracks by cosine similarity for each query.
   * @param queries nQueries × dim row-major (the library's dim).
   * @returns one list of hits per query, best first.
   */
  async search(queries: Float32Array, opts: SearchOptions = {}): Promise<SearchHit[][]> {
    const k = opts.k ?? 5;
    const mode = opts.mode ?? 'exact';
    const dim = this.requireDim(queries);
    const Q = queries.length / dim;
    if (mode === 'exact') {
      const [lib, top] = await Promise.all([this.catalog(), this.exactTopK(queries, k)]);
      return Array.from({ length: Q }, (_, q) => {
        const hits: SearchHit[] = [];
        for (let j = 0; j < top.k; j++) {
          const i = top.indices[q * top.k + j]!;
          hits.push({ id: lib.ids[i]!, path: lib.paths[i]!, genre: lib.genres[i]!, score: top.scores[q * top.k + j]! });
        }
        return hits;
      });
    }
    if (mode !== 'flat' && mode !== 'ann') fail('BAD_INPUT', `search mode '${String(mode)}' is not one of exact, flat, ann.`);
    if (mode === 'ann' && !(await this.hasAnnIndex())) {
      fail('NOT_FOUND', `library ${this.dir} has no ANN index; rerun the 'brain2music library build' command of this library with --ann (stored tracks are skipped), or search with mode exact.`);
    }
    // Several queries in one LanceDB query (addQueryVector): the index is probed, the candidates
    // read and re-ranked once per batch instead of once per query; rows come back tagged
    // query_index. A batch holds its queries' candidates at once, so it bounds memory; 'flat' goes
    // one query at a time (a batched exhaustive search holds every row once per query: killed for
    // memory at 100 queries × 1M rows).
    const batch = mode === 'flat' ? 1 : Math.max(1, opts.queryBatch ?? RETRIEVE_DEFAULTS.annQueryBatch);
    const out: SearchHit[][] = Array.from({ length: Q }, () => []);
    for (let q0 = 0; q0 < Q; q0 += batch) {
      const q1 = Math.min(Q, q0 + batch);
      let query = this.table!.vectorSearch(queries.subarray(q0 * dim, (q0 + 1) * dim)).distanceType('cosine');
      for (let q = q0 + 1; q < q1; q++) query = query.addQueryVector(queries.subarray(q * dim, (q + 1) * dim));
      query = mode === 'flat' ? query.bypassVectorIndex() : query.nprobes(opts.nprobes ?? RETRIEVE_DEFAULTS.nprobes).refineFactor(opts.refineFactor ?? RETRIEVE_DEFAULTS.refineFactor);
      // LanceDB adds query_index to the rows of a query with several vectors (it cannot be selected)
      const rows = (await query.select(['id', 'path', 'genre', '_distance']).limit(k).toArray()) as { id: string; path: string; genre: string; _distance: number; query_index?: number }[];
      for (const r of rows) out[q0 + Number(r.query_index ?? 0)]!.push({ id: r.id, path: r.path, genre: r.genre === '' ? null : r.genre, score: 1 - r._distance });
    }
    // best first within each query, ties by id, whatever order the batch's rows came in
    for (const hits of out) hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return out;
  }

  /** Builds (or rebuilds) an IVF_PQ index on the vectors with cosine distance, for mode 'ann'. */
  async createAnnIndex(opts: AnnIndexOptions = {}): Promise<void> {
    if (!this.table || !this.info) fail('NOT_FOUND', `library ${this.dir} is empty; nothing to index.`);
    const n = await this.table.countRows();
    const dim = this.info.dim;
    const numSubVectors = opts.numSubVectors ?? (dim % 8 === 0 ? dim / 8 : 1);
    await this.table.createIndex('vector', {
      config: this.lance.Index.ivfPq({ distanceType: 'cosine', numPartitions: opts.numPartitions ?? Math.max(1, Math.round(Math.sqrt(n))), numSubVectors }),
      replace: true,
    });
  }

  /**
   * Compacts the table's fragments (each commit of a build adds one) and prunes old versions:
   * a build of 1M tracks in small commits leaves tens of thousands of fragments that slow every
   * search. Called after a build.
   */
  async optimize(): Promise<void> {
    if (this.table) await this.table.optimize({ cleanupOlderThan: new Date() });
  }

  /** Number of data fragments (files) of the table: what `optimize` reduces. */
  async fragments(): Promise<number> {
    if (!this.table) return 0;
    const stats = await this.table.stats();
    return stats.fragmentStats.numFragments;
  }

  /** Whether the vector column has an index (for mode 'ann'). */
  async hasAnnIndex(): Promise<boolean> {
    if (!this.table) return false;
    return (await this.table.listIndices()).some((ix) => ix.columns.includes('vector'));
  }

  close(): void {
    this.table?.close();
    this.db.close();
  }
}

/** Hits named by id as library rows, best first: as many per query as the shortest list holds. */
export function hitsAsRows(hits: readonly (readonly { id: string; score: number }[])[], rowOf: ReadonlyMap<string, number>): TopK {
  const k = Math.min(...hits.map((h) => h.length));
  const indices = new Int32Array(hits.length * k);
  const scores = new Float64Array(hits.length * k);
  hits.forEach((h, q) => h.slice(0, k).forEach((x, j) => { indices[q * k + j] = rowOf.get(x.id)!; scores[q * k + j] = x.score; }));
  return { nQueries: hits.length, k, indices, scores };
}

/** The id, path and genre columns of a query's rows ('' genre: unknown). */
function catalogOf(t: { getChild(name: string): { toArray(): unknown } | null }): Omit<LibraryCatalog, 'dim'> {
  return {
    ids: Array.from(t.getChild('id')!.toArray() as Iterable<string>),
    paths: Array.from(t.getChild('path')!.toArray() as Iterable<string>),
    genres: Array.from(t.getChild('genre')!.toArray() as Iterable<string>, (g) => (g === '' ? null : g)),
  };
}

/** A FixedSizeList<Float32>[d] column's n rows as one n × d array (the column may come in chunks). */
function vectorRows(col: { data: readonly { offset: number; length: number; children: readonly { offset: number; values: unknown }[] }[] }, d: number, n: number): Float32Array {
  const vectors = new Float32Array(n * d);
  let row = 0;
  for (const chunk of col.data) {
    const child = chunk.children[0]!;
    const start = (chunk.offset + child.offset) * d;
    vectors.set((child.values as Float32Array).subarray(start, start + chunk.length * d), row * d);
    row += chunk.length;
  }
  return vectors;
}

/**
 * Opens the library in folder `dir` (created if missing). A folder that exists but holds no
 * brain2music library (no `library.json` and no table) is opened empty.
 */
export async function openLibrary(dir: string): Promise<LibraryStore> {
  const infoPath = join(dir, LIBRARY_INFO_FILE);
  let info: LibraryInfo | null = null;
  if (existsSync(infoPath)) {
    try {
      info = JSON.parse(readFileSync(infoPath, 'utf8')) as LibraryInfo;
    } catch (err) {
      fail('BAD_FILE', `${infoPath} is not valid JSON; delete the library folder and build it again.`, err);
    }
  }
  // LanceDB's native logger reads LANCEDB_LOG once, when the module loads: keep its routine
  // warnings ("no existing dataset, it will be created") off the terminal unless the user asks.
  process.env.LANCEDB_LOG ??= 'error';
  const lance = await import('@lancedb/lancedb');
  const db = await lance.connect(dir);
  const names = await db.tableNames();
  const table = names.includes(TRACKS_TABLE) ? await db.openTable(TRACKS_TABLE) : null;
  if (table && !info) fail('BAD_FILE', `${dir} has a '${TRACKS_TABLE}' table but no ${LIBRARY_INFO_FILE}; it was not written by brain2music. Build the library in a new folder.`);
  return new LibraryStore(dir, lance, db, table, info);
}
