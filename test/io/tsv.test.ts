import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTsv, readTsv, writeTsv, formatTsv, unquote } from '../../src/io/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';

test('parseTsv(text) reads a ds003720 events table with quoted genres and CRLF line ends', () => {
  const text = 'onset\tduration\tgenre\ttrack\tstart\tend\r\n0\t15\t\'reggae\'\t52\t12.5\t27.5\r\n15\t15\t\'blues\'\t17\t0\t15\r\n\r\n';
  const raw = parseTsv(text);
  assert.deepEqual(raw.columns, ['onset', 'duration', 'genre', 'track', 'start', 'end']);
  assert.equal(raw.rows.length, 2);
  assert.equal(raw.rows[0].genre, "'reggae'");
  const unq = parseTsv(text, 'x', { unquote: true });
  assert.equal(unq.rows[0].genre, 'reggae');
  assert.equal(unq.rows[1].track, '17');
  assert.equal(unq.rows[0].end, '27.5');
});

test('unquote(value) strips one matching pair of quotes only', () => {
  assert.equal(unquote("'hiphop'"), 'hiphop');
  assert.equal(unquote('"a b"'), 'a b');
  assert.equal(unquote("'mixed\""), "'mixed\"");
  assert.equal(unquote("'"), "'");
  assert.equal(unquote('plain'), 'plain');
});

test('unquote(value, { unpaired: true }) also strips a quote at one end only, when no other quote is inside', () => {
  assert.equal(unquote("classical'", { unpaired: true }), 'classical');
  assert.equal(unquote("'jazz", { unpaired: true }), 'jazz');
  assert.equal(unquote("'metal'", { unpaired: true }), 'metal');
  assert.equal(unquote('"pop"', { unpaired: true }), 'pop');
  assert.equal(unquote("classical'", {}), "classical'", 'off by default');
  assert.equal(unquote("''jazz'", { unpaired: true }), "'jazz", 'one matched pair only');
  assert.equal(unquote("'ja'zz", { unpaired: true }), "'ja'zz", 'a quote inside: left as is');
  assert.equal(unquote("'mixed\"", { unpaired: true }), "'mixed\"", 'two different quotes: left as is');
  assert.equal(unquote("'", { unpaired: true }), "'");
  assert.equal(unquote('', { unpaired: true }), '');
});

test('parseTsv(text) reads CRLF line ends with no final newline (the published ds003720 events files)', () => {
  const t = parseTsv("onset\tgenre\r\n0\t'disco'\r\n600\tmetal'", 'e.tsv');
  assert.deepEqual(t.columns, ['onset', 'genre']);
  assert.deepEqual(t.rows, [{ onset: '0', genre: "'disco'" }, { onset: '600', genre: "metal'" }]);
  assert.deepEqual(parseTsv("onset\tgenre\r\n0\t'disco'\r\n600\tmetal'", 'e.tsv', { unquote: true }).rows[1], { onset: '600', genre: "metal'" }, 'unquote: true leaves an unpaired quote');
});

test('writeTsv(path, columns, rows) round-trips through readTsv and writes n/a for missing values', () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-tsv-'));
  try {
    const p = join(dir, 'sub', 't.tsv');
    writeTsv(p, ['index', 'name', 'x'], [{ index: 1, name: 'G_temp_sup-Lateral', x: 0.5 }, { index: 2, name: 'S_calcarine' }]);
    assert.equal(readFileSync(p, 'utf8'), 'index\tname\tx\n1\tG_temp_sup-Lateral\t0.5\n2\tS_calcarine\tn/a\n');
    const t = readTsv(p);
    assert.deepEqual(t.rows, [{ index: '1', name: 'G_temp_sup-Lateral', x: '0.5' }, { index: '2', name: 'S_calcarine', x: 'n/a' }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parseTsv(text) rejects ragged rows, duplicate columns and empty files naming the file', () => {
  assert.throws(() => parseTsv('a\tb\n1\n', 'f.tsv'), (e: unknown) => e instanceof Brain2MusicError && e.code === 'BAD_FILE' && /f\.tsv: line 2 has 1 fields/.test(e.message));
  assert.throws(() => parseTsv('a\ta\n', 'g.tsv'), /g\.tsv: column 'a' appears twice/);
  assert.throws(() => parseTsv('\n\n', 'h.tsv'), /h\.tsv: empty TSV/);
  assert.throws(() => formatTsv(['a'], [{ a: 'x\ty' }]), /contains a tab/);
});

test('readTsv(path) of a missing file is NOT_FOUND', () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-tsv-'));
  try {
    writeFileSync(join(dir, 'ok.tsv'), 'a\n1\n');
    assert.equal(readTsv(join(dir, 'ok.tsv')).rows[0].a, '1');
    assert.throws(() => readTsv(join(dir, 'missing.tsv')), (e: unknown) => e instanceof Brain2MusicError && e.code === 'NOT_FOUND');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
