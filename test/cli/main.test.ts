import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('brain2music --help lists the program and exits 0', () => {
  const res = spawnSync(process.execPath, ['bin/brain2music.js', '--help'], { encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stdout, /brain2music/);
});

test('brain2music with an unknown command exits non-zero with a message', () => {
  const res = spawnSync(process.execPath, ['bin/brain2music.js', 'no-such-command'], { encoding: 'utf8' });
  assert.notEqual(res.status, 0);
  assert.match(res.stderr, /error: (unknown command|too many arguments)/);
});
