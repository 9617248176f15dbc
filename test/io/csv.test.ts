import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv, readCsv } from '../../src/io/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';

const PY = '/usr/bin/python3';
const FIXTURE = fileURLToPath(new URL('../fixtures/brain2music-captions/brain2music-captions.csv', import.meta.url));
const isErr = (code: string, re: RegExp) => (e: unknown) => e instanceof Brain2MusicError && e.code === code && re.test(e.message);

function pythonRows(path: string): Record<string, string>[] {
  const r = spawnSync(PY, ['-c', 'import csv, json, sys; print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig")))))', path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, string>[];
}

test('readCsv(captions fixture) gives the same records as Python\'s csv module: quoted commas, line breaks, doubled quotes, UTF-8', () => {
  const t = readCsv(FIXTURE);
  assert.deepEqual(t.columns, ['ID', 'DescEN', 'DescJP']);
  assert.deepEqual(t.rows, pythonRows(FIXTURE));
  assert.equal(t.rows[1].DescEN, 'Strings and a piano in a quiet, slow movement.\nCalm and elegant.');
  assert.equal(t.rows[3].DescEN, 'A saxophone plays "swing" over a double bass and a ride cymbal.');
  assert.equal(t.rows[4].DescJP, '激しい歪んだギター, 速いツーバス。');
});

test('parseCsv(text) agrees with Python\'s csv.writer on 200 random records (quotes, commas, CR, LF, empty fields)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-csv-'));
  try {
    const p = join(dir, 'r.csv');
    const script = `
import csv, random, sys
random.seed(7)
alphabet = ['a', 'b', ' ', ',', '"', '\\n', '\\r\\n', 'é', '音', "'"]
with open(sys.argv[1], 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f)
    w.writerow(['k', 'text', 'other'])
    for i in range(200):
        w.writerow([f'id{i}'] + [''.join(random.choice(alphabet) for _ in range(random.randint(0, 12))) for _ in range(2)])`;
    const r = spawnSync(PY, ['-c', script, p], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const t = readCsv(p);
    assert.equal(t.rows.length, 200);
    assert.deepEqual(t.rows, pythonRows(p));
    assert.ok(t.rows.some((row) => row.text.includes('\r\n')) && t.rows.some((row) => row.text.includes('"')) && t.rows.some((row) => row.other === ''));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parseCsv(text) drops a BOM, reads CRLF or LF with or without a final newline, skips blank lines, keeps "" as an empty field', () => {
  const expected = { columns: ['ID', 'DescEN'], rows: [{ ID: 'a', DescEN: 'x, y' }, { ID: 'b', DescEN: '' }] };
  assert.deepEqual(parseCsv('\ufeffID,DescEN\r\na,"x, y"\r\nb,""'), expected);
  assert.deepEqual(parseCsv('ID,DescEN\n\na,"x, y"\n\nb,\n\n'), expected);
  assert.deepEqual(parseCsv(' ID , DescEN \na,"x, y"\nb,""\n').columns, ['ID', 'DescEN'], 'header names trimmed');
  assert.deepEqual(parseCsv('ID,DescEN\na,say "hi"\n').rows[0].DescEN, 'say "hi"', 'a quote inside an unquoted field is literal');
});

test('parseCsv(text) names the file and line of an unclosed quote, text after a closing quote, a ragged record, an empty file', () => {
  assert.throws(() => parseCsv('ID,DescEN\na,ok\nb,"never closed\nmore\n', 'c.csv'), isErr('BAD_FILE', /c\.csv: line 3: a quoted field opens here and never closes/));
  assert.throws(() => parseCsv('ID,DescEN\na,"quoted"tail\n', 'c.csv'), isErr('BAD_FILE', /c\.csv: line 2: 't' after the closing quote/));
  assert.throws(() => parseCsv('ID,DescEN\na,"two\nlines"\nb,x,extra\n', 'c.csv'), isErr('BAD_FILE', /c\.csv: the record at line 4 has 3 fields but the header has 2/));
  assert.throws(() => parseCsv('\n\n', 'e.csv'), isErr('BAD_FILE', /e\.csv: empty CSV file/));
  assert.throws(() => parseCsv('ID,ID\n', 'd.csv'), isErr('BAD_FILE', /d\.csv: column 'ID' appears twice/));
  assert.throws(() => readCsv('/no/such.csv'), isErr('NOT_FOUND', /\/no\/such\.csv/));
});
