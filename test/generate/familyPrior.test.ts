import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ATYPICAL_FAMILY_WEIGHT, GM_FAMILIES, familyGivenGenre, genreFamilyPrior } from '../../src/generate/index.ts';

const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;

test('genreFamilyPrior(genre, part) weighs the families of the genre\'s programs', () => {
  const metal = genreFamilyPrior('metal', 'chords');
  assert.equal(metal[GM_FAMILIES.indexOf('guitar')], 1, 'metal comps on overdriven and distortion guitars');
  // jazz bass: programs 32 ×6 and 33 ×1, both in the bass family
  assert.equal(genreFamilyPrior('jazz', 'bass')[GM_FAMILIES.indexOf('bass')], 1);
  // classical lead weights: violin 40 ×3 and cello 42 ×1 (strings), of 14 in all
  const lead = genreFamilyPrior('classical', 'lead');
  assert.ok(close(lead[GM_FAMILIES.indexOf('strings')]!, 4 / 14));
  assert.ok(close(lead.reduce((s, x) => s + x, 0), 1));
});

test('familyGivenGenre(decoded, genre, part) keeps the genre\'s instrument when the embedding is unsure and follows a sure one', () => {
  const guitar = GM_FAMILIES.indexOf('guitar');
  const piano = GM_FAMILIES.indexOf('piano');
  const unsure = new Float64Array(16).fill(0.02);
  unsure[piano] = 0.4;
  unsure[guitar] = 0.32;
  const p = familyGivenGenre(unsure, 'metal', 'chords');
  // guitar 0.32 × 1.02 against piano 0.4 × 0.02
  assert.ok(close(p[guitar]! / p[piano]!, (0.32 * (1 + ATYPICAL_FAMILY_WEIGHT)) / (0.4 * ATYPICAL_FAMILY_WEIGHT)));
  assert.ok(p[guitar]! > 0.9, `guitar ${p[guitar]}`);
  const sure = new Float64Array(16).fill(0.0001);
  sure[piano] = 1 - 15 * 0.0001;
  assert.ok(familyGivenGenre(sure, 'metal', 'chords')[piano]! > 0.9, 'a confident embedding still picks piano');
  assert.ok(close(p.reduce((s, x) => s + x, 0), 1));
});
