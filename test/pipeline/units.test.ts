// Work units: a stage split by subject runs as one unit per subject (`--unit`, one Slurm array
// task each) or, locally, as one call of the stage; either writes the same bytes, and units
// finishing at the same moment in different processes lose none of each other's records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentUi } from '../../src/cli/ui.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { parseRunConfig, readManifest, runPipeline, runUnit, stageSeed, type RunConfig, type Stage } from '../../src/pipeline/index.ts';
import { aggregateStage } from '../../src/pipeline/units.ts';
import { makeSynthetic, writeSyntheticBids } from '../decode/synthetic.ts';

/** A BIDS dataset of 3 subjects and two toy stages: "embed" writes a file, "decode" (per subject) writes one per subject from it. */
function setup() {
  const root = mkdtempSync(join(tmpdir(), 'b2m-units-'));
  const syn = makeSynthetic();
  writeSyntheticBids(join(root, 'bids'), syn, ['sub-001', 'sub-002', 'sub-003'], join(root, 'emb.npy'));
  const config = parseRunConfig({ out: join(root, 'run'), seed: 3, dataset: { bids: join(root, 'bids') } }, 'cfg.json', root);
  const calls: string[][] = [];
  const embed: Stage = {
    name: 'embed',
    title: 'a number',
    needs: [],
    plan: () => ({ inputs: [], outputs: ['embeddings/x.txt'], params: {} }),
    async run(ctx) {
      mkdirSync(join(ctx.outDir, 'embeddings'), { recursive: true });
      writeFileSync(join(ctx.outDir, 'embeddings/x.txt'), '41');
      return {};
    },
  };
  const decode: Stage = {
    name: 'decode',
    title: 'per subject',
    needs: ['embed'],
    perSubject: () => true,
    plan: ({ run, runDir }) => ({ inputs: [join(runDir, 'embeddings/x.txt')], outputs: run.subjects().map((s) => `subjects/${s}/decode`), params: { k: 1 } }),
    async run(ctx) {
      const subjects = ctx.run.subjects();
      calls.push(subjects);
      const x = Number(readFileSync(join(ctx.runDir, 'embeddings/x.txt'), 'utf8'));
      for (const s of subjects) {
        mkdirSync(join(ctx.outDir, 'subjects', s, 'decode'), { recursive: true });
        writeFileSync(join(ctx.outDir, 'subjects', s, 'decode', 'metrics.json'), JSON.stringify({ subject: s, value: x + Number(s.slice(4)), seed: ctx.seed }));
      }
      return Object.fromEntries(subjects.map((s) => [s, `decoded ${s}`]));
    },
  };
  return { root, config, calls, stages: [embed, decode] };
}

const file = (c: RunConfig, s: string) => readFileSync(join(c.out, 'subjects', s, 'decode', 'metrics.json'), 'utf8');

test('a stage split by subject: the local run calls it once for all its units and records each unit and the stage', async () => {
  const s = setup();
  const out = await runPipeline(s.config, s.stages, { ui: silentUi });
  assert.deepEqual(out.slice(1, 3).map((o) => [o.name, o.status]), [['embed', 'ran'], ['decode', 'ran']]);
  assert.deepEqual(s.calls, [['sub-001', 'sub-002', 'sub-003']]);
  const m = readManifest<RunConfig>(s.config.out)!;
  assert.deepEqual(Object.keys(m.units!).filter((u) => u.startsWith('decode')), ['decode:sub-001', 'decode:sub-002', 'decode:sub-003']);
  assert.deepEqual(m.units!['decode:sub-002']!.outputs, ['subjects/sub-002/decode']);
  assert.deepEqual(m.units!['decode:sub-002']!.summary, { 'sub-002': 'decoded sub-002' });
  assert.equal(m.stages.decode!.status, 'done');
  assert.deepEqual(m.stages.decode!.outputs, ['subjects/sub-001/decode', 'subjects/sub-002/decode', 'subjects/sub-003/decode']);
  assert.deepEqual(m.stages.decode!.summary, { 'sub-001': 'decoded sub-001', 'sub-002': 'decoded sub-002', 'sub-003': 'decoded sub-003' });
  // a deleted output reruns its unit only
  const { rmSync } = await import('node:fs');
  rmSync(join(s.config.out, 'subjects/sub-002'), { recursive: true });
  const again = await runPipeline(s.config, s.stages, { ui: silentUi });
  assert.equal(again[2]!.status, 'ran');
  assert.deepEqual(s.calls.at(-1), ['sub-002']);
  assert.equal(readManifest<RunConfig>(s.config.out)!.units!['decode:sub-001']!.reused, true);
});

test('runUnit(decode:sub-002) alone writes the bytes the local run writes; before embed it records not-run, and an unknown unit is refused', async () => {
  const a = setup();
  await runPipeline(a.config, a.stages, { ui: silentUi });
  const b = setup();
  const early = await runUnit(b.config, b.stages, 'decode:sub-002', { ui: silentUi });
  assert.equal(early.status, 'not-run');
  assert.equal(readManifest<RunConfig>(b.config.out)!.units!['decode:sub-002']!.reason, 'needs embed, which did not finish');
  await runUnit(b.config, b.stages, 'embed', { ui: silentUi });
  for (const u of ['decode:sub-003', 'decode:sub-001', 'decode:sub-002']) assert.equal((await runUnit(b.config, b.stages, u, { ui: silentUi })).status, 'ran');
  assert.deepEqual(b.calls, [['sub-003'], ['sub-001'], ['sub-002']]);
  for (const sub of ['sub-001', 'sub-002', 'sub-003']) assert.equal(file(b.config, sub), file(a.config, sub));
  assert.equal(JSON.parse(file(b.config, 'sub-001')).seed, stageSeed(3, 'decode'));
  const m = readManifest<RunConfig>(b.config.out)!;
  assert.equal(m.stages.decode!.status, 'done');
  assert.equal((await runUnit(b.config, b.stages, 'decode:sub-002', { ui: silentUi })).status, 'reused');
  await assert.rejects(runUnit(b.config, b.stages, 'decode:sub-009', { ui: silentUi }), (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_INPUT' && /its units are decode:sub-001, decode:sub-002, decode:sub-003/.test(e.message));
  await assert.rejects(runUnit(b.config, b.stages, 'nothing', { ui: silentUi }), /names no stage/);
});

test('a unit another live process runs is refused with the holder named; its earlier output stays', async () => {
  const s = setup();
  await runPipeline(s.config, s.stages, { ui: silentUi });
  const before = file(s.config, 'sub-001');
  const { hostname } = await import('node:os');
  mkdirSync(join(s.config.out, '.locks'), { recursive: true });
  writeFileSync(join(s.config.out, '.locks', 'decode-sub-001.lock'), `${process.pid}@${hostname()}`);
  await assert.rejects(runUnit(s.config, s.stages, 'decode:sub-001', { ui: silentUi, force: ['decode'] }),
    (e: unknown) => e instanceof Brain2MusicError && /unit decode:sub-001 .* is being run by another brain2music process \(pid \d+ on /.test(e.message));
  assert.equal(file(s.config, 'sub-001'), before);
});

test('many processes recording units in run.json at the same moment lose no record', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-writers-'));
  const config = parseRunConfig({ out: dir, dataset: { bids: dir } }, 'cfg.json', dir);
  const { updateManifest } = await import('../../src/run/index.ts');
  updateManifest(dir, () => ({ format: 'brain2music-run/1', createdAt: '', updatedAt: '', config, versions: { brain2music: '', node: '', platform: '', packages: {} }, seeds: { master: 0 }, checksums: {}, stages: {}, units: {} }));
  const writers = 12;
  const each = 25;
  const script = `
    const { updateManifest } = await import(${JSON.stringify(new URL('../../src/run/index.ts', import.meta.url).href)});
    const w = Number(process.argv.at(-1));
    for (let k = 0; k < ${each}; k++) updateManifest(${JSON.stringify(dir)}, (m) => ({ ...m, units: { ...m.units, ['w' + w + ':' + k]: { status: 'done', seconds: k } } }));`;
  const children = Array.from({ length: writers }, (_, w) => spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, String(w)], { stdio: ['ignore', 'ignore', 'pipe'] }));
  const codes = await Promise.all(children.map((c) => new Promise<[number, string]>((r) => {
    let err = '';
    c.stderr!.on('data', (d) => (err += d));
    c.on('close', (code) => r([code ?? 1, err]));
  })));
  for (const [code, err] of codes) assert.equal(code, 0, err);
  const units = readManifest(dir)!.units!;
  assert.equal(Object.keys(units).length, writers * each, `${writers} writers × ${each} records each`);
});

test('aggregateStage: done only when every unit is; one failure fails the stage; all skipped is not-run', () => {
  const done = (s: string, seconds: number) => ({ status: 'done' as const, inputsHash: s, outputs: [s], seconds, summary: { [s]: s }, inputs: [{ path: 'x', sha256: 'y' }] });
  const agg = aggregateStage([done('a', 1), done('b', 2)]);
  assert.equal(agg.status, 'done');
  assert.deepEqual(agg.outputs, ['a', 'b']);
  assert.equal(agg.seconds, 3);
  assert.deepEqual(agg.inputs, [{ path: 'x', sha256: 'y' }]);
  assert.deepEqual(aggregateStage([done('a', 1), undefined]), { status: 'partial', reason: '1 of 2 units done' });
  assert.equal(aggregateStage([done('a', 1), { status: 'failed', error: 'boom' }]).error, 'boom');
  assert.equal(aggregateStage([{ status: 'not-run', reason: 'off' }, { status: 'not-run', reason: 'off' }]).status, 'not-run');
});
