import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captionNamesGenre, checkBankLeakage, chooseCaptions, fitTextMap } from '../../src/generate/index.ts';
import { createRng } from '../../src/linalg/index.ts';

const bank = {
  ids: ['blues.00001', 'jazz.00002', 'rock.00003'],
  captions: ['A slow blues with harmonica.', 'smooth jazz piano', 'loud rock guitar'],
  vectors: new Float32Array([1, 0, 0, 0, 1, 0, 0.6, 0.8, 0]),
  dim: 3,
};

test('chooseCaptions(bank, query, top): the nearest captions by cosine, best first, joined into one prompt', () => {
  const one = chooseCaptions(bank, new Float32Array([0, 2, 0]));
  assert.equal(one.prompt, 'smooth jazz piano');
  const two = chooseCaptions(bank, new Float32Array([0.1, 1, 0]), 2);
  assert.deepEqual(two.captions.map((c) => c.id), ['jazz.00002', 'rock.00003']);
  assert.equal(two.prompt, 'smooth jazz piano. loud rock guitar');
  assert.equal(chooseCaptions(bank, new Float32Array([1, 0.01, 0])).prompt, 'A slow blues with harmonica', 'a trailing full stop is not doubled');
  assert.throws(() => chooseCaptions(bank, new Float32Array(4)), /map it into the text space/);
});

test('checkBankLeakage: a bank holding a test clip\'s caption, by clip id or by the same text, is refused', () => {
  const test1 = [{ id: 'metal.00009', caption: 'Heavy metal riffs' }];
  assert.doesNotThrow(() => checkBankLeakage(bank, test1, 'bank.tsv'));
  assert.throws(() => checkBankLeakage(bank, [{ id: 'jazz.00002' }], 'bank.tsv'), /bank\.tsv holds 1 caption\(s\) of test clips: jazz\.00002/);
  assert.throws(() => checkBankLeakage(bank, [{ id: 'blues.00099', caption: '  a slow BLUES   with harmonica. ' }], 'bank.tsv'), /blues\.00001 \(the caption of test clip blues\.00099\)/);
});

test('captionNamesGenre(caption, genre): the genre as a word; hip hop in its spellings', () => {
  assert.ok(captionNamesGenre('A Rock song', 'rock'));
  assert.ok(!captionNamesGenre('a rocky road', 'rock'));
  assert.ok(captionNamesGenre('old-school hip-hop beat', 'hiphop') && captionNamesGenre('hip hop', 'hiphop'));
  assert.ok(!captionNamesGenre('disco', 'pop'));
});

test('fitTextMap(audio, text): ridge recovers a linear map from the audio space into the text space on held-out clips', async () => {
  const rng = createRng(3);
  const n = 80, dA = 6, dT = 4;
  const W = Float64Array.from({ length: dA * dT }, () => rng.normal());
  const make = (m: number) => {
    const a = Float32Array.from({ length: m * dA }, () => rng.normal());
    const t = new Float32Array(m * dT);
    for (let i = 0; i < m; i++) for (let j = 0; j < dT; j++) { let s = 0; for (let k = 0; k < dA; k++) s += a[i * dA + k]! * W[k * dT + j]!; t[i * dT + j] = s + 0.01 * rng.normal(); }
    return { a, t };
  };
  const train = make(n);
  const map = await fitTextMap(train.a, train.t, n, dA, dT);
  const heldOut = make(10);
  let worst = 0;
  for (let i = 0; i < 10; i++) {
    const got = await map(heldOut.a.subarray(i * dA, (i + 1) * dA));
    for (let j = 0; j < dT; j++) worst = Math.max(worst, Math.abs(got[j]! - heldOut.t[i * dT + j]!));
  }
  assert.ok(worst < 0.1, `max held-out error ${worst} (noise sd 0.01, values of sd ~2.4)`);
  await assert.rejects(fitTextMap(train.a.subarray(0, 4 * dA), train.t.subarray(0, 4 * dT), 4, dA, dT), /5 folds need at least 5/);
});
