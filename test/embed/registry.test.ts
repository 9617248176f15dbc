import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEmbedder, embedderNames } from '../../src/embed/index.ts';
import { genreOfClipId, GTZAN_GENRES } from '../../src/bids/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';

test('embedderNames() lists builtin, clap, clap-text, muq, muq-text, codec, w2vbert, genre', () => {
  assert.deepEqual(embedderNames(), ['builtin', 'clap', 'clap-text', 'muq', 'muq-text', 'codec', 'w2vbert', 'genre']);
});

test('createEmbedder(unknown) fails with BAD_INPUT listing the known names', async () => {
  await assert.rejects(createEmbedder('mulan'), (e: unknown) =>
    e instanceof Brain2MusicError && e.code === 'BAD_INPUT' && /'mulan'/.test(e.message) && /builtin, clap, clap-text, muq, muq-text, codec, w2vbert, genre/.test(e.message));
  await assert.rejects(createEmbedder('toString'), Brain2MusicError);
});

test('createEmbedder("genre") gives a one-hot of the clip id genre, repeated per window', async () => {
  const e = await createEmbedder('genre');
  assert.equal(e.dim, 10);
  const w = new Float32Array(4);
  const out = await e.embed([w, w, w], { clipIds: ['jazz.00001', 'jazz.00001', 'rock.00054'] });
  const rows = [0, 1, 2].map((i) => Array.from(out.subarray(i * 10, i * 10 + 10)));
  assert.deepEqual(rows[0], [0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
  assert.deepEqual(rows[1], rows[0]);
  assert.deepEqual(rows[2], [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  assert.equal(genreOfClipId('hiphop.00003'), 'hiphop');
  assert.equal(GTZAN_GENRES.length, 10);
});

test('createEmbedder("genre", { clipGenres }) uses the clip table and rejects unknown genres', async () => {
  const e = await createEmbedder('genre', { genres: ['a', 'b'], clipGenres: new Map([['x1', 'b']]) });
  assert.deepEqual(Array.from(await e.embed([new Float32Array(1)], { clipIds: ['x1'] })), [0, 1]);
  await assert.rejects(e.embed([new Float32Array(1)], { clipIds: ['polka.00001'] }), /genre 'polka'/);
  await assert.rejects(e.embed([new Float32Array(1)]), /clip id of every window/);
});
