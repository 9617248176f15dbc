import { existsSync, readFileSync } from 'node:fs';
import { fail } from '../../errors.ts';
import { averageWindows } from '../../evaluate/index.ts';
import { readNpy, writeJsonAtomic } from '../../io/index.ts';
import { openLibrary, type SearchHit, type SearchMode } from '../../library/index.ts';
import type { CliUi } from '../ui.ts';

export interface RetrieveOptions {
  /** Library folder made by `brain2music library build`. */
  db: string;
  /** Query embeddings: `.npy` of n × dim, or clips × windows × dim (averaged over windows). */
  query: string;
  /** Hits per query (default 5). */
  k?: number;
  /** exact (default), flat (LanceDB exhaustive) or ann (the library's index). */
  search?: SearchMode;
  /** ann: IVF partitions probed. */
  nprobes?: number;
  /** Write the results as JSON here. */
  out?: string;
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
    const hits = await lib.search(queries, { k, mode: search, nprobes: opts.nprobes });
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
    if (opts.out) {
      writeJsonAtomic(opts.out, result);
      ui.info(`wrote ${opts.out}`);
    }
    return result;
  } finally {
    lib.close();
  }
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
