// The listening page in headless chromium, against the real server: a listener enters a code,
// plays every clip (each audio element loads), answers every trial by mouse and one by keyboard,
// reloads halfway and resumes; the answer lines and the score then match the choices made.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { runListen } from '../../src/cli/commands/listen.ts';
import type { ListenJobResult, ScoreListeningResult } from '../../src/pipeline/jobs/listen.ts';
import { listenerPlan } from '../../src/evaluate/index.ts';
import { buildReport } from '../../src/report/index.ts';
import type { ListeningAnswer } from '../../src/run/index.ts';
import { silentUi } from '../../src/cli/ui.ts';
import { ARTIFACTS, chromiumSkip as skip, launchChromium, watchPage } from '../helpers/chromium.ts';
import { writeListenRun } from './listenFixture.ts';

const LISTENER = 'P07';
const N = 4;
let run: string;
let res: ListenJobResult;
let context: BrowserContext;
let page: Page;
let seen: { errors: string[]; requests: string[] };

before(async () => {
  if (skip) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  run = writeListenRun();
  res = (await runListen({ run, trials: N, port: 0 }, silentUi)) as ListenJobResult;
  context = await launchChromium();
  page = await context.newPage();
  seen = watchPage(page);
});
after(async () => {
  await context?.close();
  await res?.server.close();
});

/** The three audio elements of the trial shown, once each has loaded (or failed). */
async function loadedAudio(p: Page): Promise<{ clip: string; src: string; ready: number; error: number }[]> {
  await p.waitForFunction(() => [...document.querySelectorAll('#trial audio')].every((a) => (a as HTMLAudioElement).readyState >= 2 || (a as HTMLAudioElement).error), null, { timeout: 10000 });
  return p.$$eval('#trial audio', (els) => els.map((a) => ({ clip: a.getAttribute('data-clip')!, src: (a as HTMLAudioElement).currentSrc, ready: (a as HTMLAudioElement).readyState, error: (a as HTMLAudioElement).error?.code ?? 0 })));
}

test('listening page in chromium: every trial answered (mouse, and keyboard once), reloaded halfway and resumed; the JSONL lines and the score match the choices made', { skip }, async () => {
  const plan = listenerPlan(res.session.trials.map((t) => t.trial), res.session.seed, LISTENER);
  const byTrial = new Map(res.session.trials.map((t) => [t.trial, t]));
  // the choices: right at positions 1, 2 and 4, wrong at 3; position 2 by keyboard
  const wantRight = (pos: number) => pos !== 3;
  const made: { trial: string; choice: 'left' | 'right'; correct: boolean; input: string }[] = [];
  await page.goto(res.url);
  await page.locator('#listener').fill(LISTENER);
  await page.locator('#who button[type=submit]').click();
  for (let pos = 1; pos <= N; pos++) {
    await page.locator('#position').filter({ hasText: `Trial ${pos}` }).waitFor({ timeout: 10000 });
    const audio = await loadedAudio(page);
    const p = plan[pos - 1]!;
    const t = byTrial.get(p.trial)!;
    const url = (rel: string) => `${res.server.url}${rel}`;
    assert.deepEqual(audio.map(({ clip, src, error }) => ({ clip, src, error })), [
      { clip: 'original', src: url(t.audio.original), error: 0 },
      { clip: 'left', src: url(p.clipOnLeft ? t.audio.clip : t.audio.foil), error: 0 },
      { clip: 'right', src: url(p.clipOnLeft ? t.audio.foil : t.audio.clip), error: 0 },
    ], `trial ${p.trial}: the page plays the planned clips`);
    assert.ok(audio.every((a) => a.ready >= 2), 'every audio element loaded');
    assert.ok(await page.locator('button.choose').first().isDisabled(), 'no choice before all three are heard');
    const choice: 'left' | 'right' = wantRight(pos) === p.clipOnLeft ? 'left' : 'right';
    const keyboard = pos === 2;
    if (keyboard) {
      for (const k of ['o', 'a', 'b', 'a']) await page.keyboard.press(k); // A played twice: replay is allowed
      await page.keyboard.press(choice === 'left' ? '1' : 'ArrowRight');
    } else {
      for (const c of ['original', 'left', 'right']) await page.locator(`button.play[data-clip=${c}]`).click();
      if (pos === 1) await page.screenshot({ path: join(ARTIFACTS, 'listen.png'), clip: { x: 0, y: 0, width: 900, height: 370 } });
      await page.locator(`button.choose[data-choice=${choice}]`).click();
    }
    made.push({ trial: p.trial, choice, correct: wantRight(pos), input: keyboard ? 'keyboard' : 'mouse' });
    if (pos === 2) {
      await page.locator('#position').filter({ hasText: 'Trial 3' }).waitFor({ timeout: 10000 });
      await page.reload(); // resumes at trial 3 with the same listener, from localStorage and the server's answers
    }
  }
  await page.locator('#done').waitFor({ state: 'visible', timeout: 10000 });
  assert.match((await page.locator('#done-text').textContent()) ?? '', new RegExp(`All ${N} answers of ${LISTENER} are recorded`));
  assert.doesNotMatch(await page.locator('main').innerText(), /correct|wrong|right answer|score/i, 'no feedback on the page');
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(seen.requests.filter((u) => !u.startsWith(res.server.url)), [], 'nothing but the local server is asked');
  assert.ok(seen.requests.filter((u) => u.endsWith('/api/start')).length === 2, 'started once, and once more after the reload');

  const lines = readFileSync(join(run, 'listening', `${LISTENER}.jsonl`), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as ListeningAnswer);
  assert.deepEqual(lines.map((l) => ({ trial: l.trial, choice: l.choice, correct: l.correct, input: l.input })), made);
  for (const [i, l] of lines.entries()) {
    const t = byTrial.get(l.trial)!;
    assert.deepEqual([l.listener, l.position, l.clip, l.foil, l.foilGenreMatch, l.subject, l.seed, l.pageVersion, l.kind], [LISTENER, i + 1, t.clip, t.foil, t.foilGenreMatch, t.subject, 0, 'listen/1', 'generated']);
    assert.equal(l.chosen, l.sides[l.choice]);
    assert.equal(l.correct, l.chosen === l.clip);
    assert.ok(l.responseMs > 0 && l.responseMs < 60000, `response time ${l.responseMs} ms`);
    assert.deepEqual(l.plays, i === 1 ? { original: 1, left: 2, right: 1 } : { original: 1, left: 1, right: 1 });
  }

  const scored = (await runListen({ run, score: true }, silentUi)) as ScoreListeningResult;
  const s = scored.scores[0]!;
  const matched = made.filter((m) => byTrial.get(m.trial)!.foilGenreMatch);
  assert.deepEqual([s.overall.correct, s.overall.n, s.perListener[LISTENER]!.correct, s.overall.genreMatched.correct, s.overall.genreMatched.n],
    [3, N, 3, matched.filter((m) => m.correct).length, matched.length]);
  assert.equal(s.overall.fraction, 3 / 4);
  assert.ok(Math.abs(s.overall.p - 0.625) < 1e-12, 'two-sided exact binomial p of 3 of 4: 10/16');
  const report = await buildReport(run, join(run, 'report'));
  assert.match(readFileSync(report.index, 'utf8'), /<tr><td>all answers<\/td><td class="num">4<\/td><td class="num">75%<\/td>/);
  if (process.env.B2M_DOCS_SCREENSHOT) copyFileSync(join(ARTIFACTS, 'listen.png'), 'docs/listen.png');
});
