import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/brain2music.js', ...args], { encoding: 'utf8' });

test('brain2music run (invalid configuration) exits 2 and names the key, the expectation and the value', () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-runcmd-'));
  writeFileSync(join(dir, 'c.json'), JSON.stringify({ out: 'run', dataset: { bids: '/nowhere' }, align: { lagTr: -1 } }));
  const r = cli('run', join(dir, 'c.json'));
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^error: .*c\.json: 'align\.lagTr' must be an integer in \[0, 20\], got -1\. Fix that value in the configuration\.\n$/);
});

test('brain2music run (missing file) exits 4; (unknown --force stage) exits 2 listing the stages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-runcmd-'));
  const missing = cli('run', join(dir, 'none.json'));
  assert.equal(missing.status, 4);
  assert.match(missing.stderr, /none\.json does not exist/);
  writeFileSync(join(dir, 'c.json'), JSON.stringify({ out: join(dir, 'run'), dataset: { bids: dir } }));
  const force = cli('run', join(dir, 'c.json'), '--force', 'decoder');
  assert.equal(force.status, 2);
  assert.match(force.stderr, /--force names unknown stage 'decoder'; stages are simulate, embed, decode/);
});

test('brain2music demo --help and serve --help describe their options', () => {
  const demo = cli('demo', '--help');
  assert.equal(demo.status, 0);
  assert.match(demo.stdout, /--out <DIR>/);
  const serve = cli('serve', '--help');
  assert.match(serve.stdout, /--port <n>/);
  assert.equal(cli('serve', '/tmp', '--port', '70000').status, 2, 'a usage error is bad input');
});
