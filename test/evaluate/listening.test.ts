// The listening test's science: trials, each listener's plan, and the scoring, checked against
// SciPy (scipy.stats.binomtest: p-value and the Clopper–Pearson "exact" interval) on hand-made
// answer files, and Fleiss' kappa against the published worked example.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drawListeningTrials, listenerPlan, scoreListening, type ListeningCandidate } from '../../src/evaluate/index.ts';
import { createRng } from '../../src/linalg/index.ts';
import { binomialTest, clopperPearson, fleissKappa } from '../../src/stats/index.ts';
import { runListen } from '../../src/cli/commands/listen.ts';
import type { ScoreListeningResult } from '../../src/pipeline/jobs/listen.ts';
import type { ListeningAnswer } from '../../src/run/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import type { CliUi } from '../../src/cli/ui.ts';

const PY = '/usr/bin/python3';
const hasScipy = spawnSync(PY, ['-c', 'import scipy.stats'], { stdio: 'ignore' }).status === 0;
const skip = hasScipy ? false : 'needs /usr/bin/python3 with scipy (Debian python3-scipy)';

/** SciPy's two-sided binomtest p-value and Clopper–Pearson interval for each (k, n), from one python3 run for the whole file. */
const CASES: [number, number][] = [[0, 1], [1, 1], [0, 10], [9, 10], [5, 10], [15, 20], [7, 20], [50, 60], [30, 60], [120, 200], [3, 7], [11, 16], [43, 48], [5, 8], [6, 8], [7, 8], [4, 8]];
let cached: Map<string, { p: number; lo: number; hi: number }> | undefined;
function scipyBinom(cases: [number, number][]): { p: number; lo: number; hi: number }[] {
  if (!cached) {
    const py = 'import json, sys\nfrom scipy.stats import binomtest\nout = []\nfor k, n in json.load(sys.stdin):\n    r = binomtest(k, n, 0.5, alternative="two-sided"); ci = r.proportion_ci(0.95, method="exact")\n    out.append({"p": r.pvalue, "lo": ci.low, "hi": ci.high})\nprint(json.dumps(out))';
    const r = spawnSync(PY, ['-c', py], { input: JSON.stringify(CASES), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { p: number; lo: number; hi: number }[];
    cached = new Map(CASES.map(([k, n], i) => [`${k}/${n}`, out[i]!]));
  }
  return cases.map(([k, n]) => cached!.get(`${k}/${n}`) ?? assert.fail(`add ${k}/${n} to CASES`));
}

test('binomialTest(k, n) and clopperPearson(k, n) match scipy.stats.binomtest (two-sided p, exact interval) to 1e-9', { skip }, () => {
  const cases = CASES;
  const ref = scipyBinom(cases);
  cases.forEach(([k, n], i) => {
    assert.ok(Math.abs(binomialTest(k, n) - ref[i]!.p) < 1e-9, `p(${k}/${n}) ${binomialTest(k, n)} vs ${ref[i]!.p}`);
    const [lo, hi] = clopperPearson(k, n);
    assert.ok(Math.abs(lo - ref[i]!.lo) < 1e-9 && Math.abs(hi - ref[i]!.hi) < 1e-9, `ci(${k}/${n}) [${lo}, ${hi}] vs [${ref[i]!.lo}, ${ref[i]!.hi}]`);
  });
  // closed forms: P(X ≥ 9 or X ≤ 1 | 10, 0.5) = 22/1024; k = n: interval [(α/2)^(1/n), 1]
  assert.ok(Math.abs(binomialTest(9, 10) - 22 / 1024) < 1e-15);
  assert.ok(Math.abs(clopperPearson(10, 10)[0] - 0.025 ** (1 / 10)) < 1e-12);
  assert.ok(Math.abs(binomialTest(9, 10, 0.5, 'greater') - 11 / 1024) < 1e-15);
});

test("fleissKappa(counts) gives Fleiss' worked example (10 items, 14 raters, 5 categories): κ = 0.2099", () => {
  const counts = [0, 0, 0, 0, 14, 0, 2, 6, 4, 2, 0, 0, 3, 5, 6, 0, 3, 9, 2, 0, 2, 2, 8, 1, 1, 7, 7, 0, 0, 0, 3, 2, 6, 3, 0, 2, 5, 3, 2, 2, 6, 5, 2, 1, 0, 0, 2, 2, 3, 7];
  assert.ok(Math.abs(fleissKappa(counts, 10, 5) - 0.20993070442195522) < 1e-12); // P̄ = 0.37802, P̄e = 0.21276
  assert.equal(fleissKappa([2, 0, 0, 2], 2, 2), 1);
  assert.ok(Number.isNaN(fleissKappa([2, 0, 2, 0], 2, 2)), 'every rating in one category: undefined');
  assert.ok(Number.isNaN(fleissKappa([2, 0, 1, 0], 2, 2)), 'unequal raters per item');
});

const CANDIDATES: ListeningCandidate[] = ['sub-001', 'sub-002'].flatMap((subject) =>
  ['blues.00048', 'blues.00049', 'jazz.00048', 'jazz.00049', 'rock.00048'].map((clip) => ({ subject, clip, genre: clip.split('.')[0]! })));

test('drawListeningTrials(candidates, n, rng): same-subject foils of another clip, matched and mismatched in turn, deterministic; too many trials fail', () => {
  const trials = drawListeningTrials(CANDIDATES, 10, createRng(3));
  assert.deepEqual(trials, drawListeningTrials(CANDIDATES, 10, createRng(3)));
  assert.equal(new Set(trials.map((t) => `${t.subject} ${t.clip}`)).size, 10, 'one trial per pair before any pair repeats');
  for (const t of trials) {
    assert.notEqual(t.foil, t.clip);
    assert.equal(t.foilGenreMatch, t.foilGenre === t.clipGenre);
    assert.equal(t.clipGenre, t.clip.split('.')[0]);
  }
  // rock.00048 has no second rock clip: its foil is always of another genre; the others alternate
  const matched = trials.filter((t) => t.foilGenreMatch).length;
  assert.ok(matched >= 3 && matched <= 5, `${matched} of 10 genre-matched`);
  assert.deepEqual(trials.map((t) => t.trial).slice(0, 3), ['t01', 't02', 't03']);
  const all = drawListeningTrials(CANDIDATES, 18, createRng(3)); // 10 pairs × 2 kinds of foil, minus the 2 rock clips' matched ones
  assert.equal(new Set(all.map((t) => `${t.subject} ${t.clip} ${t.foilGenreMatch}`)).size, 18);
  assert.throws(() => drawListeningTrials(CANDIDATES, 19, createRng(3)), (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_INPUT' && /at most 18/.test(e.message));
});

test('listenerPlan(trials, seed, listener): every trial once, the right answer on the left in half, fixed by seed and name', () => {
  const ids = Array.from({ length: 9 }, (_, i) => `t0${i + 1}`);
  const a = listenerPlan(ids, 0, 'L01');
  assert.deepEqual(a, listenerPlan(ids, 0, 'L01'));
  assert.deepEqual(a.map((p) => p.trial).sort(), ids);
  assert.deepEqual(a.map((p) => p.position), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(a.filter((p) => p.clipOnLeft).length, 5);
  assert.notDeepEqual(a, listenerPlan(ids, 0, 'L02'));
  assert.notDeepEqual(a, listenerPlan(ids, 1, 'L01'));
});

/** A hand-made answer line: trial tNN, its subject and foil kind, and whether the choice was right. */
function line(listener: string, n: number, correct: boolean): ListeningAnswer {
  const trial = `t0${n}`;
  const subject = [1, 2, 5, 6].includes(n) ? 'sub-001' : 'sub-002';
  const foilGenreMatch = n <= 4;
  const clip = 'blues.00048';
  const foil = foilGenreMatch ? 'blues.00049' : 'jazz.00048';
  const sides = n % 2 ? { left: clip, right: foil } : { left: foil, right: clip };
  const choice = (sides.left === clip) === correct ? 'left' : 'right';
  return {
    trial, subject, clip, clipGenre: 'blues', foil, foilGenre: foil.split('.')[0]!, foilGenreMatch, listener, kind: 'generated', seed: 0, pageVersion: 'listen/1', position: n,
    sides, choice, chosen: sides[choice], correct, responseMs: 1000 + n, input: 'mouse', plays: { original: 1, left: 1, right: 1 }, answeredAt: '2026-12-01T00:00:00.000Z',
  };
}

// Listener A: 6 of 8 right; listener B: 5 of 8 (and a torn last line). By hand: overall 11/16;
// genre-matched foils (t01–t04) 5/8, mismatched 6/8; sub-001 (t01, t02, t05, t06) 7/8, sub-002 4/8.
const A = [true, true, false, true, true, true, false, true];
const B = [true, false, false, true, true, true, true, false];

function handMadeRun(): { run: string; warnings: string[]; ui: CliUi } {
  const run = mkdtempSync(join(tmpdir(), 'b2m-score-'));
  mkdirSync(join(run, 'listening'));
  const jsonl = (name: string, ok: boolean[]) => ok.map((c, i) => JSON.stringify(line(name, i + 1, c))).join('\n') + '\n';
  writeFileSync(join(run, 'listening/A.jsonl'), jsonl('A', A));
  writeFileSync(join(run, 'listening/B.jsonl'), jsonl('B', B) + '{"trial":"t09","listener":"B","kind":"gen'); // torn by a crash
  const warnings: string[] = [];
  const lines: string[] = [];
  return { run, warnings, ui: { info: (l) => lines.push(l), warn: (l) => warnings.push(l), progress: () => ({ update() {}, end() {} }) } };
}

test('listen RUN --score on hand-made answer files: fractions, Clopper–Pearson intervals and two-sided p-values as scipy gives them; the torn line is left out with a warning', { skip }, async () => {
  const { run, warnings, ui } = handMadeRun();
  const res = (await runListen({ run, score: true }, ui)) as ScoreListeningResult;
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /B\.jsonl: line 9 is incomplete .* the 8 lines before it are read/);
  const [s] = res.scores;
  assert.ok(s);
  assert.equal(s.kind, 'generated');
  assert.equal(s.nAnswers, 16);
  assert.equal(s.nListeners, 2);
  const groups = [s.overall, s.overall.genreMatched, s.overall.genreMismatched, s.perSubject['sub-001']!, s.perSubject['sub-002']!, s.perListener.A!, s.perListener.B!];
  assert.deepEqual(groups.map((g) => [g.correct, g.n]), [[11, 16], [5, 8], [6, 8], [7, 8], [4, 8], [6, 8], [5, 8]]);
  const ref = scipyBinom(groups.map((g) => [g.correct, g.n]));
  groups.forEach((g, i) => {
    assert.equal(g.fraction, g.correct / g.n);
    assert.equal(g.chance, 0.5);
    assert.ok(Math.abs(g.p - ref[i]!.p) < 1e-9, `p ${g.p} vs scipy ${ref[i]!.p}`);
    assert.ok(Math.abs(g.ci95[0] - ref[i]!.lo) < 1e-9 && Math.abs(g.ci95[1] - ref[i]!.hi) < 1e-9);
  });
  // agreement by hand: the same choice in 5 of 8 shared trials; chance 0.75·0.625 + 0.25·0.375 = 0.5625;
  // Fleiss: P̄ = 5/8, P̄e = (11/16)² + (5/16)² = 146/256, κ = (160 − 146)/(256 − 146) = 7/55
  assert.deepEqual(s.agreement.pairwise, { value: 0.625, nShared: 8, nPairs: 1, chance: 0.5625 });
  assert.ok(Math.abs(s.agreement.fleissKappa!.value - 7 / 55) < 1e-12);
  assert.equal(s.agreement.fleissKappa!.nTrials, 8);
  assert.match(s.method.interval, /Clopper–Pearson/);
  assert.match(s.method.test, /two-sided/);
  assert.deepEqual(JSON.parse(readFileSync(join(run, 'listening/score.json'), 'utf8')), JSON.parse(JSON.stringify(res.scores)));
  assert.match(res.lines[1]!, /^ {2}all answers +68\.8% correct \(11 of 16 answers; 95% interval 41\.3%–89%; p = 0\.210; chance 50%\)$/);
});

test('scoreListening: an earlier damaged line fails naming the file and line; no answers fails with NOT_FOUND', async () => {
  const { run, ui } = handMadeRun();
  writeFileSync(join(run, 'listening/A.jsonl'), 'not json\n' + JSON.stringify(line('A', 1, true)) + '\n');
  await assert.rejects(runListen({ run, score: true }, ui), (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_FILE' && /A\.jsonl line 1 is not valid JSON/.test(e.message));
  const empty = mkdtempSync(join(tmpdir(), 'b2m-score-'));
  await assert.rejects(runListen({ run: empty, score: true }, ui), (e: unknown) => e instanceof Brain2MusicError && e.code === 'NOT_FOUND');
  assert.equal(scoreListening('retrieved', [line('A', 1, true)]).nAnswers, 0, 'answers of another kind are not counted');
});
