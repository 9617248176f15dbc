import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conditioningCaption } from '../../src/report/index.ts';

test('conditioningCaption(builtin record) names the arrangement, temperature and the candidate embedding guidance kept', () => {
  const c = {
    generator: 'builtin', seed: 1, sample: 0, temperature: 0.3,
    arrangement: { genre: 'blues', tempo: 109, key: 10, mode: 'minor', beatsPerBar: 4, drums: { pattern: 'shuffle' }, bass: { program: 32 }, chords: { program: 24 }, lead: null, pad: null },
    guidance: { candidates: 4, chosen: 2, cosines: [0.2554, 0.1961, 0.5876, 0.5599] },
  };
  assert.equal(conditioningCaption(c), 'builtin: blues-style arrangement, 109 BPM, B♭ minor, 4/4, drums (shuffle), bass, chords; temperature 0.3, kept candidate 3 of 4 (cosine 0.588 to the decoded embedding)');
});

test('conditioningCaption(musicgen record) gives the prompt, guidance scale and re-ranking score', () => {
  assert.equal(
    conditioningCaption({ generator: 'musicgen', prompt: 'calm jazz piano', attributes: {}, seed: 3, temperature: 1, guidanceScale: 3, rerankScore: 0.41234 }),
    'musicgen: prompt "calm jazz piano", guidance scale 3; temperature 1, re-ranking score 0.412',
  );
});

test('conditioningCaption(nothing or unknown fields) is empty', () => {
  assert.equal(conditioningCaption(undefined), '');
  assert.equal(conditioningCaption({ something: [1, 2] }), '');
});
