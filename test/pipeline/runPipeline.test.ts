import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { checksumPath, lockRun, parseRunConfig, readManifest, runPipeline, stageSeed, type RunConfig, type Stage } from '../../src/pipeline/index.ts';
import { spawn } from 'node:child_process';
import { Brain2MusicError } from '../../src/errors.ts';
import { silentUi } from '../../src/cli/ui.ts';

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

/** Two real stages on files: "simulate" upper-cases an input text file, "embed" counts its letters. */
function setup() {
  const root = mkdtempSync(join(tmpdir(), 'b2m-pipe-'));
  const input = join(root, 'input.txt');
  writeFileSync(input, 'abc');
  const config = parseRunConfig({ out: join(root, 'run'), seed: 7, dataset: { bids: root } }, 'cfg.json', root);
  const calls = { simulate: 0, embed: 0 };
  let failEmbed = false;
  let strayFile = false;
  const simulate: Stage = {
    name: 'simulate',
    title: 'upper-case the input',
    needs: [],
    plan: () => ({ inputs: [input], outputs: ['dataset/upper.txt'], params: { mode: 'upper' } }),
    async run(ctx) {
      calls.simulate++;
      const text = readFileSync(input, 'utf8').toUpperCase();
      mkdirSync(join(ctx.outDir, 'dataset'), { recursive: true });
      writeFileSync(join(ctx.outDir, 'dataset/upper.txt'), text.replace(/\d/g, ''));
      if (strayFile) writeFileSync(join(ctx.outDir, 'stray.txt'), 'x');
      return { characters: text.length };
    },
  };
  const embed: Stage = {
    name: 'embed',
    title: 'count letters',
    needs: ['simulate'],
    plan: (ctx) => ({ inputs: [join(ctx.runDir, 'dataset/upper.txt')], outputs: ['embeddings'], params: {} }),
    async run(ctx) {
      calls.embed++;
      const text = readFileSync(join(ctx.runDir, 'dataset/upper.txt'), 'utf8');
      mkdirSync(join(ctx.outDir, 'embeddings'), { recursive: true });
      writeFileSync(join(ctx.outDir, 'embeddings/count.txt'), String(text.length));
      if (failEmbed) {
        writeFileSync(join(ctx.outDir, 'embeddings/count.txt'), 'partial');
        throw new Brain2MusicError('BAD_FILE', 'embed broke on purpose');
      }
      return { seed: ctx.seed };
    },
  };
  return { root, input, config, calls, stages: [simulate, embed], setFail: (v: boolean) => (failEmbed = v), setStray: (v: boolean) => (strayFile = v) };
}

test('runPipeline(first run) runs the stages, commits outputs and writes run.json', async () => {
  const s = setup();
  const out = await runPipeline(s.config, s.stages, { ui: silentUi });
  assert.deepEqual(out.map((o) => [o.name, o.status]), [
    ['simulate', 'ran'], ['embed', 'ran'], ['decode', 'unavailable'], ['library', 'unavailable'], ['retrieve', 'unavailable'],
    ['generate', 'unavailable'], ['encode', 'unavailable'], ['evaluate', 'unavailable'], ['report', 'unavailable'],
  ]);
  assert.equal(readFileSync(join(s.config.out, 'dataset/upper.txt'), 'utf8'), 'ABC');
  assert.equal(readFileSync(join(s.config.out, 'embeddings/count.txt'), 'utf8'), '3');
  assert.equal(existsSync(join(s.config.out, '.staging')), false);
  const m = readManifest<RunConfig>(s.config.out)!;
  assert.equal(m.config.seed, 7);
  assert.equal(m.seeds.master, 7);
  assert.equal(m.seeds.embed, stageSeed(7, 'embed'));
  assert.equal(m.stages.embed?.summary?.seed, stageSeed(7, 'embed'));
  assert.equal(m.versions.node, process.version);
  assert.equal(m.versions.packages.commander, JSON.parse(readFileSync('node_modules/commander/package.json', 'utf8')).version);
  assert.deepEqual(m.stages.simulate?.inputs, [{ path: s.input, sha256: sha('abc') }]);
  assert.equal(m.checksums[s.input]?.sha256, sha('abc'));
  assert.equal(m.stages.simulate?.status, 'done');
  assert.ok(typeof m.stages.simulate?.seconds === 'number' && m.stages.simulate.seconds >= 0);
  assert.deepEqual(m.stages.simulate?.summary, { characters: 3 });
  assert.equal(m.stages.decode?.reason, 'not among the stages given to runPipeline');
});

test('runPipeline(second run) reuses current stages without running them', async () => {
  const s = setup();
  await runPipeline(s.config, s.stages, { ui: silentUi });
  const out = await runPipeline(s.config, s.stages, { ui: silentUi });
  assert.deepEqual(out.slice(0, 2).map((o) => o.status), ['reused', 'reused']);
  assert.deepEqual(s.calls, { simulate: 1, embed: 1 });
  assert.equal(readManifest<RunConfig>(s.config.out)!.stages.embed?.reused, true);
});

test('runPipeline(changed input) reruns the stage; downstream reruns only if its input bytes changed', async () => {
  const s = setup();
  await runPipeline(s.config, s.stages, { ui: silentUi });
  writeFileSync(s.input, 'abc1'); // digits are dropped: simulate's output stays "ABC"
  let out = await runPipeline(s.config, s.stages, { ui: silentUi });
  assert.deepEqual(out.slice(0, 2).map((o) => o.status), ['ran', 'reused']);
  writeFileSync(s.input, 'abcd');
  out = await runPipeline(s.config, s.stages, { ui: silentUi });
  assert.deepEqual(out.slice(0, 2).map((o) => o.status), ['ran', 'ran']);
  assert.equal(readFileSync(join(s.config.out, 'embeddings/count.txt'), 'utf8'), '4');
  assert.deepEqual(s.calls, { simulate: 3, embed: 2 });
});

test('runPipeline(deleted output) reruns the stage that wrote it', async () => {
  const s = setup();
  await runPipeline(s.config, s.stages, { ui: silentUi });
  rmSync(join(s.config.out, 'embeddings'), { recursive: true });
  const out = await runPipeline(s.config, s.stages, { ui: silentUi });
  assert.deepEqual(out.slice(0, 2).map((o) => o.status), ['reused', 'ran']);
});

test('runPipeline(stage throws) keeps the previous outputs, records the failure, and resumes there', async () => {
  const s = setup();
  await runPipeline(s.config, s.stages, { ui: silentUi });
  writeFileSync(s.input, 'abcdef');
  s.setFail(true);
  await assert.rejects(runPipeline(s.config, s.stages, { ui: silentUi }), /embed broke on purpose/);
  assert.equal(readFileSync(join(s.config.out, 'embeddings/count.txt'), 'utf8'), '3', 'old output untouched, no partial file');
  const m = readManifest<RunConfig>(s.config.out)!;
  assert.equal(m.stages.embed?.status, 'failed');
  assert.equal(m.stages.embed?.error, 'embed broke on purpose');
  assert.equal(m.stages.simulate?.status, 'done');
  s.setFail(false);
  const out = await runPipeline(s.config, s.stages, { ui: silentUi });
  assert.deepEqual(out.slice(0, 2).map((o) => o.status), ['reused', 'ran']);
  assert.equal(readFileSync(join(s.config.out, 'embeddings/count.txt'), 'utf8'), '6');
  assert.deepEqual(readdirSync(s.config.out).sort(), ['dataset', 'embeddings', 'run.json']);
});

test('runPipeline(interrupted stage) finds its partial work in the staging folder on the next attempt', async () => {
  const s = setup();
  await runPipeline(s.config, s.stages, { ui: silentUi });
  writeFileSync(s.input, 'abcdefg');
  s.setFail(true);
  await assert.rejects(runPipeline(s.config, s.stages, { ui: silentUi }));
  const seen: string[] = [];
  const embed = { ...s.stages[1]!, run: async (ctx: Parameters<Stage['run']>[0], plan: Parameters<Stage['run']>[1]) => {
    seen.push(readFileSync(join(ctx.outDir, 'embeddings/count.txt'), 'utf8'));
    return s.stages[1]!.run(ctx, plan);
  } };
  s.setFail(false);
  await runPipeline(s.config, [s.stages[0]!, embed], { ui: silentUi });
  assert.deepEqual(seen, ['partial'], 'the partial file from the failed attempt was there');
  // Inputs changed since the failure: the staging folder starts empty.
  s.setFail(true);
  writeFileSync(s.input, 'xy');
  await assert.rejects(runPipeline(s.config, s.stages, { ui: silentUi }));
  writeFileSync(s.input, 'xyz');
  s.setFail(false);
  const fresh = { ...s.stages[1]!, run: async (ctx: Parameters<Stage['run']>[0], plan: Parameters<Stage['run']>[1]) => {
    seen.push(existsSync(join(ctx.outDir, 'embeddings/count.txt')) ? 'stale' : 'empty');
    return s.stages[1]!.run(ctx, plan);
  } };
  await runPipeline(s.config, [s.stages[0]!, fresh], { ui: silentUi });
  assert.deepEqual(seen, ['partial', 'empty']);
  assert.equal(existsSync(join(s.config.out, '.staging')), false);
});

test('runPipeline(stage writes an undeclared file) fails as an internal error and commits nothing', async () => {
  const s = setup();
  s.setStray(true);
  await assert.rejects(runPipeline(s.config, s.stages, { ui: silentUi }), (e: unknown) => e instanceof Brain2MusicError && e.code === 'INTERNAL' && /did not declare: stray\.txt/.test(e.message));
  assert.equal(existsSync(join(s.config.out, 'dataset/upper.txt')), false);
});

test('runPipeline(needed stage missing) marks the dependent stage not-run with the reason', async () => {
  const s = setup();
  const out = await runPipeline(s.config, [s.stages[1]!], { ui: silentUi });
  assert.equal(out[1]!.status, 'not-run');
  assert.equal(out[1]!.reason, 'needs simulate, which did not finish');
  assert.equal(s.calls.embed, 0);
});

test('checksumPath(folder) hashes sorted "path<TAB>sha256" lines of its files, skipping dot files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-sum-'));
  mkdirSync(join(dir, 'b'));
  writeFileSync(join(dir, 'b/x.bin'), Buffer.from([1, 2, 3]));
  writeFileSync(join(dir, 'a.txt'), 'hello');
  writeFileSync(join(dir, '.tmp'), 'ignored');
  const expected = sha(`a.txt\t${sha('hello')}\nb/x.bin\t${sha(Buffer.from([1, 2, 3]))}\n`);
  assert.equal(checksumPath(dir), expected);
  assert.equal(checksumPath(join(dir, 'a.txt')), '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
});

test('lockRun(dir) refuses a folder another live process holds, takes over a stale lock, and releases', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-lock-'));
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
  try {
    writeFileSync(join(dir, '.lock'), String(other.pid));
    assert.throws(() => lockRun(dir), (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_INPUT' && e.message.includes(`pid ${other.pid}`));
  } finally {
    other.kill();
  }
  await new Promise((r) => other.once('exit', r));
  const release = lockRun(dir); // the holder is gone: stale lock taken over
  assert.equal(readFileSync(join(dir, '.lock'), 'utf8'), `${process.pid}@${hostname()}`);
  release();
  assert.equal(existsSync(join(dir, '.lock')), false);
  const s = setup();
  await runPipeline(s.config, s.stages, { ui: silentUi });
  assert.equal(existsSync(join(s.config.out, '.lock')), false, 'runPipeline releases its lock');
});

test('availableStages() has an adapter for every stage name, in pipeline order', async () => {
  const { availableStages } = await import('../../src/pipeline/stages/index.ts');
  const { STAGE_NAMES } = await import('../../src/pipeline/index.ts');
  assert.deepEqual(availableStages().map((s) => s.name), [...STAGE_NAMES]);
});
