// Refits the builtin model's projection (z-score + PCA to 128-d) on the reference corpus and
// writes src/embed/data/builtin-projection.json. Run: npm run embed:refit
//
// Reference corpus: music rendered by the simulator (src/simulate), 10 genres × 12 clips of 15 s
// from a fixed seed (disjoint from the seeds the tests and the bench evaluate on), cut into the
// method's 10 s, 5 s and 1.5 s windows (hop 1.5 s) so the projection serves every window length.
import { auditoryFeatureNames, auditoryFeatures } from '../src/embed/builtin/auditoryFeatures.ts';
import { fitProjection } from '../src/embed/builtin/projection.ts';
import { PROJECTION_PATH, projectionToJson } from '../src/embed/builtin/projectionFile.ts';
import { cutWindows, windowStarts } from '../src/embed/index.ts';
import { writeFileAtomic } from '../src/io/index.ts';
import { createRng, deriveSeed, hashString } from '../src/linalg/index.ts';
import { GENRES, SAMPLE_RATE, renderArrangement, sampleArrangement } from '../src/music/index.ts';

const DIM = 128;
const WINDOWS = [10, 5, 1.5];
const SEED_NAME = 'brain2music/embed/reference-corpus';
const CLIPS_PER_GENRE = 12;

const seed = hashString(SEED_NAME);
const names = auditoryFeatureNames();
const rows: Float64Array[] = [];
const t0 = Date.now();
for (const [gi, genre] of GENRES.entries()) {
  for (let k = 0; k < CLIPS_PER_GENRE; k++) {
    const clip = await renderArrangement(sampleArrangement(genre, createRng(deriveSeed(seed, gi, k)), { durationSec: 15 }));
    for (const w of WINDOWS) for (const win of cutWindows(clip, SAMPLE_RATE, windowStarts(15, w, 1.5), w)) rows.push(auditoryFeatures(win));
  }
  process.stderr.write(`${genre}: ${rows.length} windows (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
}
const p = names.length;
const x = new Float64Array(rows.length * p);
rows.forEach((r, i) => x.set(r, i * p));
const proj = fitProjection(x, rows.length, p, DIM);
const kept = proj.explained.reduce((a, b) => a + b, 0);
const corpus = {
  generator: 'src/simulate sampleArrangement + renderArrangement (FluidR3Mono)', seedName: SEED_NAME, seed,
  genres: [...GENRES], clipsPerGenre: CLIPS_PER_GENRE, clipSec: 15, windowSec: WINDOWS, hopSec: 1.5, windows: rows.length,
};
writeFileAtomic(PROJECTION_PATH, projectionToJson(proj, names, corpus, `sim${seed.toString(16)}`));
console.log(`fitted ${p} features → ${DIM} dims on ${rows.length} windows in ${((Date.now() - t0) / 1000).toFixed(1)} s; the ${DIM} axes keep ${((kept / p) * 100).toFixed(1)}% of the z-scored variance`);
