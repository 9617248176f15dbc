// bench:ann — exact versus approximate (IVF_PQ) cosine search in the music library store, on a
// synthetic library of N 128-d float32 vectors (default N = 1,000,000; ANN_N=… to change).
//
// Data: embeddings of music are clustered (genres, styles), so the library is drawn from a
// mixture of 1024 Gaussian clusters: centre ~ N(0, I), vector = centre + 0.6 · N(0, I); queries
// are fresh draws from the same mixture (not library members), like decoded embeddings.
// Reported: time to write the table (commits of 50,000 rows), its fragments before and after
// `optimize()`, the time to build the index; time per query (1,000 queries searched as one batch)
// of the exact TS brute force (the baseline, on the first 100 queries: it takes 0.8 s a query),
// the exact matrix-product search that `retrieve` uses by default (vectors in memory, and read
// from the table block by block as the pipeline does: identical hits checked), LanceDB's exhaustive flat
// search (first 100 queries, one at a time) and the IVF_PQ index at several nprobes, with the
// queries sent 1, 8, 32 or 128 per LanceDB query (`addQueryVector`; the default 32) and the rss
// after each (a batch holds its queries' candidates); recall@10 of each against the exact top 10
// (the matrix-product search, identical to the brute force on the queries both ran: checked).
// Ratios are against the baseline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cosineTopK, cosineTopKGemm, openLibrary, type LibraryEntry } from '../src/library/index.ts';
import { createRng, mulberry32 } from '../src/linalg/index.ts';

const N = Number(process.env.ANN_N ?? 1_000_000);
const DIM = 128;
const Q = Number(process.env.ANN_QUERIES ?? 1000);
/** Queries of the slow searches (the TS brute force, LanceDB flat, one query at a time). */
const Q_SLOW = Math.min(Q, Number(process.env.ANN_SLOW_QUERIES ?? 100));
const K = 10;
const CLUSTERS = 1024;
const BATCH = 50_000;

const normal = createRng(2024).normal;
const uniform = mulberry32(7);
const centres = Float32Array.from({ length: CLUSTERS * DIM }, normal);
function draw(n: number): Float32Array {
  const out = new Float32Array(n * DIM);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(uniform() * CLUSTERS);
    for (let d = 0; d < DIM; d++) out[i * DIM + d] = centres[c * DIM + d]! + 0.6 * normal();
  }
  return out;
}

const sec = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const mb = () => (process.memoryUsage().rss / 2 ** 20).toFixed(0);

const dir = mkdtempSync(join(tmpdir(), 'b2m-ann-'));
try {
  console.log(`bench:ann  N = ${N.toLocaleString('en')} vectors × ${DIM}-d float32, ${Q} queries, k = ${K}, ${CLUSTERS} clusters`);
  let t0 = process.hrtime.bigint();
  const vectors = draw(N);
  const queries = draw(Q);
  console.log(`generated in ${sec(t0).toFixed(1)} s (rss ${mb()} MB)`);

  const lib = await openLibrary(dir);
  lib.setInfo({ model: 'synthetic', version: '1', dim: DIM, excerptSec: 15, windowSec: 10, hopSec: 1.5 });
  t0 = process.hrtime.bigint();
  for (let s = 0; s < N; s += BATCH) {
    const entries: LibraryEntry[] = [];
    for (let i = s; i < Math.min(N, s + BATCH); i++) entries.push({ id: `t${i}`, path: `/lib/t${i}.mp3`, genre: null, vector: vectors.subarray(i * DIM, (i + 1) * DIM) });
    await lib.add(entries);
  }
  const writeSec = sec(t0);
  const fragmentsWritten = await lib.fragments();
  t0 = process.hrtime.bigint();
  await lib.optimize();
  const optimizeSec = sec(t0);
  console.log(`table written in ${writeSec.toFixed(1)} s (${fragmentsWritten} fragments); optimize() in ${optimizeSec.toFixed(1)} s: ${await lib.fragments()} fragments`);

  t0 = process.hrtime.bigint();
  await lib.createAnnIndex();
  const indexSec = sec(t0);
  console.log(`IVF_PQ index (cosine, ${Math.round(Math.sqrt(N))} partitions, ${DIM / 8} sub-vectors × 8 bits) built in ${indexSec.toFixed(1)} s (rss ${mb()} MB)`);

  // baseline: exact brute force in TypeScript (vectors in memory), on the first Q_SLOW queries
  t0 = process.hrtime.bigint();
  const exact = cosineTopK(vectors, queries.subarray(0, Q_SLOW * DIM), DIM, K);
  const exactPerQuery = sec(t0) / Q_SLOW;
  t0 = process.hrtime.bigint();
  const gemm = await cosineTopKGemm(vectors, queries, DIM, K);
  const gemmSec = sec(t0);
  const idsOf = (top: { indices: Int32Array | Uint32Array }, q: number) => Array.from(top.indices.subarray(q * K, (q + 1) * K), (i) => `t${i}`);
  for (let q = 0; q < Q_SLOW; q++) {
    if (idsOf(exact, q).join() !== idsOf(gemm, q).join()) throw new Error(`query ${q}: the matrix-product search differs from the brute force`);
  }
  const truth = Array.from({ length: Q }, (_, q) => new Set(idsOf(gemm, q)));
  const recall = (hits: { id: string }[][]) => hits.reduce((s, h, q) => s + h.filter((x) => truth[q]!.has(x.id)).length, 0) / (hits.length * K);

  const rows: [string, number, number][] = [[`exact (TS brute force, baseline; ${Q_SLOW} queries)`, exactPerQuery, 1]];
  rows.push([`exact (matrix products, default; ${Q} queries)`, gemmSec / Q, recall(Array.from({ length: Q }, (_, q) => idsOf(gemm, q).map((id) => ({ id }))))]);
  // what the pipeline's retrieve and generate stages run on a library without an index: the table read block by block, never held whole
  t0 = process.hrtime.bigint();
  const streamed = await lib.exactTopK(queries, K);
  const streamedSec = sec(t0);
  for (let q = 0; q < Q; q++) {
    if (idsOf(streamed, q).join() !== idsOf(gemm, q).join()) throw new Error(`query ${q}: the streamed exact search differs from the in-memory one`);
  }
  rows.push([`exact through the store (65,536-row blocks; ${Q} queries)`, streamedSec / Q, 1]);
  t0 = process.hrtime.bigint();
  const all = await lib.readAll();
  const readSec = sec(t0);
  console.log(`reading all ${all.ids.length.toLocaleString('en')} vectors back from the table (what exact search does first): ${readSec.toFixed(1)} s`);
  t0 = process.hrtime.bigint();
  const flat = await lib.search(queries.subarray(0, Q_SLOW * DIM), { k: K, mode: 'flat' });
  rows.push([`LanceDB flat (exhaustive; ${Q_SLOW} queries)`, sec(t0) / Q_SLOW, recall(flat)]);
  // the default index settings with queries sent one at a time (as search did before batching) and in batches
  for (const queryBatch of [1, 8, 32, 128]) {
    t0 = process.hrtime.bigint();
    const hits = await lib.search(queries, { k: K, mode: 'ann', nprobes: 20, refineFactor: 50, queryBatch });
    rows.push([`IVF_PQ nprobes=20 refine=50, ${queryBatch} per LanceDB query (rss ${mb()} MB)`, sec(t0) / Q, recall(hits)]);
  }
  // refineFactor r: the index proposes r·k candidates by their PQ codes, re-ranked with the full vectors
  for (const [nprobes, refineFactor] of [[20, 1], [20, 10], [20, 50], [20, 100], [50, 50], [50, 100], [50, 200], [100, 200]] as const) {
    await lib.search(queries.subarray(0, DIM), { k: K, mode: 'ann', nprobes, refineFactor }); // warm the index
    t0 = process.hrtime.bigint();
    const ann = await lib.search(queries, { k: K, mode: 'ann', nprobes, refineFactor });
    rows.push([`IVF_PQ nprobes=${nprobes} refine=${refineFactor} (32 per LanceDB query)`, sec(t0) / Q, recall(ann)]);
  }
  console.log(`\n${'search'.padEnd(58)} ms/query   vs exact   recall@10`);
  for (const [name, perQuery, rec] of rows) {
    console.log(`${name.padEnd(58)} ${(perQuery * 1000).toFixed(2).padStart(9)}  ${(exactPerQuery / perQuery).toFixed(1).padStart(8)}x  ${rec.toFixed(3).padStart(9)}`);
  }
  console.log(`\nbuild: write ${writeSec.toFixed(1)} s + optimize ${optimizeSec.toFixed(1)} s + index ${indexSec.toFixed(1)} s; peak rss ${mb()} MB`);
  lib.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
