// Refits the builtin model's projection (z-score + PCA to 128-d) on the reference corpus and
// writes src/embed/data/builtin-projection.json. Run: npm run embed:refit
import { auditoryFeatureNames, auditoryFeatures } from '../src/embed/builtin/auditoryFeatures.ts';
import { fitProjection } from '../src/embed/builtin/projection.ts';
import { PROJECTION_PATH, projectionToJson } from '../src/embed/builtin/projectionFile.ts';
import { cutWindows, windowStarts } from '../src/embed/windows.ts';
import { writeFileAtomic } from '../src/io/index.ts';
import { SYNTH_CLASSES, synthClip } from '../test/embed/synthClips.ts';

const SR = 22050;
const DIM = 128;
const WINDOWS = [10, 5, 1.5];
const SEED = 20260;
const CLIPS_PER_CLASS = 30;

const names = auditoryFeatureNames();
const rows: Float64Array[] = [];
const t0 = Date.now();
SYNTH_CLASSES.forEach((cls, c) => {
  for (let k = 0; k < CLIPS_PER_CLASS; k++) {
    const clip = synthClip(cls, SEED + 1000 * c + k);
    for (const w of WINDOWS) for (const win of cutWindows(clip, SR, windowStarts(15, w, 1.5), w)) rows.push(auditoryFeatures(win));
  }
});
const p = names.length;
const x = new Float64Array(rows.length * p);
rows.forEach((r, i) => x.set(r, i * p));
const proj = fitProjection(x, rows.length, p, DIM);
const total = proj.explained.reduce((a, b) => a + b, 0);
const corpus = { generator: 'synthetic (test/embed/synthClips.ts)', seed: SEED, clips: SYNTH_CLASSES.length * CLIPS_PER_CLASS, windowSec: WINDOWS, hopSec: 1.5, windows: rows.length };
writeFileAtomic(PROJECTION_PATH, projectionToJson(proj, names, corpus, `synth-s${SEED}`));
console.log(`fitted ${p} features → ${DIM} dims on ${rows.length} windows in ${((Date.now() - t0) / 1000).toFixed(1)} s; variance kept by ${DIM} axes: ${(total / p * 100).toFixed(1)}% of ${p}`);
