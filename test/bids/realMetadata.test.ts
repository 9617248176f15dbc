// The published ds003720 metadata (test/fixtures/ds003720-meta, byte for byte) through openDataset +
// loadResponses, with tiny synthetic BOLD and derivative arrays; then each quirk of the real files on
// small hand-made files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchedule, loadResponses, openDataset, readEvents, type Dataset, type RunEvents } from '../../src/bids/index.ts';
import { readNiftiSync } from '../../src/io/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { REAL_METADATA, writeDs003720Fixture, type FixtureTruth } from './ds003720Fixture.ts';

const PY = '/usr/bin/python3';
const isErr = (code: string, re: RegExp) => (e: unknown) => e instanceof Brain2MusicError && e.code === code && re.test(e.message);

let dir = '';
let truth: FixtureTruth;
let ds: Dataset;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'b2m-realmeta-'));
  truth = writeDs003720Fixture(join(dir, 'ds003720'), { metadata: REAL_METADATA, shape: [3, 2, 2] });
  ds = openDataset(truth.root);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const eventsFile = (task: string, run: number) => join(REAL_METADATA, 'sub-001', 'func', `sub-001_task-${task}_run-${String(run).padStart(2, '0')}_events.tsv`);

test('the fixture is the published metadata byte for byte: SHA-256 as listed, CRLF line ends, no final newline', () => {
  const sums = readFileSync(join(REAL_METADATA, 'SHA256SUMS'), 'utf8').trim().split('\n').map((l) => l.split(/\s+/));
  assert.equal(sums.length, 40); // 18 events + 18 bold.json + T1w.json + README, CHANGES, dataset_description.json
  for (const [sum, file] of sums) assert.equal(createHash('sha256').update(readFileSync(join(REAL_METADATA, file))).digest('hex'), sum, file);
  for (const [, file] of sums.filter(([, f]) => f.endsWith('_events.tsv'))) {
    const b = readFileSync(join(REAL_METADATA, file));
    assert.notEqual(b[b.length - 1], 0x0a, `${file} ends without a newline`);
    const lf = [...b.keys()].filter((i) => b[i] === 0x0a);
    assert.equal(lf.length, 41, file);
    assert.ok(lf.every((i) => b[i - 1] === 0x0d), `${file}: every line ends with CRLF`);
  }
  // the three malformed genres of training run 4 (lines 40-42), as published
  const run4 = readFileSync(eventsFile('Training', 4), 'utf8').split('\r\n');
  assert.deepEqual(run4.slice(39).map((l) => l.split('\t')[2]), ["classical'", "jazz'", "metal'"]);
});

test('openDataset(real metadata) yields 480 training and 60 test clips with the excerpt times of the files (python csv reference)', () => {
  // Independent reference: python's csv module on the 18 files, first row of each run dropped.
  const script = `
import csv, json, sys
d = sys.argv[1]
clips = {}
order = []
for task, n in (('Training', 12), ('Test', 6)):
    for r in range(1, n + 1):
        with open(f'{d}/sub-001/func/sub-001_task-{task}_run-{r:02d}_events.tsv', newline='') as f:
            rows = list(csv.DictReader(f, delimiter='\\t'))
        for row in rows[1:]:
            cid = row['genre'].strip("'") + '.' + row['track'].zfill(5)
            if cid not in clips:
                order.append(cid)
                clips[cid] = [row['genre'].strip("'"), int(row['track']), float(row['start']), float(row['end']), task]
print(json.dumps([[c] + clips[c] for c in order]))`;
  const py = spawnSync(PY, ['-c', script, REAL_METADATA], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);
  const ref = JSON.parse(py.stdout) as [string, string, number, number, number, string][];
  assert.equal(ref.length, 540);
  assert.equal(ds.tr, 1.5);
  assert.equal(ds.clips.filter((c) => c.split === 'training').length, 480);
  assert.equal(ds.clips.filter((c) => c.split === 'test').length, 60);
  assert.deepEqual(ds.clips.map((c) => [c.id, c.genre, c.track, c.start, c.end, c.split === 'training' ? 'Training' : 'Test']), ref);
  // a few against the files directly: the three rows without an opening quote, and the one 14.99 s excerpt
  const clip = (id: string) => ds.clips.find((c) => c.id === id)!;
  assert.deepEqual([clip('classical.00037').start, clip('classical.00037').end], [1.96, 16.96]);
  assert.deepEqual([clip('jazz.00058').start, clip('jazz.00058').end], [4.73, 19.73]);
  assert.deepEqual([clip('metal.00097').start, clip('metal.00097').end], [9.98, 24.98]);
  assert.deepEqual([clip('pop.00049').start, clip('pop.00049').end], [9.59, 24.58]);
  assert.deepEqual([clip('reggae.00088').start, clip('reggae.00088').end, clip('reggae.00088').split], [7.42, 22.42, 'training']);
  // schedule: 18 runs of 410 scans, duplicate first clip trimmed, 40 presentations each
  assert.equal(ds.schedule.length, 18);
  for (const s of ds.schedule) assert.deepEqual([s.nScansInFile, s.trimmedScans, s.scansPerClip, s.presentations.length], [410, 10, 10, 40]);
  const pres = ds.schedule.flatMap((s) => s.presentations);
  const training = pres.filter((p) => p.task === 'Training');
  assert.equal(training.length, 480);
  assert.equal(new Set(training.map((p) => p.clipId)).size, 480, 'each training clip once: the duplicates are dropped');
  for (const c of ds.clips.filter((x) => x.split === 'test')) {
    const reps = pres.filter((p) => p.clipId === c.id);
    assert.deepEqual(reps.map((p) => p.repetition), [0, 1, 2, 3], c.id);
    assert.ok(reps.every((p) => p.task === 'Test' && p.run === reps[0].run));
  }
  // training run 1 opens with training run 12's last clip (circularly); each test run with its own last
  const run1 = truth.runs[0];
  assert.equal(run1.duplicate, truth.runs[11].clips[39]);
  assert.equal(ds.schedule[0].presentations[0].clipId, run1.clips[0]);
  for (const r of truth.runs.filter((x) => x.task === 'Test')) assert.equal(r.duplicate, r.clips[39]);
});

test('loadResponses(real metadata, derivative) maps the 4800/2400/600 rows to the clips of the published events', async () => {
  const resp = await loadResponses(ds, 'sub-001', { source: 'derivative', zscore: false });
  const V = resp.nVoxels;
  assert.equal(V, truth.maskIndices.length);
  assert.equal(resp.runs.length, 18);
  assert.ok(resp.runs.every((r) => r.nScans === 400));
  for (const p of resp.presentations) {
    const run = resp.runs.find((r) => r.task === p.task && r.run === p.run)!;
    for (const [s, v] of [[0, 0], [9, V - 1]]) {
      assert.equal(run.data[(p.firstScan + s) * V + v], Math.fround(truth.code(p.clipId, s, v) + 0.25 * p.repetition), `${p.clipId} rep ${p.repetition}`);
    }
  }
  assert.deepEqual(resp.testMean!.clipIds, truth.testIds);
  assert.equal(resp.testMean!.data[(7 * 10 + 4) * V + 1], Math.fround(truth.code(truth.testIds[7], 4, 1) + 0.375));
});

test('loadResponses(real metadata, raw) cuts the duplicate first clip: each run keeps scans 10..409 of its BOLD file', async () => {
  const resp = await loadResponses(ds, 'sub-001', { source: 'raw', detrend: false, zscore: false });
  const V = resp.nVoxels;
  for (const [i, s] of [[0, ds.schedule[0]], [15, ds.schedule[15]]] as const) {
    const img = readNiftiSync(ds.files['sub-001'].runs.find((r) => r.task === s.task && r.run === s.run)!.bold!);
    const nVox = img.dims[0] * img.dims[1] * img.dims[2];
    for (const t of [0, 199, 399]) {
      for (const v of [0, V - 1]) assert.equal(resp.runs[i].data[t * V + v], img.data[(t + 10) * nVox + truth.maskIndices[v]]);
    }
  }
});

// ---- the quirks, one by one, on small hand-made files ----

const HEADER = 'onset\tduration\tgenre\ttrack\tstart\tend';
function eventsAt(name: string, rows: string[], eol = '\r\n', finalNewline = false): string {
  const d = mkdtempSync(join(dir, 'ev-'));
  const p = join(d, name);
  writeFileSync(p, [HEADER, ...rows].join(eol) + (finalNewline ? eol : ''));
  return p;
}

test('readEvents(file) reads CRLF line ends without a final newline, quoted genres, two-decimal times, GTZAN track indices', () => {
  const p = eventsAt('crlf_events.tsv', ["0\t15\t'disco'\t45\t4.99\t19.99", "15\t15\t'reggae'\t88\t7.42\t22.42"]);
  const rows = readEvents(p);
  assert.deepEqual(rows.map((r) => [r.onset, r.genre, r.track, r.clipId, r.start, r.end]), [
    [0, 'disco', 45, 'disco.00045', 4.99, 19.99],
    [15, 'reggae', 88, 'reggae.00088', 7.42, 22.42],
  ]);
  assert.equal(rows[1].end - rows[1].start > 14.999999, true);
  // same content with LF and a final newline reads the same
  assert.deepEqual(readEvents(eventsAt('lf_events.tsv', ["0\t15\t'disco'\t45\t4.99\t19.99", "15\t15\t'reggae'\t88\t7.42\t22.42"], '\n', true)), rows);
});

test('readEvents(file) accepts a genre with its opening (or closing) quote missing, as in training run 4', () => {
  const p = eventsAt('run4_events.tsv', ["570\t15\tclassical'\t37\t1.96\t16.96", "585\t15\t'jazz\t58\t4.73\t19.73", '600\t15\tmetal\t97\t9.98\t24.98']);
  assert.deepEqual(readEvents(p).map((r) => r.clipId), ['classical.00037', 'jazz.00058', 'metal.00097']);
});

test('readEvents(file) still fails on a genuinely bad genre or a quoted-on-one-side number, naming file and line', () => {
  const bad = (value: string, line: number) => {
    const rows = ["0\t15\t'disco'\t45\t4.99\t19.99", `15\t15\t${value}\t88\t7.42\t22.42`];
    const p = eventsAt('bad_events.tsv', rows);
    assert.throws(() => readEvents(p), isErr('BAD_FILE', new RegExp(`bad_events\\.tsv: line ${line}: genre .* is not a genre name`)), value);
  };
  bad("'clas sical'", 3);
  bad("'jazz\"", 3);
  bad("''", 3);
  bad("'9lives'", 3);
  bad("''jazz'", 3);
  const p = eventsAt('num_events.tsv', ["0\t15\t'disco'\t45'\t4.99\t19.99"]);
  assert.throws(() => readEvents(p), isErr('BAD_FILE', /num_events\.tsv: line 2, column track is '45'', expected a number/));
});

function run(task: 'Training' | 'Test', n: number, rows: [string, number, number][]): RunEvents {
  const text = rows.map(([id, s, e], i) => `${i * 15}\t15\t'${id.split('.')[0]}'\t${Number(id.split('.')[1])}\t${s}\t${e}`);
  const file = eventsAt(`sub-001_task-${task}_run-0${n}_events.tsv`, text);
  return { task, run: n, file, events: readEvents(file) };
}

test('buildSchedule(runs) drops each first clip: training run 1 repeating the last run\'s last clip (circularly), a test run its own last clip', () => {
  const a = ['blues.00001', 0, 15] as [string, number, number];
  const b = ['rock.00002', 1.5, 16.5] as [string, number, number];
  const c = ['jazz.00003', 2.25, 17.25] as [string, number, number];
  const d = ['pop.00004', 0.1, 15.09] as [string, number, number];
  const t1 = ['metal.00050', 3, 18] as [string, number, number];
  const t2 = ['disco.00051', 4, 19] as [string, number, number];
  // training run 1 opens with run 2's last clip (d), run 2 with run 1's last (b); the test run with its own last (t1)
  const runs = [run('Training', 1, [d, a, b]), run('Training', 2, [b, c, d]), run('Test', 1, [t1, t1, t2, t2, t1])];
  const { schedule, clips } = buildSchedule(runs, 1.5);
  assert.deepEqual(clips.map((x) => [x.id, x.start, x.end, x.split]), [
    ['blues.00001', 0, 15, 'training'], ['rock.00002', 1.5, 16.5, 'training'], ['jazz.00003', 2.25, 17.25, 'training'], ['pop.00004', 0.1, 15.09, 'training'],
    ['metal.00050', 3, 18, 'test'], ['disco.00051', 4, 19, 'test'],
  ]);
  assert.deepEqual(schedule.map((s) => s.presentations.map((p) => `${p.clipId}#${p.repetition}@${p.firstScan}`)), [
    ['blues.00001#0@0', 'rock.00002#0@10'],
    ['jazz.00003#0@0', 'pop.00004#0@10'],
    ['metal.00050#0@0', 'disco.00051#0@10', 'disco.00051#1@20', 'metal.00050#1@30'],
  ]);
  assert.deepEqual(schedule.map((s) => [s.trimmedScans, s.nScansInFile]), [[10, 30], [10, 30], [10, 50]]);
  // a duplicate whose excerpt differs from the clip it repeats is an error naming its file
  const wrong = [run('Training', 1, [[d[0], 0.2, 15.2], a, b]), run('Training', 2, [b, c, d])];
  assert.throws(() => buildSchedule(wrong, 1.5), isErr('MISMATCH', /sub-001_task-Training_run-01_events\.tsv: the first event \(clip pop\.00004, 0\.2–15\.2 s\).*plays pop\.00004 as 0\.1–15\.09 s/));
  // a duplicate of a clip not among the runs given (a subset of the runs) is dropped all the same
  assert.equal(buildSchedule([run('Training', 2, [b, c, d])], 1.5).clips.length, 2);
});

test('openDataset on the real metadata with run 4\'s genres broken further fails naming the file and line', () => {
  const root = join(dir, 'broken');
  writeDs003720Fixture(root, { metadata: REAL_METADATA, shape: [1, 1, 1], raw: false, derivative: false, atlas: false });
  const f = join(root, 'sub-001', 'func', 'sub-001_task-Training_run-04_events.tsv');
  writeFileSync(f, readFileSync(f, 'utf8').replace("\tjazz'\t", "\tja zz'\t"));
  assert.throws(() => openDataset(root), isErr('BAD_FILE', /sub-001_task-Training_run-04_events\.tsv: line 41: genre 'ja zz'' is not a genre name/));
});
