// The demo configuration on a one-node Slurm cluster (test/helpers/slurmCluster.ts) against the
// same configuration run locally (into another folder): `npm run test:slurm` (run by .ci/run after `npm test`; it
// installs Debian's slurm-wlm and munge as root). About 9 to 13 minutes on 2 cores: the demo runs twice
// (locally, then on the cluster) and the units after a cancelled one once more.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { demoConfig } from '../../src/cli/commands/demo.ts';
import { runRun } from '../../src/cli/commands/run.ts';
import { silentUi } from '../../src/cli/ui.ts';
import { openLibrary } from '../../src/library/index.ts';
import { readManifest, readSubmissions, unitReport } from '../../src/pipeline/index.ts';
import { scancel, squeue } from '../../src/pipeline/slurm/slurmCommands.ts';
import { setThreadBudget } from '../../src/threads.ts';
import { clusterUnavailable, startCluster, type SlurmCluster } from '../helpers/slurmCluster.ts';

const why = clusterUnavailable();
let cluster: SlurmCluster | undefined;
const root = mkdtempSync(join(tmpdir(), 'b2m-cluster-'));
const localRun = join(root, 'local');
const slurmRun = join(root, 'slurm');
const seconds: Record<string, number> = {};

before(() => {
  if (!why) cluster = startCluster();
});
let passed = false;
after(() => {
  cluster?.stop();
  // a failure leaves both run folders for inspection
  if (passed || why) rmSync(root, { recursive: true, force: true });
  else console.log(`run folders kept: ${localRun}, ${slurmRun}`);
});

/**
 * Every output file of a run folder by relative path, with what differs between two run folders
 * by design made equal: the run folder's own path (RUN) in the files that record paths, and the
 * report's stage timings. Its bookkeeping (run.json, logs, .slurm) and the LanceDB library (its
 * files are named by random UUIDs: compared by rows below) are left out.
 */
function outputs(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (['run.json', 'logs', '.slurm', '.locks', '.staging', 'library'].includes(rel)) continue;
      if (statSync(p).isDirectory()) walk(p);
      else out.set(rel, /\.(json|html|tsv)$/.test(name) ? Buffer.from(normalized(readFileSync(p, 'utf8'), dir)) : readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

const normalized = (text: string, runDir: string) => text.split(runDir).join('RUN')
  // the report's Run section: its table and TSV give each stage's seconds; the rest of it is compared
  .replace(/<section id="run">[\s\S]*?<\/section>/, (run) => run.replace(/\d+(\.\d+)?/g, '…'));

/** The library's rows as stored: ids, genres, vectors, and the tracks' paths (inside the run folder: RUN). */
async function libraryRows(runDir: string): Promise<unknown> {
  const lib = await openLibrary(join(runDir, 'library'));
  try {
    const rows = await lib.readAll();
    return { ...rows, paths: rows.paths.map((p) => p.split(runDir).join('RUN')) };
  } finally {
    lib.close();
  }
}

async function waitUntil(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

test('the demo with --executor slurm: every unit a Slurm job, subjects in parallel array tasks, a cancelled unit resubmitted by --resume, outputs byte-identical to --executor local', { skip: why }, async () => {
  let t0 = performance.now();
  const localConfig = join(root, 'local.json');
  // the same configuration as the cluster's below (its slurm block is not read locally): the
  // report shows the configuration
  const slurmBlock = { cpus: 1, mem: '2500M' };
  // every split of the work in two: embed (clips), library (tracks), encode (each subject's voxels)
  const shards = { embed: 2, library: 2, encode: 2 };
  writeFileSync(localConfig, JSON.stringify({ ...demoConfig(localRun), slurm: slurmBlock, shards }));
  // one thread, as each unit has (cpus 1): ONNX Runtime's GEMMs sum in another order on 2 threads
  // (measured: decoded predictions up to 4.8e-7 apart, cvR 1e-9), which bytes would show
  setThreadBudget(1);
  await runRun({ config: localConfig }, silentUi);
  setThreadBudget(undefined);
  seconds.local = (performance.now() - t0) / 1000;

  // one CPU and 2.5 GB per unit: the two subjects of a stage share the node's 2 cores
  const slurmConfig = join(root, 'slurm.json');
  writeFileSync(slurmConfig, JSON.stringify({ ...demoConfig(slurmRun), slurm: slurmBlock, shards }));
  t0 = performance.now();
  const first = await runRun({ config: slurmConfig, executor: 'slurm', detach: true }, silentUi);
  assert.deepEqual(first.outcomes, []);
  const submission = readSubmissions(slurmRun).at(-1)!;
  assert.deepEqual(submission.jobs.map((j) => [j.stage, j.units]), [
    ['simulate', ['simulate']], ['embed', ['embed:builtin:1-of-2', 'embed:builtin:2-of-2']], ['embed', ['embed:builtin']],
    ['decode', ['decode:sub-001', 'decode:sub-002']], ['library', ['library:1-of-2', 'library:2-of-2']], ['library', ['library']],
    ['retrieve', ['retrieve:sub-001', 'retrieve:sub-002']], ['generate', ['generate:sub-001', 'generate:sub-002']],
    ['encode', ['encode:sub-001:1-of-2', 'encode:sub-001:2-of-2', 'encode:sub-002:1-of-2', 'encode:sub-002:2-of-2']], ['encode', ['encode:sub-001', 'encode:sub-002']],
    ['evaluate', ['evaluate']], ['report', ['report']],
  ]);
  const generate = submission.jobs.find((j) => j.stage === 'generate')!;
  const victim = `${generate.jobId}_0`; // generate:sub-001
  await waitUntil('generate:sub-001 to run', () => squeue([generate.jobId]).some((q) => q.id === victim && q.state === 'RUNNING'), 900_000);
  await new Promise((r) => setTimeout(r, 4000)); // mid-way: it is rendering
  scancel([victim]);
  const all = submission.jobs.map((j) => j.jobId);
  await waitUntil('the queue to empty', () => squeue(all).length === 0, 900_000);
  seconds.firstSubmission = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const states = new Map(unitReport(slurmRun, submission).map((u) => [u.unit, u.state]));
  assert.equal(states.get('generate:sub-001'), 'did-not-finish');
  assert.equal(states.get('generate:sub-002'), 'done');
  assert.equal(states.get('evaluate'), 'did-not-finish', 'cancelled by Slurm: the generate array it depends on did not complete');
  assert.equal(states.get('encode:sub-001'), 'done');

  const resumed = await runRun({ config: slurmConfig, executor: 'slurm', resume: true, pollMs: 1000 }, silentUi);
  seconds.resume = (performance.now() - t0) / 1000;
  console.log(`wall time: --executor local ${seconds.local!.toFixed(0)} s; --executor slurm: first submission ${seconds.firstSubmission!.toFixed(0)} s, --resume ${seconds.resume.toFixed(0)} s`);
  const again = readSubmissions(slurmRun).at(-1)!;
  assert.deepEqual(again.jobs.map((j) => [j.stage, j.units]), [['generate', ['generate:sub-001']], ['evaluate', ['evaluate']], ['report', ['report']]],
    '--resume submits the cancelled unit and what comes after it, nothing that is current');
  assert.ok(resumed.outcomes.every((o) => o.status === 'ran' || o.status === 'reused'), JSON.stringify(resumed.outcomes.map((o) => [o.name, o.status])));

  // every unit ran as a Slurm job: sacct lists a completed array task for each
  const jobs = cluster!.completedJobs();
  const units = Object.keys(readManifest(slurmRun)!.units!);
  assert.equal(units.length, 21);
  for (const s of readSubmissions(slurmRun)) {
    for (const j of s.jobs) {
      j.units.forEach((u, i) => {
        // the first submission's evaluate and report never started: Slurm cancelled them
        if (s.at === submission.at && (u === 'evaluate' || u === 'report')) return;
        const rec = jobs.find((x) => x.id === `${j.jobId}_${i}`);
        assert.ok(rec, `${u}: no job ${j.jobId}_${i} in sacct (${jobs.map((x) => x.id).join(' ')})`);
        assert.equal(rec.name, `b2m-${j.stage}`);
        if (`${j.jobId}_${i}` !== victim) assert.equal(rec.state, 'COMPLETED', `${u}`);
      });
    }
  }
  assert.equal(jobs.find((x) => x.id === victim)?.state, 'CANCELLED');
  // the outputs: byte for byte those of the local run (the report up to its timings)
  const [l, s] = [outputs(localRun), outputs(slurmRun)];
  assert.deepEqual([...s.keys()], [...l.keys()]);
  for (const [rel, bytes] of l) assert.ok(bytes.equals(s.get(rel)!), `${rel} differs between --executor local and --executor slurm`);
  assert.deepEqual(await libraryRows(slurmRun), await libraryRows(localRun), 'the library\'s rows');
  // the two subjects of a stage ran at the same time, as two tasks of one array (arrays of
  // independent stages, say encode beside generate, share the node too, so not every stage's do)
  const m = readManifest(slurmRun)!;
  const span = (u: string) => [Date.parse(m.units![u]!.startedAt!), Date.parse(m.units![u]!.finishedAt!)] as const;
  const overlapping = [['decode:sub-001', 'decode:sub-002'], ['retrieve:sub-001', 'retrieve:sub-002'], ['generate:sub-001', 'generate:sub-002'],
    ['encode:sub-001:1-of-2', 'encode:sub-002:1-of-2'], ['encode:sub-001', 'encode:sub-002']].filter(([u1, u2]) => {
    const [a, b] = [span(u1!), span(u2!)];
    return a[0] < b[1] && b[0] < a[1];
  });
  console.log(`units of two subjects that ran at the same time: ${overlapping.map((p) => p.join(' with ')).join(', ') || 'none'}`);
  assert.ok(overlapping.length > 0, 'no stage ran its two subjects in parallel');

  passed = true;
  console.log(`demo: --executor local ${seconds.local.toFixed(0)} s; --executor slurm on the one-node test cluster: first submission ${seconds.firstSubmission!.toFixed(0)} s (generate:sub-001 cancelled, evaluate and report with it), --resume ${seconds.resume!.toFixed(0)} s; ${l.size} files identical`);
});
