import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audiosetBranches, audiosetClassSource, classAgreement, classOverlap, topClasses } from '../../src/evaluate/index.ts';

// A tagger's labels: three genres, three instruments, two moods and a non-music class, in an order of their own.
const LABELS = ['Speech', 'Jazz', 'Rock music', 'Piano', 'Happy music', 'Guitar', 'Blues', 'Drum kit', 'Sad music'];
const scores = (byName: Record<string, number>) => LABELS.map((l) => byName[l] ?? 0);

test('audiosetBranches(labels) finds each branch of the shipped AudioSet ontology lists among the labels, by name', () => {
  const b = audiosetBranches(LABELS);
  assert.deepEqual(b, { genre: [2, 1, 6], instrument: [5, 3, 7], mood: [4, 8] }, 'in the ontology\'s order (Rock before Jazz before Blues; Guitar before Piano before Drum kit)');
  assert.match(audiosetClassSource(), /github\.com\/audioset\/ontology.*CC BY-SA 4\.0/);
  assert.throws(() => audiosetBranches(['Speech', 'Jazz', 'Dog']), /3 labels hold 1 AudioSet genre classes.*527 classes/);
});

test('topClasses and classOverlap: the best n of a branch (ties to the lower label index), |A ∩ B| / n', () => {
  const s = scores({ Jazz: 0.9, 'Rock music': 0.2, Blues: 0.9, Speech: 1 });
  assert.deepEqual(topClasses(s, [2, 1, 6], 2), [1, 6], 'Speech is no genre; Jazz and Blues tie, Jazz has the lower index');
  assert.equal(classOverlap([1, 6], [6, 2]), 0.5);
  assert.equal(classOverlap([4], [8]), 0);
});

test('classAgreement on a hand-worked example: genre top-2, instrument top-2, mood top-1, with the oracle and random-pairing chance', () => {
  const original = [
    scores({ Jazz: 0.9, Blues: 0.6, 'Rock music': 0.1, Piano: 0.8, 'Drum kit': 0.5, Guitar: 0.1, 'Happy music': 0.7, 'Sad music': 0.2 }),
    scores({ 'Rock music': 0.9, Blues: 0.5, Jazz: 0.1, Guitar: 0.9, 'Drum kit': 0.8, Piano: 0.1, 'Sad music': 0.6, 'Happy music': 0.3 }),
  ];
  // clip 0: {Jazz, Blues} / {Piano, Drum kit} / Happy; clip 1: {Rock, Blues} / {Guitar, Drum kit} / Sad
  const reconstruction = [
    scores({ Jazz: 0.8, 'Rock music': 0.7, Blues: 0.1, Piano: 0.9, 'Drum kit': 0.6, 'Happy music': 0.4, 'Sad music': 0.5 }), // {Rock, Jazz} {Piano, Drum kit} Sad
    scores({ 'Rock music': 0.8, Blues: 0.6, Guitar: 0.7, Piano: 0.6, 'Sad music': 0.9 }), // {Rock, Blues} {Guitar, Piano} Sad
  ];
  const oracle = [original[0]!, original[0]!];
  const a = classAgreement({ classifier: 'test', labels: LABELS, clipIds: ['c0', 'c1'], original, reconstruction, oracle });
  // genre: clip 0 {Jazz, Blues}∩{Rock, Jazz} = 1/2; clip 1 {Rock, Blues}∩{Rock, Blues} = 1 → 0.75
  // chance: orig 0 vs rec 1 {Jazz, Blues}∩{Rock, Blues} = 1/2; orig 1 vs rec 0 {Rock, Blues}∩{Rock, Jazz} = 1/2 → 0.5
  // oracle: clip 0 = 1; clip 1 {Rock, Blues}∩{Jazz, Blues} = 1/2 → 0.75
  assert.deepEqual([a.genre.value, a.genre.chance, a.genre.oracle], [0.75, 0.5, 0.75]);
  // instrument: {Piano, Drum}∩{Piano, Drum} = 1; {Guitar, Drum}∩{Guitar, Piano} = 1/2 → 0.75; chance (1/2 + 1/2)/2 = 0.5; oracle (1 + 1/2)/2
  assert.deepEqual([a.instrument.value, a.instrument.chance, a.instrument.oracle], [0.75, 0.5, 0.75]);
  // mood: Happy vs Sad = 0; Sad vs Sad = 1 → 0.5; chance: Happy vs Sad 0, Sad vs Sad 1 → 0.5; oracle: 1, 0 → 0.5
  assert.deepEqual([a.mood.value, a.mood.chance, a.mood.oracle], [0.5, 0.5, 0.5]);
  assert.deepEqual([a.genre.top, a.instrument.top, a.mood.top, a.genre.unit, a.genre.split], [2, 2, 1, 'clips', 'test']);
  assert.deepEqual(a.perClip[0], {
    clipId: 'c0',
    original: { genre: ['Jazz', 'Blues'], instrument: ['Piano', 'Drum kit'], mood: ['Happy music'] },
    reconstruction: { genre: ['Jazz', 'Rock music'], instrument: ['Piano', 'Drum kit'], mood: ['Sad music'] },
    oracle: { genre: ['Jazz', 'Blues'], instrument: ['Piano', 'Drum kit'], mood: ['Happy music'] },
  });
  const one = classAgreement({ classifier: 'test', labels: LABELS, clipIds: ['c0'], original: [original[0]!], reconstruction: [reconstruction[0]!] });
  assert.deepEqual([one.genre.value, one.genre.chance], [0.5, Number.NaN], 'one clip: its overlap, and no random pairing to compare with');
  assert.throws(() => classAgreement({ classifier: 'test', labels: LABELS, clipIds: [], original: [], reconstruction: [] }), /no clips/);
});
