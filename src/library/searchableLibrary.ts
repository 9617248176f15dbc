import { RETRIEVE_DEFAULTS } from '../defaults.ts';
import { fail } from '../errors.ts';
import type { TopK } from './cosineTopK.ts';
import { cosineTopKGemm } from './cosineTopKGemm.ts';
import type { LibraryCatalog, LibraryStore, LibraryVectors, RowSearchMode } from './libraryStore.ts';

/** How a library is searched: 'auto' is its ANN index when it has one, else exact. */
export type LibrarySearchChoice = 'auto' | RowSearchMode;

/**
 * A library as the pipeline's stages use it: ids, paths and genres in memory, the vectors left
 * where they are (a 1M-track library's are 2 GB at 512-d), searched and read row by row.
 */
export interface SearchableLibrary extends LibraryCatalog {
  /** The search `nearest` runs. */
  readonly search: RowSearchMode;
  /** The k nearest rows by cosine for each query (nQueries × dim), best first. */
  nearest(queries: Float32Array, k: number): Promise<TopK>;
  /** The vectors of some rows. */
  vectorsAt(rows: Iterable<number>): Promise<Map<number, Float32Array>>;
}

/**
 * The library in `store`, searched through LanceDB: 'ann' asks its IVF_PQ index (re-ranked with
 * the full vectors), 'exact' scores every track, from memory below `RETRIEVE_DEFAULTS.annMinTracks`
 * tracks (read once: the generate stage searches one embedding at a time) and above it block by
 * block from the table (never held whole). The store must stay open while the result is used.
 */
export async function searchableLibrary(store: LibraryStore, choice: LibrarySearchChoice, opts: { inMemoryBelow?: number } = {}): Promise<SearchableLibrary> {
  const indexed = await store.hasAnnIndex();
  if (choice === 'ann' && !indexed) fail('NOT_FOUND', `retrieve.search is "ann" but library ${store.dir} has no ANN index; build it with "library": {"ann": true} (or 'brain2music library build --ann'), or set retrieve.search to "auto".`);
  const search: RowSearchMode = choice === 'auto' ? (indexed ? 'ann' : 'exact') : choice;
  if (search === 'exact' && (await store.count()) < (opts.inMemoryBelow ?? RETRIEVE_DEFAULTS.annMinTracks)) return inMemoryLibrary(await store.readAll());
  const catalog = await store.catalog();
  const rowOf = new Map(catalog.ids.map((id, i) => [id, i]));
  return {
    ...catalog,
    search,
    nearest: (queries, k) => store.topK(queries, k, search, catalog, { rowOf }),
    vectorsAt: (rows) => store.vectorsAt(rows, catalog),
  };
}

/** Vectors already in memory behind the same interface (exact search): for tests and small tools. */
export function inMemoryLibrary(lib: Pick<LibraryVectors, 'ids' | 'vectors' | 'dim'> & Partial<LibraryVectors>): SearchableLibrary {
  const { dim } = lib;
  return {
    ids: lib.ids,
    paths: lib.paths ?? lib.ids.map(() => ''),
    genres: lib.genres ?? lib.ids.map(() => null),
    dim,
    search: 'exact',
    nearest: (queries, k) => cosineTopKGemm(lib.vectors, queries, dim, k),
    vectorsAt: async (rows) => new Map([...rows].map((i) => [i, lib.vectors.slice(i * dim, (i + 1) * dim)])),
  };
}
