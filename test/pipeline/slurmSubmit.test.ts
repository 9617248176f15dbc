// What `run --executor slurm` asks of Slurm, checked against stand-ins for sbatch and squeue on
// PATH that record their arguments (the real cluster run is test/cluster/slurm.cluster.ts, `npm
// run test:slurm`): one job array per stage, a task per unit, dependencies between stages, the
// configured resources, and the refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentUi } from '../../src/cli/ui.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { availableStages, parseRunConfig, readSubmissions, runOnSlurm } from '../../src/pipeline/index.ts';

/** A folder with fake `sbatch` (logs its arguments, prints ids 101, 102, …) and `squeue` (prints QUEUE). */
function fakeSlurm(queue = '') {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-fake-slurm-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const calls = join(dir, 'calls.txt');
  writeFileSync(join(bin, 'sbatch'), `#!/bin/sh\nn=$(( $(cat ${dir}/n 2>/dev/null || echo 100) + 1 ))\necho $n > ${dir}/n\necho "$@" >> ${calls}\necho $n\n`);
  writeFileSync(join(bin, 'squeue'), `#!/bin/sh\nprintf '${queue}'\n`);
  for (const f of ['sbatch', 'squeue']) chmodSync(join(bin, f), 0o755);
  return { dir, bin, calls: () => readFileSync(calls, 'utf8').trim().split('\n') };
}

async function withPath<T>(bin: string, work: () => Promise<T>): Promise<T> {
  const old = process.env.PATH;
  process.env.PATH = `${bin}:${old}`;
  try {
    return await work();
  } finally {
    process.env.PATH = old;
  }
}

const CONFIG = {
  dataset: { simulate: { preset: 'demo', subjects: 3 } },
  slurm: { partition: 'short', cpus: 2, mem: '4G', time: '00:30:00', extraArgs: ['--qos=test'], stages: { encode: { mem: '16G', cpus: 4 } } },
};

test('run --executor slurm --detach: one array per stage with a task per unit, afterok on the stages it reads, the resources of the configuration', async () => {
  const fake = fakeSlurm();
  const root = mkdtempSync(join(tmpdir(), 'b2m-submit-'));
  const configPath = join(root, 'cfg.json');
  writeFileSync(configPath, JSON.stringify({ out: 'run', ...CONFIG }));
  const config = parseRunConfig({ out: 'run', ...CONFIG }, configPath, root);
  await withPath(fake.bin, () => runOnSlurm(config, availableStages(), { ui: silentUi, configPath, detach: true }));
  const sub = readSubmissions(config.out).at(-1)!;
  const jobOf = Object.fromEntries(sub.jobs.map((j) => [j.stage, j.jobId]));
  assert.deepEqual(sub.jobs.map((j) => [j.stage, j.jobId, j.units.length]), [
    ['simulate', '101', 1], ['embed', '102', 1], ['decode', '103', 3], ['library', '104', 1], ['retrieve', '105', 3],
    ['generate', '106', 3], ['encode', '107', 3], ['evaluate', '108', 1], ['report', '109', 1],
  ]);
  assert.deepEqual(sub.jobs.find((j) => j.stage === 'decode')!.units, ['decode:sub-001', 'decode:sub-002', 'decode:sub-003']);
  assert.deepEqual(sub.jobs.find((j) => j.stage === 'generate')!.dependsOn, [jobOf.decode, jobOf.library, jobOf.simulate]);
  assert.deepEqual(sub.jobs.find((j) => j.stage === 'embed')!.dependsOn, [jobOf.simulate]);
  const calls = fake.calls();
  assert.equal(calls.length, 9);
  const decode = calls[2]!;
  for (const a of ['--job-name=b2m-decode', '--array=0-2', '--kill-on-invalid-dep=yes', `--dependency=afterok:${jobOf.embed}:${jobOf.simulate}`, '--partition=short', '--cpus-per-task=2', '--mem=4G', '--time=00:30:00', '--qos=test']) {
    assert.ok(decode.split(' ').includes(a), `decode's sbatch lacks ${a}: ${decode}`);
  }
  assert.ok(decode.includes(`--output=${join(config.out, 'logs', 'slurm', 'decode-%A_%a.log')}`));
  assert.ok(calls[6]!.split(' ').includes('--mem=16G') && calls[6]!.split(' ').includes('--cpus-per-task=4'), `encode's own resources: ${calls[6]}`);
  assert.deepEqual(sub.jobs[2]!.logs, [0, 1, 2].map((i) => join(config.out, 'logs', 'slurm', `decode-103_${i}.log`)));
  const script = readFileSync(sub.jobs[2]!.script, 'utf8');
  assert.match(script, /units=\('decode:sub-001' 'decode:sub-002' 'decode:sub-003'\)/);
  assert.match(script, /export BRAIN2MUSIC_THREADS="\$\{SLURM_CPUS_PER_TASK:-1\}"/);
  assert.ok(script.includes(`run '${configPath}' --unit "$unit"`));
});

test('run --executor slurm refuses while jobs of the run are queued unless --resume, and says when sbatch is missing', async () => {
  const root = mkdtempSync(join(tmpdir(), 'b2m-submit-'));
  const configPath = join(root, 'cfg.json');
  const config = parseRunConfig({ out: 'run', ...CONFIG }, configPath, root);
  const first = fakeSlurm();
  await withPath(first.bin, () => runOnSlurm(config, availableStages(), { ui: silentUi, configPath, detach: true }));
  // decode's array (103) still runs: its tasks are listed by squeue
  const busy = fakeSlurm('103_0|RUNNING|None\\n103_1|RUNNING|None\\n103_2|PENDING|Resources\\n');
  await assert.rejects(withPath(busy.bin, () => runOnSlurm(config, availableStages(), { ui: silentUi, configPath, detach: true })),
    (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_INPUT' && /3 units of .* are still queued or running \(decode:sub-001, decode:sub-002, decode:sub-003\).*--resume/.test(e.message));
  // --resume: what the running tasks do not cover, waiting for them task by task
  await withPath(busy.bin, () => runOnSlurm(config, availableStages(), { ui: silentUi, configPath, detach: true, resume: true }));
  const again = readSubmissions(config.out).at(-1)!;
  assert.equal(again.jobs.some((j) => j.stage === 'decode'), false, 'the running decode units are not submitted twice');
  assert.deepEqual(again.jobs.find((j) => j.stage === 'retrieve')!.dependsOn.slice(0, 3), ['103_0', '103_1', '103_2']);
  const old = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    await assert.rejects(runOnSlurm({ ...config, out: join(root, 'other') }, availableStages(), { ui: silentUi, configPath, detach: true }),
      (e: unknown) => e instanceof Brain2MusicError && e.code === 'UNSUPPORTED' && /sbatch is not on PATH.*--executor local/.test(e.message));
  } finally {
    process.env.PATH = old;
  }
});

test('run --executor slurm with shards: the shards of a stage in one array, its merges in another after it; a merge goes again with its shards', async () => {
  const fake = fakeSlurm();
  const root = mkdtempSync(join(tmpdir(), 'b2m-submit-'));
  const configPath = join(root, 'cfg.json');
  const cfg = { out: 'run', ...CONFIG, dataset: { simulate: { preset: 'demo', subjects: 2 } }, shards: { embed: 2, library: 3, encode: 2 } };
  writeFileSync(configPath, JSON.stringify(cfg));
  const config = parseRunConfig(cfg, configPath, root);
  await withPath(fake.bin, () => runOnSlurm(config, availableStages(), { ui: silentUi, configPath, detach: true }));
  const sub = readSubmissions(config.out).at(-1)!;
  assert.deepEqual(sub.jobs.map((j) => [j.stage, j.jobId, j.units]), [
    ['simulate', '101', ['simulate']],
    ['embed', '102', ['embed:builtin:1-of-2', 'embed:builtin:2-of-2']], ['embed', '103', ['embed:builtin']],
    ['decode', '104', ['decode:sub-001', 'decode:sub-002']],
    ['library', '105', ['library:1-of-3', 'library:2-of-3', 'library:3-of-3']], ['library', '106', ['library']],
    ['retrieve', '107', ['retrieve:sub-001', 'retrieve:sub-002']], ['generate', '108', ['generate:sub-001', 'generate:sub-002']],
    ['encode', '109', ['encode:sub-001:1-of-2', 'encode:sub-001:2-of-2', 'encode:sub-002:1-of-2', 'encode:sub-002:2-of-2']], ['encode', '110', ['encode:sub-001', 'encode:sub-002']],
    ['evaluate', '111', ['evaluate']], ['report', '112', ['report']],
  ]);
  const dependsOn = (id: string) => sub.jobs.find((j) => j.jobId === id)!.dependsOn;
  assert.deepEqual(dependsOn('102'), ['101'], 'embed shards after simulate');
  assert.deepEqual(dependsOn('103'), ['101', '102'], 'the merge after its shards');
  assert.deepEqual(dependsOn('104'), ['102', '103', '101'], 'decode after all of embed');
  assert.deepEqual(dependsOn('110'), ['102', '103', '101', '109']);
  assert.ok(fake.calls()[8]!.includes(`--output=${join(config.out, 'logs', 'slurm', 'encode-shards-%A_%a.log')}`));
  // --resume while one encode block still runs: the merges are not submitted before it, but after it
  const busy = fakeSlurm('109_1|RUNNING|None\\n');
  await withPath(busy.bin, () => runOnSlurm(config, availableStages(), { ui: silentUi, configPath, detach: true, resume: true }));
  const again = readSubmissions(config.out).at(-1)!;
  const encode = again.jobs.filter((j) => j.stage === 'encode');
  assert.deepEqual(encode.map((j) => j.units), [['encode:sub-001:1-of-2', 'encode:sub-002:1-of-2', 'encode:sub-002:2-of-2'], ['encode:sub-001', 'encode:sub-002']]);
  assert.ok(encode[1]!.dependsOn.includes('109_1') && encode[1]!.dependsOn.includes(encode[0]!.jobId), encode[1]!.dependsOn.join(' '));
});
