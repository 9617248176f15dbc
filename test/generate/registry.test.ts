import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Brain2MusicError } from '../../src/errors.ts';
import {
  GENERATORS, GENERATOR_NAMES, createBuiltinGenerator, createGenerator, fitParameterDecoder, generatorInfo,
} from '../../src/generate/index.ts';
import { createRng } from '../../src/linalg/index.ts';
import { GENRES, sampleArrangement } from '../../src/music/index.ts';

const isErr = (code: string, re: RegExp) => (e: unknown) => e instanceof Brain2MusicError && e.code === code && re.test(e.message);

test('GENERATORS lists builtin and musicgen with what each needs; generatorInfo(name) fails on an unknown name, listing the known ones', () => {
  assert.deepEqual([...GENERATOR_NAMES], ['builtin', 'musicgen']);
  assert.deepEqual(Object.keys(GENERATORS), [...GENERATOR_NAMES]);
  assert.deepEqual([generatorInfo('builtin').needsParameters, generatorInfo('builtin').needsModelDir], [true, false]);
  assert.deepEqual([generatorInfo('musicgen').needsParameters, generatorInfo('musicgen').needsModelDir], [false, true]);
  assert.throws(() => generatorInfo('musiclm'), isErr('BAD_INPUT', /unknown generator 'musiclm'; known generators: builtin, musicgen/));
  assert.throws(() => generatorInfo('toString'), isErr('BAD_INPUT', /unknown generator 'toString'/));
});

test('createGenerator(name, opts) fails naming the option a generator needs: builtin without a decoder, musicgen without a model folder; a missing folder lists the files expected', async () => {
  await assert.rejects(createGenerator('builtin'), isErr('BAD_INPUT', /the builtin generator needs the 'decoder' option/));
  const describe = () => ({ genres: [{ name: 'jazz', p: 1 }], instruments: [] });
  await assert.rejects(createGenerator('musicgen', { describe }), isErr('BAD_INPUT', /the musicgen generator needs the 'modelDir' option/));
  await assert.rejects(createGenerator('musicgen', { modelDir: '/nonexistent/musicgen-small', describe }), isErr('NOT_FOUND', /is missing config\.json/));
});

test("createGenerator('builtin', { decoder }) renders the same samples as createBuiltinGenerator({ decoder })", async () => {
  const rng = createRng(3);
  const lib = Array.from({ length: 40 }, (_, i) => sampleArrangement(GENRES[i % 10]!, rng, { durationSec: 1 }));
  const dim = 6;
  const vectors = Float32Array.from({ length: lib.length * dim }, () => rng.normal());
  const decoder = await fitParameterDecoder(vectors, dim, lib);
  const e = vectors.subarray(0, dim);
  const opts = { samples: 1, seed: 5, temperature: 0.3, durationSec: 4 };
  const viaRegistry = await (await createGenerator('builtin', { decoder })).generate(e, opts);
  const direct = await createBuiltinGenerator({ decoder }).generate(e, opts);
  assert.equal(viaRegistry.length, 1);
  assert.equal(viaRegistry[0]!.sampleRate, 22050);
  assert.equal(viaRegistry[0]!.samples.length, 4 * 22050);
  assert.deepEqual(Buffer.from(viaRegistry[0]!.samples.buffer), Buffer.from(direct[0]!.samples.buffer));
  assert.deepEqual(viaRegistry[0]!.conditioning, direct[0]!.conditioning);
});
