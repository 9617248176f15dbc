import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('brain2music --help lists the program and exits 0', () => {
  const res = spawnSync(process.execPath, ['bin/brain2music.js', '--help'], { encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stdout, /brain2music/);
});

test('brain2music with an unknown command or option exits 2 (bad input, as every BAD_INPUT error) with a message', () => {
  const res = spawnSync(process.execPath, ['bin/brain2music.js', 'no-such-command'], { encoding: 'utf8' });
  assert.equal(res.status, 2);
  assert.match(res.stderr, /error: (unknown command|too many arguments)/);
  const option = spawnSync(process.execPath, ['bin/brain2music.js', 'run', 'x.json', '--no-such-option'], { encoding: 'utf8' });
  assert.equal(option.status, 2);
  assert.match(option.stderr, /error: unknown option '--no-such-option'/);
  assert.equal(spawnSync(process.execPath, ['bin/brain2music.js', '--version'], { encoding: 'utf8' }).status, 0);
});
