// A small but real run folder for the report tests: real arrays written with the project's own
// writers (npy, NIfTI, WAV, JSON) in the run layout, as the stages leave it.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeJsonAtomic, writeNifti, writeNpy, writeWav } from '../../src/io/index.ts';
import { MANIFEST_FORMAT, packageVersions, parseRunConfig, writeManifest, type DecodeMetrics, type RetrievalResult, type RunManifest } from '../../src/pipeline/index.ts';
import type { EncodingSummary } from '../../src/encode/index.ts';

export const CLIPS = ['blues.00048', 'jazz.00048', 'rock.00048', 'pop.00048'];
export const GENRES = CLIPS.map((c) => c.split('.')[0]!);
export const DIMS: [number, number, number] = [14, 16, 12];
/** The 95 % interval metrics.json records for sub-001's test identification. */
export const CI95: [number, number] = [0.8, 1];
const SR = 22050;

/** A deterministic pseudo-random stream (LCG) for fixture values. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** 1 s of a chord at `f0` with a decaying envelope: audible, with a visible spectrogram. */
export function tone(f0: number, seconds = 1, sr = SR): Float32Array {
  const x = new Float32Array(Math.round(sr * seconds));
  for (let i = 0; i < x.length; i++) {
    const t = i / sr;
    x[i] = 0.2 * Math.exp(-2 * t) * (Math.sin(2 * Math.PI * f0 * t) + 0.5 * Math.sin(2 * Math.PI * 1.5 * f0 * t) + 0.3 * Math.sin(2 * Math.PI * 2 * f0 * t));
  }
  return x;
}

function pearson(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** The identification matrix of noisy predictions of random 8-d targets, and its accuracy. */
export function identification(seed = 1): { C: Float32Array; accuracy: number } {
  const r = rng(seed);
  const n = CLIPS.length;
  const T = Array.from({ length: n }, () => Float64Array.from({ length: 8 }, () => r() - 0.5));
  const P = T.map((t) => t.map((v) => v + 0.3 * (r() - 0.5)));
  const C = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) C[i * n + j] = pearson(P[i]!, T[j]!);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    let wins = 0;
    for (let j = 0; j < n; j++) if (j !== i && C[i * n + i]! > C[i * n + j]!) wins++;
    acc += wins / (n - 1);
  }
  return { C, accuracy: acc / n };
}

/** The maps the fixture's encode stage writes per space (as writeEncodingOutputs does). */
export const MAP_KINDS = ['r', 'q', 'sig', 'ceiling', 'rnorm'] as const;

/** The fixture's noise ceiling inside the brain (0 outside). */
export const CEILING = 0.8;

/** q of a brain voxel with r > 0.3 (significant), and of every other brain voxel; 1 outside the brain. */
export const Q_SIG = 0.01;
export const Q_NOT = 0.5;

/** sub-001's generated/<sub>/metrics.json (the parts the report reads). */
export const GENERATION = {
  subject: 'sub-001', generator: 'builtin',
  identification: { value: 0.75, chance: 0.5 }, genreAgreement: { value: 0.5, chance: 0.25 },
  oracle: { identification: { value: 0.875, chance: 0.5 }, genreAgreement: { value: 0.75, chance: 0.25 } },
  decoded: { perClip: CLIPS.map((c, i) => ({ clipId: c, originalGenre: GENRES[i], generatedGenre: GENRES[(i + 1) % 4] })) },
};

/** The test clips' generated sample 0 conditioning (as the builtin generator writes it). */
export function conditioning(clip: string, i: number): Record<string, unknown> {
  return {
    generator: 'builtin', seed: 7, sample: 0, temperature: 0.3,
    arrangement: { version: 1, genre: clip.split('.')[0], tempo: 100 + 10 * i, key: i, mode: 'minor', beatsPerBar: 4, drums: { kit: 0, pattern: 'shuffle', fills: false }, bass: { program: 32, style: 'rootFifth' }, chords: null, lead: { program: 27, scale: 'blues', register: 71 }, pad: null },
    guidance: { candidates: 4, chosen: 2, cosines: [0.25, 0.19, 0.5876, 0.55] },
  };
}

export const AFFINE = Float64Array.from([2, 0, 0, -14, 0, 2, 0, -16, 0, 0, 2, -12, 0, 0, 0, 1]);

/** Brain-like volumes: an ellipsoid "brain" background and an r map peaking in one "auditory" blob. */
function volumes() {
  const [nx, ny, nz] = DIMS;
  const n = nx * ny * nz;
  const bg = new Float32Array(n);
  const r = new Float32Array(n);
  const r2 = new Float32Array(n);
  const rois = new Uint8Array(n);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const i = x + nx * (y + ny * z);
        const e = ((x - nx / 2) / (nx / 2.2)) ** 2 + ((y - ny / 2) / (ny / 2.2)) ** 2 + ((z - nz / 2) / (nz / 2.2)) ** 2;
        if (e > 1) continue;
        bg[i] = 400 + 300 * (1 - e) + 50 * Math.cos(x + y);
        const d = (x - 3.5) ** 2 + (y - 8) ** 2 + (z - 6) ** 2;
        r[i] = 0.7 * Math.exp(-d / 6) - 0.02;
        r2[i] = 0.5 * Math.exp(-d / 8) + 0.05 * Math.exp(-((x - 10) ** 2 + (y - 4) ** 2) / 4);
        if (d < 3) rois[i] = 1;
      }
  return { bg, r, r2, rois };
}

function encodeSummary(dir: string, r: Float32Array, r2: Float32Array): EncodingSummary {
  const model = (name: string, m: Float32Array) => {
    let nSig = 0, sum = 0, max = -Infinity, sumSig = 0;
    for (const v of m) {
      sum += v;
      max = Math.max(max, v);
      if (v > 0.3) (nSig++, (sumSig += v));
    }
    return {
      nFeatures: name === 'genre' ? 10 : 32, nSignificant: nSig, meanR: sum / m.length, maxR: max, meanSignificantR: nSig ? sumSig / nSig : 0, medianSignificantCeiling: null,
      topRois: [{ index: 33, name: 'G_temp_sup-G_T_transv', nVoxels: 40, nSignificant: nSig, fraction: nSig / 40, meanSignificantR: nSig ? sumSig / nSig : 0 }],
      rois: [{ index: 74, name: 'S_temporal_transverse', nVoxels: 70, nSignificant: 0, fraction: 0, meanSignificantR: 0 }],
      files: Object.fromEntries(MAP_KINDS.map((k) => [k, join(dir, `${name}_${k}.nii.gz`)])),
    };
  };
  const bins = 10;
  const counts = Array.from({ length: bins }, () => new Array<number>(bins).fill(0));
  const bin = (v: number) => Math.min(bins - 1, Math.max(0, Math.floor(((v + 0.2) / 1.0) * bins)));
  for (let i = 0; i < r.length; i++) if (r[i] !== 0 || r2[i] !== 0) counts[bin(r[i]!)]![bin(r2[i]!)]!++;
  const edges = Array.from({ length: bins + 1 }, (_, i) => -0.2 + i / bins);
  const m1 = model('builtin', r);
  const m2 = model('genre', r2);
  return {
    subject: 'sub-001', nVoxels: r.length, nTrain: 120, nTest: 40, delays: [1, 2, 3, 4], null: 'gaussian', fdr: 0.05,
    models: { builtin: m1, genre: m2 },
    comparisons: [{ a: 'builtin', b: 'genre', counts: { both: 10, onlyA: 20, onlyB: 3, neither: 100 }, eitherSignificant: { n: 33, aBetter: 25, meanDiff: 0.12 }, histogram: { xEdges: edges, yEdges: edges, counts }, file: join(dir, 'builtin_minus_genre_rdiff.nii.gz') }],
    partition: null,
  };
}

/**
 * Writes the run folder and returns its path. sub-001 has every stage's outputs; sub-002 has
 * decode outputs only (its encode, retrieval and generation did not run). `atlas`: sub-001's
 * encode folder also holds an atlas label image (atlas.nii.gz).
 */
export function writeFixtureRun(opts: { stimuliOutside?: boolean; atlas?: boolean } = {}): { runDir: string; accuracy: number; stimuli: string } {
  const root = mkdtempSync(join(tmpdir(), 'b2m-report-'));
  const runDir = join(root, 'run');
  // Stimuli inside the run (a simulated dataset) or in a folder of the user's outside it.
  const stimuli = opts.stimuliOutside ? join(root, 'my-stimuli') : join(runDir, 'dataset/stimuli');
  const config = parseRunConfig({ out: runDir, dataset: { simulate: { subjects: 2, preset: 'demo' } }, ...(opts.stimuliOutside ? { stimuli } : {}) }, 'fixture', runDir);
  const now = '2026-11-25T00:00:00.000Z';
  const manifest: RunManifest = {
    format: MANIFEST_FORMAT, createdAt: now, updatedAt: now, config, versions: packageVersions(), seeds: { master: 0 }, checksums: {},
    stages: {
      simulate: { status: 'done', seconds: 1.5, outputs: ['dataset'] },
      decode: { status: 'done', seconds: 2.5, outputs: ['subjects'] },
      generate: { status: 'not-run', reason: 'switched off ("generate": null)' },
    },
  };
  writeManifest(runDir, manifest);

  CLIPS.forEach((c, i) => writeWav(join(stimuli, `${c}.wav`), tone(196 * 2 ** (i / 4)), SR));
  // The embed stage records where each clip's audio came from; the report reads it there.
  writeJsonAtomic(join(runDir, 'embeddings/builtin.json'), { model: 'builtin', clipIds: CLIPS, sources: Object.fromEntries(CLIPS.map((c) => [c, { path: join(stimuli, `${c}.wav`) }])) });
  const libIds = ['lib.0001', 'lib.0002', 'lib.0003', 'lib.0004'];
  libIds.forEach((id, i) => writeWav(join(runDir, 'dataset/library/audio', `${id}.wav`), tone(220 * 2 ** (i / 3)), SR));

  const { C, accuracy } = identification();
  const { bg, r, r2, rois } = volumes();
  for (const sub of ['sub-001', 'sub-002']) {
    const dir = join(runDir, 'subjects', sub, 'decode');
    mkdirSync(dir, { recursive: true });
    writeNpy(join(dir, 'identification.npy'), C, [CLIPS.length, CLIPS.length]);
    writeJsonAtomic(join(dir, 'predictions.json'), { subject: sub, split: 'test', model: 'builtin', clipIds: CLIPS, genres: GENRES, identification: 'identification.npy' });
    const metrics: DecodeMetrics = {
      subject: sub, target: 'builtin', unit: 'clips', lagTr: 3,
      // sub-001's as the decode stage records them: with a 95% interval and p at the permutations' resolution
      identificationTest: { value: accuracy, chance: 0.5, ...(sub === 'sub-001' ? { ci95: CI95, p: 1 / 10_000, nPerm: 9_999, exact: false } : {}) }, identificationTrain: { value: 0.99, chance: 0.5 }, identificationTrainOutOfFold: { value: 0.93, chance: 0.5, split: 'train-oof' },
      nWayTop1: { value: 0.75, chance: 0.25, n: 4 }, meanR: 0.31, perGenre: Object.fromEntries(GENRES.map((g, i) => [g, 0.6 + 0.1 * i])),
    };
    writeJsonAtomic(join(dir, 'metrics.json'), metrics);
    writeJsonAtomic(join(dir, 'rois.json'), { selected: [{ name: 'G_temp_sup-G_T_transv', index: 33, nVoxels: 61, cvR: 0.41 }, { name: 'S_temporal_transverse', index: 74, nVoxels: 70, cvR: 0.35 }] });
  }
  writeNifti(join(runDir, 'subjects/sub-001/decode/rois.nii.gz'), { dims: DIMS, data: rois, affine: AFFINE });
  // an atlas label image beside the maps: label 33 (G_temp_sup-G_T_transv) where the decoding ROI is, 74 elsewhere in the brain
  if (opts.atlas) writeNifti(join(runDir, 'subjects/sub-001/encode/atlas.nii.gz'), { dims: DIMS, data: Int16Array.from(bg, (v, i) => (rois[i] ? 33 : v > 0 ? 74 : 0)), affine: AFFINE });
  const enc = join(runDir, 'subjects/sub-001/encode');
  writeNifti(join(enc, 'background.nii.gz'), { dims: DIMS, data: bg, affine: AFFINE, header: { descrip: 'mean functional image' } });
  for (const [space, m] of [['builtin', r], ['genre', r2]] as const) {
    const brain = (i: number) => bg[i]! > 0;
    writeNifti(join(enc, `${space}_r.nii.gz`), { dims: DIMS, data: m, affine: AFFINE });
    writeNifti(join(enc, `${space}_q.nii.gz`), { dims: DIMS, data: m.map((v, i) => (!brain(i) ? 1 : v > 0.3 ? Q_SIG : Q_NOT)), affine: AFFINE });
    writeNifti(join(enc, `${space}_sig.nii.gz`), { dims: DIMS, data: Uint8Array.from(m, (v) => (v > 0.3 ? 1 : 0)), affine: AFFINE });
    writeNifti(join(enc, `${space}_ceiling.nii.gz`), { dims: DIMS, data: m.map((_, i) => (brain(i) ? CEILING : 0)), affine: AFFINE });
    writeNifti(join(enc, `${space}_rnorm.nii.gz`), { dims: DIMS, data: m.map((v, i) => (brain(i) ? v / CEILING : 0)), affine: AFFINE });
  }
  writeNifti(join(enc, 'builtin_minus_genre_rdiff.nii.gz'), { dims: DIMS, data: r.map((v, i) => v - r2[i]!), affine: AFFINE });
  // Paths as a staging folder would have recorded them: the report must use only the names.
  writeJsonAtomic(join(enc, 'summary.json'), encodeSummary('/elsewhere/.staging/encode', r, r2));

  const retrieval: RetrievalResult = {
    subject: 'sub-001', librarySize: libIds.length,
    items: CLIPS.map((c, i) => ({
      clipId: c, genre: GENRES[i]!,
      retrieved: [{ id: libIds[(i + 1) % 4]!, genre: GENRES[(i + 1) % 4]!, score: 0.8 - 0.1 * i, audio: `dataset/library/audio/${libIds[(i + 1) % 4]}.wav` }],
      oracle: [{ id: libIds[i]!, genre: GENRES[i]! }],
    })),
    genreAgreement: { value: 0.5, chance: 0.25, oracle: 1 },
  };
  writeJsonAtomic(join(runDir, 'retrieval/sub-001.json'), retrieval);
  CLIPS.forEach((c, i) => {
    writeWav(join(runDir, 'generated/sub-001', `${c}_0.wav`), tone(150 * 2 ** (i / 5), 0.8), SR);
    writeJsonAtomic(join(runDir, 'generated/sub-001', `${c}_0.json`), conditioning(c, i));
  });
  writeJsonAtomic(join(runDir, 'generated/sub-001/metrics.json'), GENERATION);
  // metrics.json as the evaluate stage writes it, with a 95 % interval for sub-001's identification
  const decodeOf = (sub: string) => JSON.parse(readFileSync(join(runDir, 'subjects', sub, 'decode/metrics.json'), 'utf8')) as DecodeMetrics;
  const d1 = decodeOf('sub-001');
  writeJsonAtomic(join(runDir, 'metrics.json'), {
    subjects: {
      'sub-001': { decode: { ...d1, identificationTest: { ...d1.identificationTest, ci95: CI95 } }, retrieval: { genreAgreement: retrieval.genreAgreement } },
      'sub-002': { decode: decodeOf('sub-002') },
    },
  });
  return { runDir, accuracy, stimuli };
}
