// The three real-data recipes of docs/real-data.md, each on a fixture with ds003720's file names
// and layout, through the same commands a user runs:
//   (a) the authors' derivative arrays alone: events, sidecars and Resp_*.npy, no atlas, no BOLD;
//   (b) fMRIPrep + FreeSurfer outputs beside the raw BIDS events (the paper's Destrieux ROIs);
//   (c) raw BIDS runs with an atlas of the user's (a label image and its names, outside the dataset).
// (a) and (c) use one simulated dataset (4 genres × (8 training + 3 test) clips, ~2,000 voxels,
// twice the default SNR because 32 training clips are few), with its rendered stimuli embedded by
// the builtin model; (b) uses test/bids/fmriprepFixture.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDecode } from '../../src/cli/commands/decode.ts';
import { runEmbed } from '../../src/cli/commands/embed.ts';
import { runEncode } from '../../src/cli/commands/encode.ts';
import { runRun } from '../../src/cli/commands/run.ts';
import { silentUi } from '../../src/cli/ui.ts';
import { readNiftiSync, readNpy } from '../../src/io/index.ts';
import type { DecodeMetrics } from '../../src/run/index.ts';
import { DEFAULT_SNR, PRESETS, simulateDataset, type SimulationConfig } from '../../src/simulate/index.ts';
import { FMRIPREP_SIGNAL_ROIS, hasNibabel, writeFmriprepFixture, type FmriprepFixture } from '../bids/fmriprepFixture.ts';

const CONFIG: SimulationConfig = {
  ...PRESETS.demo, genres: ['blues', 'classical', 'metal', 'reggae'], trainPerGenre: 8, testPerGenre: 3,
  voxelMm: 4, targetVoxels: 2000, subjects: 1, raw: true, seed: 1,
  snr: { ...DEFAULT_SNR, auditory: 2 * DEFAULT_SNR.auditory, higher: 2 * DEFAULT_SNR.higher },
};
const SUB = 'sub-001';
const json = <T>(p: string): T => JSON.parse(readFileSync(p, 'utf8')) as T;

let root = '';
let sim = '';
let emb = '';
let informative = new Set<number>();

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'b2m-recipes-'));
  sim = join(root, 'simulated');
  await simulateDataset(sim, CONFIG);
  emb = join(root, 'builtin.npy');
  await runEmbed({ bids: sim, model: 'builtin', out: emb }, silentUi);
  const truth = json<{ informativeRois: Record<string, { index: number }[]> }>(join(sim, 'derivatives', 'ground_truth', SUB, `${SUB}_truth.json`));
  informative = new Set(Object.values(truth.informativeRois).flat().map((r) => r.index));
});
after(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the simulated dataset holding only what `keep` accepts (paths relative to its root). */
function subset(name: string, keep: (rel: string) => boolean): string {
  const dir = join(root, name);
  cpSync(sim, dir, { recursive: true, filter: (src) => statSync(src).isDirectory() || keep(src.slice(sim.length + 1)) });
  return dir;
}

test('recipe (a), the derivative arrays alone: `brain2music decode` selects voxels by encoding on the training clips (no atlas) and decodes above chance', async () => {
  const ds = subset('derivative-only', (rel) => /(_events\.tsv|_bold\.json|dataset_description\.json|_Resp_(Training|Test|Test_Mean)\.npy)$/.test(rel));
  assert.equal(existsSync(join(ds, 'derivatives', 'atlas')) && readdirSync(join(ds, 'derivatives', 'atlas', SUB)).length > 0, false, 'no atlas in the copy');
  const out = join(root, 'run-a');
  const rows = await runDecode({ bids: ds, embeddings: emb, subject: SUB, out, voxels: 'encoding:300' }, silentUi);
  const m = json<DecodeMetrics & { decoder: { method: string; label: string; nSelected: number; reason: string } }>(join(out, 'subjects', SUB, 'decode', 'metrics.json'));
  assert.equal(m.decoder.method, 'encoding-top');
  assert.equal(m.decoder.nSelected, 300);
  console.log(`recipe (a) decode encoding:300: identification ${rows[0]!.testClips.toFixed(3)} clips / ${rows[0]!.testWindows.toFixed(3)} windows (chance 0.5)`);
  assert.ok(rows[0]!.testClips > 0.65, `test identification ${rows[0]!.testClips}`);
  const sel = readNpy(join(out, 'subjects', SUB, 'decode', 'selected_voxels.npy'));
  assert.equal(sel.data.length, 300);
  assert.equal(existsSync(join(out, 'subjects', SUB, 'decode', 'rois.nii.gz')), false, 'no voxel space: no volume');
});

test('recipe (a) through `brain2music run`: the pipeline says it decodes without an atlas, writes per-voxel .npy maps, and the report says why there is no brain image', async () => {
  const ds = join(root, 'derivative-only');
  const out = join(root, 'run-a-pipeline');
  const cfg = join(root, 'recipe-a.json');
  writeFileSync(cfg, JSON.stringify({
    out, dataset: { bids: ds, source: 'derivative' }, stimuli: join(sim, 'stimuli'),
    decode: { voxels: 'encoding:300' }, library: null, generate: null, encode: { null: 'gaussian' },
  }));
  const res = await runRun({ config: cfg }, silentUi);
  const status = Object.fromEntries(res.outcomes.map((o) => [o.name, o.status]));
  assert.deepEqual(status, { simulate: 'not-run', embed: 'ran', decode: 'ran', library: 'not-run', retrieve: 'not-run', generate: 'not-run', encode: 'ran', evaluate: 'ran', report: 'ran' });
  const decode = res.outcomes.find((o) => o.name === 'decode')!;
  assert.match(String(decode.summary?.[SUB]), /^encoding:300 asked for/);
  const m = json<DecodeMetrics>(join(out, 'subjects', SUB, 'decode', 'metrics.json'));
  console.log(`recipe (a) run (encoding:300): identification ${m.identificationTest.value.toFixed(3)} (chance 0.5)`);
  assert.ok(m.identificationTest.value > 0.65, `identification ${m.identificationTest.value}`);
  const enc = join(out, 'subjects', SUB, 'encode');
  const summary = json<{ maps: string; noVolume?: string; models: Record<string, { files: Record<string, string> }> }>(join(enc, 'summary.json'));
  assert.equal(summary.maps, 'npy');
  for (const f of Object.values(summary.models.builtin!.files)) assert.ok(existsSync(join(enc, f)), f);
  const r = readNpy(join(enc, 'builtin_r.npy'));
  assert.equal(r.shape.length, 1);
  const html = readFileSync(join(out, 'report', 'index.html'), 'utf8');
  assert.match(html, /no brain image/i);
  assert.match(html, /encoding:300/);
});

test('recipe (a) with the default decoder: no atlas, so `brain2music decode` says it decodes with encoding:3000 (here every voxel: fewer than 3,000)', async () => {
  const out = join(root, 'run-a-default');
  const rows = await runDecode({ bids: join(root, 'derivative-only'), embeddings: emb, subject: SUB, out }, silentUi);
  const m = json<{ decoder: { method: string; reason: string } }>(join(out, 'subjects', SUB, 'decode', 'metrics.json'));
  assert.match(m.decoder.reason, /^no atlas: decoding with encoding:3000 \(all \d+ voxels: fewer than 3000\)/);
  console.log(`recipe (a) default decoder (${m.decoder.reason}): identification ${rows[0]!.testClips.toFixed(3)} (chance 0.5)`);
  assert.ok(rows[0]!.testClips > 0.55, `identification ${rows[0]!.testClips}`);
});

test('recipe (c), raw BIDS with an atlas of the user\'s: `brain2music decode --source raw --atlas FILE --atlas-names TSV` ranks that atlas\'s ROIs and writes them in the BOLD space', async () => {
  const ds = subset('raw-only', (rel) => /(_events\.tsv|_bold\.json|dataset_description\.json|_bold\.nii\.gz)$/.test(rel) && !rel.startsWith('derivative'));
  // the user's atlas folder, one label image per subject in its BOLD space: `{subject}` in the path
  const atlasDir = join(sim, 'derivatives', 'atlas', SUB);
  const atlas = join(sim, 'derivatives', 'atlas', '{subject}', '{subject}_space-bold_dseg.nii.gz');
  const names = join(atlasDir, `${SUB}_space-bold_dseg.tsv`);
  const out = join(root, 'run-c');
  const rows = await runDecode({ bids: ds, embeddings: emb, subject: SUB, out, source: 'raw', atlas, atlasNames: names }, silentUi);
  const rois = json<{ selected: { index: number; name: string }[] }>(join(out, 'subjects', SUB, 'decode', 'rois.json')).selected;
  const hits = rois.filter((r) => informative.has(r.index)).length;
  console.log(`recipe (c): identification ${rows[0]!.testClips.toFixed(3)}; ${hits}/${rois.length} chosen ROIs informative (${rois.map((r) => r.name).join(', ')})`);
  assert.ok(hits >= 4, `${hits} of ${rois.length} chosen ROIs are informative`);
  assert.ok(rows[0]!.testClips > 0.65);
  const bold = readNiftiSync(join(ds, SUB, 'func', readdirSync(join(ds, SUB, 'func')).find((f) => f.endsWith('_bold.nii.gz'))!));
  const vol = readNiftiSync(join(out, 'subjects', SUB, 'decode', 'rois.nii.gz'));
  assert.deepEqual(vol.dims.slice(0, 3), bold.dims.slice(0, 3));
  for (let i = 0; i < 16; i++) assert.ok(Math.abs(vol.affine[i]! - bold.affine[i]!) < 1e-5, 'rois.nii.gz has the BOLD affine');
});

let fx: FmriprepFixture;
const fmriprepRoot = () => join(root, 'fmriprep-ds');

test('recipe (b), fMRIPrep + FreeSurfer: `brain2music decode --source fmriprep` picks the Destrieux ROIs that carry signal, through the MGZ resampled to the BOLD grid', { skip: hasNibabel ? false : 'python3-nibabel is missing (it writes the MGZ fixture)' }, async () => {
  fx = writeFmriprepFixture(fmriprepRoot(), { embeddingsPath: join(root, 'fmriprep-E.npy') });
  const out = join(root, 'run-b');
  const rows = await runDecode({ bids: fx.root, embeddings: fx.embeddings!.path, subject: SUB, out, source: 'fmriprep', confounds: 'motion6' }, silentUi);
  const m = json<DecodeMetrics & { decoder: { method: string } }>(join(out, 'subjects', SUB, 'decode', 'metrics.json'));
  assert.equal(m.decoder.method, 'roi-ensemble');
  const rois = json<{ selected: { name: string }[] }>(join(out, 'subjects', SUB, 'decode', 'rois.json')).selected.map((r) => r.name);
  console.log(`recipe (b): identification ${rows[0]!.testClips.toFixed(3)}; ROIs ${rois.join(', ')}`);
  for (const s of FMRIPREP_SIGNAL_ROIS) assert.ok(rois.slice(0, 3).includes(s.name), `${s.name} among the first three of ${rois.join(', ')}`);
  assert.ok(rows[0]!.testClips > 0.9, `identification ${rows[0]!.testClips}`);
  const vol = readNiftiSync(join(out, 'subjects', SUB, 'decode', 'rois.nii.gz'));
  assert.deepEqual(vol.dims.slice(0, 3), fx.bold.dims);
  for (let i = 0; i < 16; i++) assert.ok(Math.abs(vol.affine[i]! - fx.bold.affine[i]!) < 1e-5, 'rois.nii.gz has the BOLD affine');
});

test('recipe (b): `brain2music encode --source fmriprep` writes its maps and background in the BOLD space, significant voxels in the signal ROIs', { skip: hasNibabel ? false : 'python3-nibabel is missing' }, async () => {
  const out = join(root, 'run-b');
  const [s] = await runEncode({ bids: fx.root, features: fx.embeddings!.path, subject: SUB, out, source: 'fmriprep', null: 'gaussian' }, silentUi);
  const name = Object.keys(s!.models)[0]!;
  const enc = join(out, 'subjects', SUB, 'encode');
  for (const f of [`${name}_r.nii.gz`, `${name}_sig.nii.gz`, 'background.nii.gz']) {
    const img = readNiftiSync(join(enc, f));
    assert.deepEqual(img.dims.slice(0, 3), fx.bold.dims, f);
    for (let i = 0; i < 16; i++) assert.ok(Math.abs(img.affine[i]! - fx.bold.affine[i]!) < 1e-5, `${f} has the BOLD affine`);
  }
  const m = s!.models[name]!;
  const signal = new Set(FMRIPREP_SIGNAL_ROIS.map((r) => `ctx_${r.name.slice(4)}`).concat(FMRIPREP_SIGNAL_ROIS.map((r) => r.name)));
  const inSignal = m.rois.filter((r) => signal.has(r.name)).reduce((a, r) => a + r.nSignificant, 0);
  console.log(`recipe (b) encode: ${m.nSignificant} significant voxels, ${inSignal} in the signal ROIs`);
  assert.ok(m.nSignificant > 0 && inSignal / m.nSignificant > 0.8, `${inSignal} of ${m.nSignificant} significant voxels in the signal ROIs`);
});

test('recipe (b) through `brain2music run` with "source": "fmriprep": every stage it needs runs, and the summary names the fMRIPrep route', { skip: hasNibabel ? false : 'python3-nibabel is missing' }, async () => {
  const out = join(root, 'run-b-pipeline');
  const cfg = join(root, 'recipe-b.json');
  writeFileSync(cfg, JSON.stringify({
    out, dataset: { bids: fx.root, source: 'fmriprep', space: 'T1w', confounds: 'motion12' },
    embeddings: [{ name: 'genre' }], library: null, generate: null, encode: { null: 'gaussian', spaces: ['genre'] },
  }));
  const res = await runRun({ config: cfg }, silentUi);
  const status = Object.fromEntries(res.outcomes.map((o) => [o.name, o.status]));
  for (const st of ['embed', 'decode', 'encode', 'evaluate', 'report']) assert.equal(status[st], 'ran', st);
  const rois = readNiftiSync(join(out, 'subjects', SUB, 'decode', 'rois.nii.gz'));
  for (let i = 0; i < 16; i++) assert.ok(Math.abs(rois.affine[i]! - fx.bold.affine[i]!) < 1e-5);
  const manifest = json<{ config: { dataset: { source: string; confounds: string } } }>(join(out, 'run.json'));
  assert.deepEqual([manifest.config.dataset.source, manifest.config.dataset.confounds], ['fmriprep', 'motion12']);
});
