// Work units split into shards (config "shards"): the clips of each embedding model, the library's
// tracks and each subject's voxels, each in n shard units and a merge. Against the same run
// unsplit: the embeddings and the encoding maps are byte-identical (FDR over every voxel at the
// merge), the library holds the same rows in the same order; units run one at a time, as a
// cluster's array tasks run them, write what the local run writes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runConfigured } from '../../src/cli/commands/run.ts';
import { runSimulate } from '../../src/cli/commands/simulate.ts';
import { silentUi } from '../../src/cli/ui.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { openLibrary } from '../../src/library/index.ts';
import { availableStages, parseRunConfig, readManifest, runUnit, type RunConfig } from '../../src/pipeline/index.ts';
import { staleUnits } from '../../src/pipeline/runPipeline.ts';

const root = mkdtempSync(join(tmpdir(), 'b2m-shards-'));
const dataset = join(root, 'dataset');
const SHARDS = { embed: 2, library: 3, encode: 2 };
// every run on one simulated dataset (simulated once, in before()); generation and the report off (they only read what is compared)
const configFor = (name: string, shards?: typeof SHARDS): RunConfig => parseRunConfig({
  out: join(root, name), seed: 5, report: false, generate: null, encode: { null: 'gaussian' }, ...(shards ? { shards } : {}), dataset: { bids: dataset },
}, 'shards.test', root);
const plain = configFor('plain');
const sharded = configFor('sharded', SHARDS);

/** Output files by run-relative path, the run folder's own path made RUN; bookkeeping, shards and the LanceDB folder (compared by rows) left out. */
function outputs(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (['run.json', 'library', 'shards', '.locks', '.staging'].includes(rel)) continue;
      if (statSync(p).isDirectory()) walk(p);
      else out.set(rel, readFileSync(p).toString('latin1').split(dir).join('RUN'));
    }
  };
  walk(dir);
  return out;
}

async function libraryRows(runDir: string) {
  const lib = await openLibrary(join(runDir, 'library'));
  try {
    const rows = await lib.readAll();
    return { ...rows, vectors: Array.from(rows.vectors), paths: rows.paths.map((p) => p.split(runDir).join('RUN')) };
  } finally {
    lib.close();
  }
}

before(async () => {
  // 1 subject, 4 genres × (4 training + 2 test) clips, ~700 voxels, 20 library tracks
  await runSimulate({ out: dataset, preset: 'demo', subjects: 1, genres: ['blues', 'classical', 'metal', 'reggae'], trainPerGenre: 4, testPerGenre: 2, voxels: 700, library: 20, snr: { auditory: 4, higher: 2, informativeFraction: 0.9 } }, silentUi);
  await runConfigured(plain, undefined, silentUi);
  await runConfigured(sharded, undefined, silentUi);
});
after(() => rmSync(root, { recursive: true, force: true }));

test('shards: embed, library and encode split into shard units and a merge write what the unsplit run writes', async () => {
  const units = Object.keys(readManifest(sharded.out)!.units!);
  assert.deepEqual(units.filter((u) => /^(embed|library|encode)/.test(u)), [
    'embed:builtin:1-of-2', 'embed:builtin:2-of-2', 'embed:builtin', 'library:1-of-3', 'library:2-of-3', 'library:3-of-3', 'library',
    'encode:sub-001:1-of-2', 'encode:sub-001:2-of-2', 'encode:sub-001',
  ]);
  const [a, b] = [outputs(plain.out), outputs(sharded.out)];
  assert.deepEqual([...b.keys()], [...a.keys()]);
  for (const [rel, bytes] of a) assert.ok(bytes === b.get(rel), `${rel} differs between the sharded and the unsplit run`);
  assert.ok(a.has('subjects/sub-001/encode/builtin_q.nii.gz') && a.has('embeddings/builtin.npy'));
  assert.deepEqual(await libraryRows(sharded.out), await libraryRows(plain.out));
  const m = readManifest(sharded.out)!;
  // the stage's summary is the merges' (a shard's stays on its unit)
  assert.match(String(m.stages.embed!.summary!.builtin), /^24 clips × \d+ windows × \d+ .*; 2 shards$/);
  assert.equal(m.stages.library!.summary!.tracks, 20);
  assert.deepEqual(Object.keys(m.units!['library:2-of-3']!.summary!), ['2-of-3']);
});

test('shards run unit by unit (as array tasks): a merge before its shards is refused, then the same bytes; a rerun shard makes its merge stale', async () => {
  const one = configFor('by-unit', SHARDS);
  const stages = availableStages();
  await assert.rejects(runUnit(one, stages, 'embed:builtin', { ui: silentUi }),
    (e: unknown) => e instanceof Brain2MusicError && e.code === 'NOT_FOUND' && /merges shard units that are not done: embed:builtin:1-of-2, embed:builtin:2-of-2/.test(e.message));
  for (const u of ['embed:builtin:2-of-2', 'embed:builtin:1-of-2', 'embed:builtin', 'encode:sub-001:2-of-2', 'encode:sub-001:1-of-2', 'encode:sub-001']) {
    assert.equal((await runUnit(one, stages, u, { ui: silentUi })).status, 'ran', u);
  }
  for (const f of ['embeddings/builtin.npy', 'embeddings/builtin.json', 'subjects/sub-001/encode/builtin_r.nii.gz', 'subjects/sub-001/encode/summary.json']) {
    assert.equal(readFileSync(join(one.out, f), 'latin1').split(one.out).join('RUN'), readFileSync(join(plain.out, f), 'latin1').split(plain.out).join('RUN'), f);
  }
  const encode = stages.find((s) => s.name === 'encode')!;
  assert.deepEqual(await staleUnits(one, encode, false), []);
  rmSync(join(one.out, 'shards/encode/sub-001/1-of-2'), { recursive: true });
  assert.deepEqual(await staleUnits(one, encode, false), ['encode:sub-001:1-of-2', 'encode:sub-001']);
});

test('more shards than items is refused with the key named', async () => {
  const many = configFor('too-many', { embed: 1, library: 50, encode: 1 });
  await assert.rejects(runUnit(many, availableStages(), 'library:7-of-50', { ui: silentUi }),
    (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_INPUT' && /shards\.library \(tracks of the library\): 50 shards of 20; give at most 20 shards/.test(e.message));
});
