// Decoding at the real dataset's scale: one synthetic subject with ds003720's sizes (480 training
// clips in 12 runs, 60 test clips × 4 repetitions, 148 ROIs with lognormal sizes summing to about
// 60k voxels, 4 windows × 128 dims), decoded by the ROI ensemble. Baseline measured in the same
// run: one whole-cortex ridge on the same rows; the ratio says what the 148 ROI fits cost
// relative to it. Usage: npm run bench:decode [-- --subjects N] [--cv-score nested]
import { decodeSubject } from '../src/decode/index.ts';
import { defaultSpec, makeSynthetic, normalStream } from '../test/decode/synthetic.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const nRois = Number(arg('--rois', '148'));
const targetVoxels = Number(arg('--voxels', '60000'));
const cvScore = arg('--cv-score', 'inner') as 'inner' | 'nested';
// Optional cap on ROI size (--max-roi N; default none): ROIs above a fold's training rows use kernel ridge.
const maxRoi = Number(arg('--max-roi', 'Infinity'));

// ROI sizes: lognormal (σ 0.75), scaled to the voxel total; deterministic.
const g = normalStream(11);
const raw = Array.from({ length: nRois }, () => Math.exp(0.75 * g()));
const scale = targetVoxels / raw.reduce((a, b) => a + b, 0);
const roiSizes = raw.map((x) => Math.min(maxRoi, Math.max(20, Math.round(x * scale))));
const signal: Record<number, number> = {};
for (let r = 0; r < 10; r++) signal[r * 13] = 0.1 + 0.02 * r;

const t0 = performance.now();
const syn = makeSynthetic({ ...defaultSpec, genres: 10, trainPerGenre: 48, testPerGenre: 6, testReps: 4, trainRuns: 12, roiSizes, dim: 128, signal, seed: 3 });
const tGen = (performance.now() - t0) / 1000;
const V = syn.responses.nVoxels;
console.log(`synthetic subject: ${V} voxels in ${nRois} ROIs (min ${Math.min(...roiSizes)}, median ${[...roiSizes].sort((a, b) => a - b)[nRois >> 1]}, max ${Math.max(...roiSizes)}), generated in ${tGen.toFixed(1)} s`);

const t1 = performance.now();
let last = 0;
let tRois = 0;
let tWc0 = 0;
let tWc = 0;
const res = await decodeSubject(syn.responses, syn.embeddings, {
  cvScore,
  wholeCortex: true,
  onProgress: (task, done, total) => {
    if (task === 'ROI decoders' && done === total) tRois = (performance.now() - t1) / 1000;
    if (task === 'whole-cortex decoder') {
      if (done === 0) tWc0 = performance.now();
      else tWc = (performance.now() - tWc0) / 1000;
    }
    if (task === 'ROI decoders' && (done - last >= 15 || done === total)) {
      last = done;
      console.log(`  ROI decoders ${done}/${total} (${((performance.now() - t1) / 1000).toFixed(1)} s)`);
    }
  },
});
const total = (performance.now() - t1) / 1000;
const m = res.reports.roiEnsemble.test;
const wc = res.reports.wholeCortex!.test;
console.log(`decodeSubject (${cvScore}, k=6, 5 folds, 20 alphas, + whole cortex): ${total.toFixed(1)} s`);
console.log(`  ${nRois} ROI fits: ${tRois.toFixed(1)} s; baseline, one whole-cortex ridge (${V} voxels): ${tWc.toFixed(1)} s; ratio ${(tRois / tWc).toFixed(2)}`);
console.log(`  ROIs: ${res.ensemble.members.map((x) => `${x.roi.name}(${x.roi.voxels.length})`).join(' ')}`);
console.log(`  ensemble test identification clips ${m.identification.clips.value.toFixed(3)}, windows ${m.identification.windows.value.toFixed(3)}, r ${m.r.value.toFixed(3)}, 60-way top-1 ${m.nWayTop1.value.toFixed(3)} (chance ${m.nWayTop1.chance.toFixed(3)})`);
console.log(`  whole cortex test identification clips ${wc.identification.clips.value.toFixed(3)}, windows ${wc.identification.windows.value.toFixed(3)}`);
