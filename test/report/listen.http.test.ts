// The listening server over HTTP: loopback only, the page folder alone (no traversal, no
// trials or answers), and every posted answer checked before it is appended.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runListen } from '../../src/cli/commands/listen.ts';
import type { ListenJobResult } from '../../src/pipeline/jobs/listen.ts';
import { listenerPlan } from '../../src/evaluate/index.ts';
import type { ListeningAnswer } from '../../src/run/index.ts';
import { silentUi, type CliUi } from '../../src/cli/ui.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { httpRequest, traversalAttacks } from '../helpers/http.ts';
import { writeListenRun } from './listenFixture.ts';

let run: string;
let res: ListenJobResult;
let port: number;
const warnings: string[] = [];
const ui: CliUi = { ...silentUi, warn: (l) => warnings.push(l) };

const post = (path: string, body: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
  httpRequest(port, path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
const answer = (over: Record<string, unknown> = {}) => ({ listener: 'L01', trial: 't01', choice: 'left', responseMs: 1234.4, input: 'mouse', plays: { original: 1, left: 2, right: 1 }, ...over });
const lines = (listener: string) => readFileSync(join(run, 'listening', `${listener}.jsonl`), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as ListeningAnswer);

before(async () => {
  run = writeListenRun();
  res = (await runListen({ run, trials: 6, port: 0 }, ui)) as ListenJobResult;
  port = res.server.port;
});
after(() => res.server.close());

test('listen RUN binds to 127.0.0.1 only and serves the page with its script, style and audio', async () => {
  const addr = res.server.server.address();
  assert.ok(typeof addr === 'object' && addr !== null);
  assert.equal(addr.address, '127.0.0.1');
  assert.equal(res.url, `http://127.0.0.1:${port}/index.html`);
  assert.equal((await httpRequest(port, '/')).headers.location, '/index.html');
  const page = await httpRequest(port, '/index.html');
  assert.equal(page.status, 200);
  assert.match(page.body, /<script src="listen\.js"><\/script>/);
  assert.equal((await httpRequest(port, '/listen.js')).headers['content-type'], 'text/javascript; charset=utf-8');
  const t = res.session.trials[0]!;
  const wav = await httpRequest(port, `/${t.audio.clip}`);
  assert.equal(wav.status, 200);
  assert.equal(wav.body.slice(0, 4), 'RIFF');
  assert.equal(res.session.trials.length, 6);
  assert.ok(res.session.trials.some((x) => x.foilGenreMatch) && res.session.trials.some((x) => !x.foilGenreMatch), 'both kinds of foil');
  assert.ok(res.session.trials.every((x) => /^audio\/[0-9a-f]{16}\.wav$/.test(x.audio.original)), 'audio names give nothing away');
});

test('listen server: paths outside the page folder are refused (the trials, the answers, the run folder), in every encoding', async () => {
  const secret = join(run, 'listening', 'trials-generated.json');
  for (const path of traversalAttacks(secret)) {
    const r = await httpRequest(port, path);
    assert.equal(r.status, 403, `${path} gave ${r.status}`);
    assert.doesNotMatch(r.body, /foilGenreMatch/, `${path} leaked the trials`);
  }
  assert.equal((await httpRequest(port, '/trials-generated.json')).status, 404);
  assert.equal((await httpRequest(port, '/..%2frun.json')).status, 403);
  assert.equal((await httpRequest(port, '/index.html', { method: 'PUT', body: 'x' })).status, 405);
});

test('listen server: malformed, unknown and repeated answers are refused with 4xx and nothing is written; a good one is appended', async () => {
  assert.equal((await post('/api/answer', answer())).status, 403, 'a listener who has not started');
  for (const bad of ['', '../x', 'a/b', '.hidden', 'x'.repeat(65), 'naïve']) assert.equal((await post('/api/start', { listener: bad })).status, 400, `listener '${bad}'`);
  const start = await post('/api/start', { listener: 'L01' });
  assert.equal(start.status, 200);
  const session = JSON.parse(start.body) as { trials: { trial: string; left: string; right: string; original: string }[]; answered: string[]; seed: number };
  assert.deepEqual(session.answered, []);
  assert.equal(session.trials.length, 6);
  assert.ok(!/clip|foil|correct|genre/i.test(JSON.stringify(session.trials)), 'the page is not told which side is right');
  const refused: [string, number][] = [];
  const check = async (label: string, r: Promise<{ status: number }>) => refused.push([label, (await r).status]);
  await check('not JSON', post('/api/answer', '{"listener":'));
  await check('not declared JSON', post('/api/answer', answer(), { 'Content-Type': 'text/plain' }));
  await check('an array', post('/api/answer', [answer()]));
  await check('an extra field', post('/api/answer', answer({ correct: true })));
  await check('a missing field', post('/api/answer', { ...answer(), input: undefined }));
  await check('choice middle', post('/api/answer', answer({ choice: 'middle' })));
  await check('negative time', post('/api/answer', answer({ responseMs: -1 })));
  await check('time as text', post('/api/answer', answer({ responseMs: '100' })));
  await check('plays not counts', post('/api/answer', answer({ plays: { original: 1, left: 0.5, right: 1 } })));
  await check('unknown listener', post('/api/answer', answer({ listener: 'L99' })));
  await check('unknown trial', post('/api/answer', answer({ trial: 't99' })));
  await check('too large', post('/api/answer', JSON.stringify(answer()).replace('}', `,"pad":"${'x'.repeat(5000)}"}`)));
  await check('GET', httpRequest(port, '/api/answer'));
  await check('unknown API', post('/api/delete', answer()));
  await check('another host', post('/api/start', { listener: 'L01' }, { 'Content-Type': 'application/json', Host: 'evil.example:8001' }));
  assert.deepEqual(refused, [
    ['not JSON', 400], ['not declared JSON', 415], ['an array', 400], ['an extra field', 400], ['a missing field', 400], ['choice middle', 400], ['negative time', 400],
    ['time as text', 400], ['plays not counts', 400], ['unknown listener', 403], ['unknown trial', 404], ['too large', 413], ['GET', 405], ['unknown API', 404], ['another host', 403],
  ]);
  const ok = await post('/api/answer', answer());
  assert.equal(ok.status, 201);
  assert.deepEqual(JSON.parse(ok.body), { recorded: 1, remaining: 5 });
  assert.equal((await post('/api/answer', answer({ choice: 'right' }))).status, 409, 'answered twice');
  const [l] = lines('L01');
  const t = res.session.trials.find((x) => x.trial === 't01')!;
  const planned = listenerPlan(res.session.trials.map((x) => x.trial), 0, 'L01').find((p) => p.trial === 't01')!;
  assert.deepEqual(l!.sides, planned.clipOnLeft ? { left: t.clip, right: t.foil } : { left: t.foil, right: t.clip });
  assert.equal(l!.correct, planned.clipOnLeft);
  assert.equal(l!.chosen, l!.sides.left);
  assert.deepEqual([l!.clip, l!.foil, l!.foilGenreMatch, l!.subject, l!.seed, l!.pageVersion, l!.responseMs, l!.input, l!.position], [t.clip, t.foil, t.foilGenreMatch, t.subject, 0, 'listen/1', 1234, 'mouse', planned.position]);
  assert.equal(lines('L01').length, 1);
});

test('listen server: a torn last line is cut off with a warning when the listener comes back; earlier lines and the resume stay', async () => {
  await post('/api/start', { listener: 'L02' });
  assert.equal((await post('/api/answer', answer({ listener: 'L02', trial: 't02' }))).status, 201);
  appendFileSync(join(run, 'listening/L02.jsonl'), '{"trial":"t03","liste'); // a crash mid-write
  const again = JSON.parse((await post('/api/start', { listener: 'L02' })).body) as { answered: string[] };
  assert.deepEqual(again.answered, ['t02']);
  assert.match(warnings.join('\n'), /L02\.jsonl: line 2 is incomplete .* cut off; the 1 lines before it are kept/);
  assert.equal((await post('/api/answer', answer({ listener: 'L02', trial: 't03' }))).status, 201);
  assert.deepEqual(lines('L02').map((l) => l.trial), ['t02', 't03']);
});

test('listen RUN again: the same seed and trials reuse the drawn trials; others are refused once answers exist; --kind retrieved draws its own', async () => {
  const same = (await runListen({ run, trials: 6, port: 0 }, silentUi)) as ListenJobResult;
  await same.server.close();
  assert.deepEqual(same.session, res.session);
  await assert.rejects(runListen({ run, trials: 6, seed: 1, port: 0 }, silentUi), (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_INPUT' && /--trials 6 --seed 0/.test(e.message));
  const retrieved = (await runListen({ run, trials: 4, kind: 'retrieved', port: 0 }, silentUi)) as ListenJobResult;
  await retrieved.server.close();
  assert.equal(retrieved.session.kind, 'retrieved');
  assert.equal(retrieved.session.trials.length, 4);
  await assert.rejects(runListen({ run, trials: 17, kind: 'retrieved', port: 0 }, silentUi), (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_INPUT' && /at most 16/.test(e.message));
});
