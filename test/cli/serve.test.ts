import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runServe } from '../../src/cli/commands/serve.ts';
import { parseRequestPath, type RunServer } from '../../src/report/index.ts';
import { silentUi } from '../../src/cli/ui.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { httpRequest, traversalAttacks } from '../helpers/http.ts';

const get = httpRequest;

let server: RunServer;
let root: string;
let port: number;
const SECRET = 'top-secret-outside-the-run';

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'b2m-serve-'));
  writeFileSync(join(root, 'secret.txt'), SECRET);
  const run = join(root, 'run');
  mkdirSync(join(run, 'report'), { recursive: true });
  writeFileSync(join(run, 'report/index.html'), '<!doctype html><title>report</title>');
  writeFileSync(join(run, 'clip.wav'), Buffer.from('RIFF0123456789'));
  writeFileSync(join(run, 'run.json'), '{"format":"brain2music-run/1"}\n');
  symlinkSync(join(root, 'secret.txt'), join(run, 'link-out.txt'));
  symlinkSync(root, join(run, 'link-dir-out'));
  symlinkSync(join(run, 'run.json'), join(run, 'link-in.json'));
  server = await runServe({ run, port: 0 }, silentUi);
  port = server.port;
});
after(() => server.close());

test('runServe binds to 127.0.0.1 only', () => {
  const addr = server.server.address();
  assert.ok(typeof addr === 'object' && addr !== null);
  assert.equal(addr.address, '127.0.0.1');
  assert.equal(server.url, `http://127.0.0.1:${port}/`);
});

test('serve: GET serves files in the run folder with their content type', async () => {
  const r = await get(port, '/report/index.html');
  assert.equal(r.status, 200);
  assert.equal(r.body, '<!doctype html><title>report</title>');
  assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
  const j = await get(port, '/run.json');
  assert.equal(j.body, '{"format":"brain2music-run/1"}\n');
  const enc = await get(port, '/report/%69ndex.html'); // single, harmless encoding is decoded once
  assert.equal(enc.status, 200);
});

test('serve: / redirects to the report and a folder with index.html serves it', async () => {
  const r = await get(port, '/');
  assert.equal(r.status, 302);
  assert.equal(r.headers.location, '/report/index.html');
  assert.equal((await get(port, '/report/')).body, '<!doctype html><title>report</title>');
});

test('serve: byte ranges give 206 with the requested bytes', async () => {
  const r = await get(port, '/clip.wav', { headers: { Range: 'bytes=4-7' } });
  assert.equal(r.status, 206);
  assert.equal(r.body, '0123');
  assert.equal(r.headers['content-range'], 'bytes 4-7/14');
  assert.equal((await get(port, '/clip.wav', { headers: { Range: 'bytes=99-' } })).status, 416);
});

test('serve: traversal with .., encoded and double-encoded variants and absolute paths is refused', async () => {
  const attacks = traversalAttacks(join(root, 'secret.txt'));
  for (const path of attacks) {
    const r = await get(port, path);
    assert.ok(r.status === 403, `${path} gave ${r.status}`);
    assert.ok(!r.body.includes(SECRET), `${path} leaked the secret`);
  }
});

test('serve: a symlink pointing out of the run folder is refused, one pointing inside is served', async () => {
  const out = await get(port, '/link-out.txt');
  assert.equal(out.status, 403);
  assert.ok(!out.body.includes(SECRET));
  assert.equal((await get(port, '/link-dir-out/secret.txt')).status, 403);
  const inside = await get(port, '/link-in.json');
  assert.equal(inside.status, 200);
  assert.equal(inside.body, '{"format":"brain2music-run/1"}\n');
});

test('serve: writing methods are refused with 405 and nothing changes', async () => {
  for (const method of ['POST', 'PUT', 'DELETE']) {
    const r = await get(port, '/run.json', { method });
    assert.equal(r.status, 405);
    assert.equal(r.headers.allow, 'GET, HEAD');
  }
  assert.equal((await get(port, '/run.json')).body, '{"format":"brain2music-run/1"}\n');
});

test('serve: a missing file gives 404', async () => {
  assert.equal((await get(port, '/nothing-here.txt')).status, 404);
});

test('parseRequestPath(raw) decodes once and returns the segments', () => {
  assert.deepEqual(parseRequestPath('/report/a%20b.html?x=1'), { segments: ['report', 'a b.html'] });
  assert.deepEqual(parseRequestPath('/'), { segments: [] });
  assert.deepEqual(parseRequestPath('/report/'), { segments: ['report'] });
  assert.ok('refuse' in parseRequestPath('http://example.com/x'));
  assert.ok('refuse' in parseRequestPath('/%zz'));
});

test('runServe(missing folder) fails with NOT_FOUND', async () => {
  await assert.rejects(runServe({ run: join(root, 'nope'), port: 0 }, silentUi), (e: unknown) => e instanceof Brain2MusicError && e.code === 'NOT_FOUND');
});

test('runServe(port in use) fails with BAD_INPUT naming the port', async () => {
  await assert.rejects(runServe({ run: join(root, 'run'), port }, silentUi), (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_INPUT' && e.message.includes(String(port)));
});
