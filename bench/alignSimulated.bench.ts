// Cross-subject decoding on the simulator's dataset, through the commands a user runs: 5 subjects
// who heard the same rendered music (4 genres × 48 training clips in 12 runs of 16, 6 test clips per
// genre × 4 repetitions, about 2,000 cortical voxels each, every subject with its own brain: size,
// folding, atlas, response weights, noise), the builtin embedding of the clips as the target,
// decoder encoding:300. Baseline measured in the same run: each subject's own decoder (decode
// without --align); the pooled decoders (ridge onto sub-001, ridge onto each subject in turn, SRM)
// are scored on the same test clips. Then the new-subject case: sub-002 keeps only its first K
// training runs (K = 1, 2, 4, 12), the other subjects all theirs, within-subject against ridge-aligned
// (onto sub-001 and onto sub-002 itself).
// The same as (DIR: any empty folder):
//   brain2music simulate --out DIR/sim --preset paper --genres blues,classical,metal,reggae --train-per-genre 48 --test-per-genre 6 --voxels 2000 --library 0
//   brain2music embed --bids DIR/sim --model builtin --out DIR/sim/embeddings/builtin.npy
//   brain2music decode --bids DIR/sim --embeddings DIR/sim/embeddings/builtin.npy --voxels encoding:300 --align ridge --out DIR/ridge   (--align ridge --reference each --out DIR/each; --align srm --out DIR/srm)
//   brain2music decode … --subject sub-002 --train-runs K --align ridge [--reference each] --out DIR/k-K
// Usage: npm run bench:align:simulated [-- --dir DIR] [--k 1,2,4,12] [--subject sub-002] [--train-per-genre 48] [--test-per-genre 6]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDecode, type DecodeOptions } from '../src/cli/commands/decode.ts';
import { runEmbed } from '../src/cli/commands/embed.ts';
import { runSimulate } from '../src/cli/commands/simulate.ts';
import { silentUi } from '../src/cli/ui.ts';
import type { DecodeRow } from '../src/pipeline/jobs/decode.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : def;
};
const dir = arg('--dir', mkdtempSync(join(tmpdir(), 'b2m-align-sim-')));
const ks = arg('--k', '1,2,4,12').split(',').map(Number);
const target = arg('--subject', 'sub-002');
const trainPerGenre = Number(arg('--train-per-genre', '48'));
const testPerGenre = Number(arg('--test-per-genre', '6'));
const runs = trainPerGenre / 4;
const f3 = (x: number) => x.toFixed(3);
let t0 = performance.now();
const lap = () => {
  const t = (performance.now() - t0) / 1000;
  t0 = performance.now();
  return `${t.toFixed(1)} s`;
};

const sim = join(dir, 'sim');
await runSimulate({ out: sim, preset: 'paper', genres: ['blues', 'classical', 'metal', 'reggae'], trainPerGenre, testPerGenre, voxels: 2000, library: 0 }, silentUi);
console.log(`simulate (5 subjects, ${4 * (trainPerGenre + testPerGenre)} clips rendered): ${lap()}`);
const embeddings = join(sim, 'embeddings', 'builtin.npy');
await runEmbed({ bids: sim, model: 'builtin', out: embeddings }, silentUi);
console.log(`embed (builtin): ${lap()}`);

const base: DecodeOptions = { bids: sim, embeddings, subject: 'all', out: '', voxels: 'encoding:300' };
const ridge = await runDecode({ ...base, out: join(dir, 'ridge'), align: 'ridge' }, silentUi);
console.log(`decode --align ridge (5 subjects): ${lap()}`);
const each = await runDecode({ ...base, out: join(dir, 'each'), align: 'ridge', reference: 'each' }, silentUi);
console.log(`decode --align ridge --reference each (5 subjects): ${lap()}`);
const srm = await runDecode({ ...base, out: join(dir, 'srm'), align: 'srm' }, silentUi);
console.log(`decode --align srm (5 subjects): ${lap()}`);
console.log(`\nclip identification on each subject's ${4 * testPerGenre} test clips (chance 0.5); ratio: pooled ÷ own`);
console.log('subject  within  ridge→sub-001  ridge→each  srm-aligned  ratio ridge→sub-001  ratio ridge→each  ratio srm');
const pooled = (r: DecodeRow) => r.aligned!.testClips;
const ratio = (r: DecodeRow) => (pooled(r) / r.testClips).toFixed(3);
for (const [i, r] of ridge.entries()) {
  const [e, s] = [each[i]!, srm[i]!];
  console.log(`${r.subject}  ${f3(r.testClips)}  ${f3(pooled(r))}          ${f3(pooled(e))}       ${f3(pooled(s))}        ${ratio(r)}                ${ratio(e)}             ${ratio(s)}`);
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`mean     ${f3(mean(ridge.map((r) => r.testClips)))}  ${f3(mean(ridge.map(pooled)))}          ${f3(mean(each.map(pooled)))}       ${f3(mean(srm.map(pooled)))}`);
const wins = (rows: DecodeRow[]) => `${rows.filter((r) => pooled(r) > r.testClips).length} of ${rows.length}`;
console.log(`pooled beats within for: ridge→sub-001 ${wins(ridge)} subjects, ridge→each ${wins(each)}, srm ${wins(srm)}`);

console.log(`\n${target}: identification vs K, its first K of ${runs} training runs (the other subjects keep all ${runs})`);
console.log(`K   within  ridge→sub-001  ridge→${target}  time`);
for (const k of ks) {
  const [r, e] = k === runs
    ? [ridge.find((x) => x.subject === target)!, each.find((x) => x.subject === target)!]
    : [(await runDecode({ ...base, subject: target, out: join(dir, `k-${k}`), align: 'ridge', trainRuns: k }, silentUi))[0]!,
      (await runDecode({ ...base, subject: target, out: join(dir, `k-${k}-each`), align: 'ridge', reference: 'each', trainRuns: k }, silentUi))[0]!];
  console.log(`${String(k).padEnd(2)}  ${f3(r.testClips)}  ${f3(pooled(r))}          ${f3(pooled(e))}       ${k === runs ? '(the runs above)' : lap()}`);
}
console.log(`\nrun folders under ${dir}`);
