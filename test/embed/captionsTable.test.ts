import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { captionKeyToClipId, parseCaptionsTable, readCaptionsTable, requireCaptions } from '../../src/embed/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';

const CAPTIONS_CSV = fileURLToPath(new URL('../fixtures/brain2music-captions/brain2music-captions.csv', import.meta.url));
const isErr = (code: string, re: RegExp) => (e: unknown) => e instanceof Brain2MusicError && e.code === code && re.test(e.message);

test('captionKeyToClipId(key) maps <genre>.000NN_15s to the GTZAN clip id and mends extra leading zeros', () => {
  assert.equal(captionKeyToClipId('blues.00017_15s'), 'blues.00017');
  assert.equal(captionKeyToClipId('disco.000011_15s'), 'disco.00011'); // the misspelt published key
  assert.equal(captionKeyToClipId('disco.000011'), 'disco.00011');
  assert.equal(captionKeyToClipId(' hiphop.00049_15s '), 'hiphop.00049');
  assert.equal(captionKeyToClipId('rock.7'), 'rock.00007');
  assert.equal(captionKeyToClipId('my clip'), 'my clip');
  assert.equal(captionKeyToClipId('blues.00017_intro'), 'blues.00017_intro');
});

test('readCaptionsTable(the Brain2Music CSV) → clip id → DescEN, the misspelt disco.000011 matching disco.00011, other columns ignored', () => {
  const m = readCaptionsTable(CAPTIONS_CSV);
  assert.deepEqual([...m.keys()], ['blues.00017', 'classical.00037', 'disco.00011', 'jazz.00058', 'metal.00097', 'pop.00049']);
  assert.equal(m.get('disco.00011'), 'Funky disco with a four-on-the-floor beat and bright brass');
  assert.equal(m.get('classical.00037'), 'Strings and a piano in a quiet, slow movement.\nCalm and elegant.');
  assert.equal(m.get('jazz.00058'), 'A saxophone plays "swing" over a double bass and a ride cymbal.');
  assert.ok(![...m.values()].some((v) => /[\u3000-\u30ff]/.test(v)), 'the Japanese column is not read');
});

test('parseCaptionsTable(text) still reads the TSV (clip_id, caption) with keys as written, and a CSV with those columns, BOM and CRLF', () => {
  assert.deepEqual([...parseCaptionsTable('clip_id\tcaption\na.1\tcalm piano\nblues.00017_15s\tslow blues\n')], [['a.1', 'calm piano'], ['blues.00017_15s', 'slow blues']]);
  assert.deepEqual([...parseCaptionsTable('\ufeffclip_id,caption\r\njazz.00001,"calm, soft jazz"\r\n')], [['jazz.00001', 'calm, soft jazz']]);
  assert.deepEqual([...parseCaptionsTable('\ufeffID,DescEN\r\nrock.00002_15s," loud rock "\r\n')], [['rock.00002', 'loud rock']]);
});

test('parseCaptionsTable(text) fails naming the file: unknown columns, one clip with two different captions, an empty caption', () => {
  assert.throws(() => parseCaptionsTable('id,text\na,b\n', 'c.csv'), isErr('BAD_FILE', /c\.csv has columns id, text; a captions table has columns clip_id and caption \(TSV\), or ID and DescEN/));
  assert.throws(() => parseCaptionsTable('ID,DescEN\ndisco.00011_15s,one\ndisco.000011_15s,two\n', 'c.csv'), isErr('BAD_FILE', /keys 'disco\.00011_15s' and 'disco\.000011_15s' \(record 2\) both name clip disco\.00011/));
  assert.equal(parseCaptionsTable('ID,DescEN\ndisco.00011_15s,same\ndisco.000011_15s,same\n').size, 1, 'the same caption twice is fine');
  assert.throws(() => parseCaptionsTable('ID,DescEN\npop.00001_15s,""\n', 'c.csv'), isErr('BAD_FILE', /c\.csv: record 1 has an empty DescEN for pop\.00001_15s/));
  assert.throws(() => readCaptionsTable('/no/captions.csv'), isErr('NOT_FOUND', /\/no\/captions\.csv.*ID, DescEN/));
});

test('requireCaptions(captions, clipIds, source) lists the clips without a caption (20 and a count)', () => {
  const m = readCaptionsTable(CAPTIONS_CSV);
  requireCaptions(m, ['disco.00011', 'pop.00049'], CAPTIONS_CSV);
  const ids = ['disco.00011', ...Array.from({ length: 25 }, (_, i) => `rock.${String(i).padStart(5, '0')}`)];
  assert.throws(() => requireCaptions(m, ids, 'caps.csv'), isErr('NOT_FOUND', /^caps\.csv has no caption for 25 of 26 clips: rock\.00000, rock\.00001, .*rock\.00019 and 5 more\./));
});
