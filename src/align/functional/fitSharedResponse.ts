import { ALIGN_DEFAULTS } from '../../defaults.ts';
import { fail } from '../../errors.ts';
import { createRng, matmul, type Rng } from '../../linalg/index.ts';
import { blockVoxels, type AlignmentBlock } from './alignmentBlocks.ts';
import { polarFactor } from './polarFactor.ts';
import type { SubjectRows, WindowRows } from './windowRows.ts';

/** Shared dimensions per block when none are asked for (declared in defaults.ts). */
export const DEFAULT_SRM_DIMS = ALIGN_DEFAULTS.srmDims;
/** Alternations of the deterministic SRM (declared in defaults.ts). */
export const DEFAULT_SRM_ITERATIONS = ALIGN_DEFAULTS.srmIterations;

/** Options of {@link fitSharedResponse}. */
export interface SharedResponseOptions {
  /** Shared dimensions k per block (default 50); a block gets min(k, its smallest voxel count, its rows − 1). */
  dims?: number;
  /** Alternations (default 10). */
  iterations?: number;
  /** Seed of the random orthonormal start (default 0). */
  seed?: number;
}

/** One subject's map into the shared space, per block. */
export interface SrmSubjectMap {
  method: 'srm';
  subject: string;
  /** Voxels of the subject's responses (columns `applyAlignment` expects). */
  nVoxels: number;
  blocks: {
    label: number;
    name: string;
    voxels: Int32Array;
    /** Training mean and standard deviation of each of the block's voxels (a constant voxel: sd 1). */
    mean: Float64Array;
    std: Float64Array;
    /** `voxels × dims` row-major float64 with orthonormal columns: shared response = z-scored responses · w. */
    w: Float64Array;
    dims: number;
  }[];
  /** Columns of the shared responses: Σ dims over blocks. */
  nColumns: number;
  /** Training clips the map was fitted on. */
  clips: number;
}

/** A fitted shared response model (deterministic SRM). */
export interface SharedResponseModel {
  method: 'srm';
  subjects: string[];
  /** The training clips of any subject, first subject's order first: rows of `shared`. */
  clipIds: string[];
  nWindows: number;
  /** Per block: k and the shared response, `clipIds.length·nWindows × dims` row-major float64. */
  blocks: { label: number; name: string; dims: number; shared: Float64Array }[];
  maps: SrmSubjectMap[];
  /** Σ over blocks and subjects of ‖Z − S Wᵀ‖² after the start and after each alternation (never increases). */
  objective: number[];
  iterations: number;
  seed: number;
  nColumns: number;
}

/** Column means and standard deviations (population; a constant column gets 1). */
function columnStats(z: Float32Array, n: number, cols: Int32Array, p: number): { mean: Float64Array; std: Float64Array } {
  const q = cols.length;
  const mean = new Float64Array(q);
  const ss = new Float64Array(q);
  for (let i = 0; i < n; i++) for (let j = 0; j < q; j++) mean[j] += z[i * p + cols[j]];
  for (let j = 0; j < q; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) for (let j = 0; j < q; j++) ss[j] += (z[i * p + cols[j]] - mean[j]) ** 2;
  const std = ss.map((s, j) => {
    const sd = Math.sqrt(s / n);
    return sd > 1e-12 * Math.max(1, Math.abs(mean[j])) ? sd : 1;
  });
  return { mean, std };
}

/** `n × q` float64: the block's columns of `rows`, z-scored with `st`. */
function standardized(rows: WindowRows, cols: Int32Array, st: { mean: Float64Array; std: Float64Array }): Float64Array {
  const n = rows.clipIds.length * rows.nWindows;
  const p = rows.nVoxels;
  const q = cols.length;
  const out = new Float64Array(n * q);
  for (let i = 0; i < n; i++) for (let j = 0; j < q; j++) out[i * q + j] = (rows.data[i * p + cols[j]] - st.mean[j]) / st.std[j];
  return out;
}

/** Universe row of each of a subject's rows (clip-major). */
function universeRows(rows: WindowRows, clipRow: ReadonlyMap<string, number>): Int32Array {
  const W = rows.nWindows;
  const out = new Int32Array(rows.clipIds.length * W);
  rows.clipIds.forEach((id, c) => {
    const u = clipRow.get(id);
    if (u === undefined) fail('INTERNAL', `clip ${id} is not among the shared response's clips.`);
    for (let w = 0; w < W; w++) out[c * W + w] = u * W + w;
  });
  return out;
}

/** Rows `idx` of an `N × k` float64 matrix. */
function pick(s: Float64Array, k: number, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length * k);
  for (let i = 0; i < idx.length; i++) out.set(s.subarray(idx[i] * k, idx[i] * k + k), i * k);
  return out;
}

/** Procrustes step: W = polar(Zᵀ S_sub), Z `n × q`, S_sub `n × k`. */
async function procrustes(z: Float64Array, n: number, q: number, sSub: Float64Array, k: number): Promise<Float64Array> {
  const m = await matmul({ rows: n, cols: q, data: z }, { rows: n, cols: k, data: sSub }, { transA: true });
  return polarFactor(m.data as Float64Array, q, k);
}

/** ‖Z − S_sub Wᵀ‖² = ‖Z‖² − 2·tr(Wᵀ Zᵀ S_sub) + tr(S_sub WᵀW S_subᵀ), Z `n × q`, S_sub `n × k`, W `q × k`. */
async function residual(z: Float64Array, n: number, q: number, sSub: Float64Array, k: number, w: Float64Array): Promise<number> {
  const zw = (await matmul({ rows: n, cols: q, data: z }, { rows: q, cols: k, data: w })).data;
  const wtw = (await matmul({ rows: q, cols: k, data: w }, { rows: q, cols: k, data: w }, { transA: true })).data;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    let zz = 0;
    for (let j = 0; j < q; j++) zz += z[i * q + j] ** 2;
    let cross = 0;
    let pp = 0;
    for (let a = 0; a < k; a++) {
      const sa = sSub[i * k + a];
      cross += zw[i * k + a] * sa;
      for (let b = 0; b < k; b++) pp += sa * wtw[a * k + b] * sSub[i * k + b];
    }
    sse += zz - 2 * cross + pp;
  }
  return sse;
}

/** A random `q × k` matrix with orthonormal columns (seeded). */
function randomOrthonormal(q: number, k: number, rng: Rng): Float64Array {
  const g = new Float64Array(q * k);
  for (let i = 0; i < g.length; i++) g[i] = rng.normal();
  return polarFactor(g, q, k);
}

/**
 * A shared response model fitted on the training clips (the deterministic SRM of Chen et al. 2015,
 * as brainiak's `DetSRM`; with one subject fixed as the target it is orthogonal Procrustes, the
 * hyperalignment family). Per block, each subject's z-scored responses Z_s (its windows × its block
 * voxels) are modelled as S W_sᵀ: S holds k shared time courses (one row per clip window, common to
 * all subjects), W_s an orthonormal `voxels × k` map per subject. Alternating least squares from a
 * seeded random orthonormal start: W_s = polar factor of Z_sᵀ S (Procrustes), then S = the mean over
 * subjects of Z_s W_s, row by row over the subjects that heard that clip (so a subject limited to
 * its first runs simply contributes fewer rows). Each step minimises Σ_s ‖Z_s − S W_sᵀ‖² exactly, so
 * `objective` never increases.
 *
 * Unlike ridge alignment there is no reference: every subject, the "reference" included, is mapped
 * into the k-dimensional shared space. Voxel counts may differ per subject; k ≤ the block's
 * smallest count. Training rows only; a new subject is folded in with {@link fitSrmSubject}, test
 * responses are mapped with `applyAlignment`.
 */
export async function fitSharedResponse(subjects: readonly SubjectRows[], blocks: readonly AlignmentBlock[], opts: SharedResponseOptions = {}): Promise<SharedResponseModel> {
  if (subjects.length < 2) fail('BAD_INPUT', `a shared response model needs at least 2 subjects, got ${subjects.length}.`);
  if (blocks.length === 0) fail('BAD_INPUT', 'fitSharedResponse needs at least one block.');
  const dims = opts.dims ?? DEFAULT_SRM_DIMS;
  const iterations = opts.iterations ?? DEFAULT_SRM_ITERATIONS;
  const seed = opts.seed ?? 0;
  if (!Number.isInteger(dims) || dims < 1) fail('BAD_INPUT', `the shared response model's dimensions must be a positive integer, got ${dims}; e.g. --srm-dims 50.`);
  if (!Number.isInteger(iterations) || iterations < 1) fail('BAD_INPUT', `SRM iterations must be a positive integer, got ${iterations}.`);
  const W = subjects[0].rows.nWindows;
  for (const s of subjects) if (s.rows.nWindows !== W) fail('MISMATCH', `${s.subject}'s responses are aligned to ${s.rows.nWindows} windows per clip, ${subjects[0].subject}'s to ${W}; align all to the same embedding windows.`);
  const clipIds: string[] = [];
  const clipRow = new Map<string, number>();
  for (const s of subjects) for (const id of s.rows.clipIds) if (!clipRow.has(id)) { clipRow.set(id, clipIds.length); clipIds.push(id); }
  const N = clipIds.length * W;
  const rowsOf = subjects.map((s) => universeRows(s.rows, clipRow));
  const count = new Float64Array(N);
  for (const r of rowsOf) for (const i of r) count[i]++;
  const rng = createRng(seed);

  const maps: SrmSubjectMap[] = subjects.map((s) => ({ method: 'srm', subject: s.subject, nVoxels: s.rows.nVoxels, blocks: [], nColumns: 0, clips: s.rows.clipIds.length }));
  const outBlocks: SharedResponseModel['blocks'] = [];
  const objective = new Array<number>(iterations + 1).fill(0);
  for (const block of blocks) {
    const cols = subjects.map((s) => blockVoxels(block, s.subject));
    const k = Math.min(dims, ...cols.map((c) => c.length), N - 1);
    if (k < 1) fail('BAD_INPUT', `block ${block.name} is too small for a shared response (${Math.min(...cols.map((c) => c.length))} voxels).`);
    const stats = subjects.map((s, i) => columnStats(s.rows.data, s.rows.clipIds.length * W, cols[i], s.rows.nVoxels));
    const z = subjects.map((s, i) => standardized(s.rows, cols[i], stats[i]));
    const n = rowsOf.map((r) => r.length);
    const w = cols.map((c) => randomOrthonormal(c.length, k, rng));
    const shared = new Float64Array(N * k);
    const update = async () => {
      shared.fill(0);
      for (let s = 0; s < subjects.length; s++) {
        const zw = (await matmul({ rows: n[s], cols: cols[s].length, data: z[s] }, { rows: cols[s].length, cols: k, data: w[s] })).data;
        const r = rowsOf[s];
        for (let i = 0; i < n[s]; i++) for (let a = 0; a < k; a++) shared[r[i] * k + a] += zw[i * k + a];
      }
      for (let i = 0; i < N; i++) if (count[i] > 0) for (let a = 0; a < k; a++) shared[i * k + a] /= count[i];
    };
    const loss = async () => {
      let sse = 0;
      for (let s = 0; s < subjects.length; s++) sse += await residual(z[s], n[s], cols[s].length, pick(shared, k, rowsOf[s]), k, w[s]);
      return sse;
    };
    await update();
    objective[0] += await loss();
    for (let it = 1; it <= iterations; it++) {
      for (let s = 0; s < subjects.length; s++) w[s] = await procrustes(z[s], n[s], cols[s].length, pick(shared, k, rowsOf[s]), k);
      await update();
      objective[it] += await loss();
    }
    outBlocks.push({ label: block.label, name: block.name, dims: k, shared });
    maps.forEach((m, s) => {
      m.blocks.push({ label: block.label, name: block.name, voxels: cols[s], mean: stats[s].mean, std: stats[s].std, w: w[s], dims: k });
      m.nColumns += k;
    });
  }
  return { method: 'srm', subjects: subjects.map((s) => s.subject), clipIds, nWindows: W, blocks: outBlocks, maps, objective, iterations, seed, nColumns: outBlocks.reduce((s, b) => s + b.dims, 0) };
}

/**
 * Folds a subject that was not in the fit into a fitted shared space (the "new subject" case):
 * per block, its z-scored training responses Z are matched to the shared response S on the clips it
 * heard, and its map is the Procrustes solution W = polar(Zᵀ S) (S is not changed). The subject may
 * have heard only some of the model's clips (e.g. its first training run); clips the model does not
 * know are ignored.
 *
 * @throws BAD_INPUT when the subject shares fewer than 2 clips with the model
 */
export async function fitSrmSubject(model: SharedResponseModel, subject: SubjectRows, blocks: readonly AlignmentBlock[]): Promise<SrmSubjectMap> {
  const rows = subject.rows;
  const W = model.nWindows;
  if (rows.nWindows !== W) fail('MISMATCH', `${subject.subject}'s responses are aligned to ${rows.nWindows} windows per clip, the shared response model to ${W}.`);
  const clipRow = new Map(model.clipIds.map((id, i) => [id, i]));
  const keep = rows.clipIds.map((id, c) => [id, c] as const).filter(([id]) => clipRow.has(id));
  if (keep.length < 2) fail('BAD_INPUT', `${subject.subject} shares ${keep.length} training clip${keep.length === 1 ? '' : 's'} with the shared response model; it needs at least 2 to be aligned.`);
  const local = Int32Array.from(keep.flatMap(([, c]) => Array.from({ length: W }, (_, w) => c * W + w)));
  const uni = Int32Array.from(keep.flatMap(([id]) => Array.from({ length: W }, (_, w) => clipRow.get(id)! * W + w)));
  const sub: WindowRows = { clipIds: keep.map(([id]) => id), nWindows: W, nVoxels: rows.nVoxels, data: new Float32Array(local.length * rows.nVoxels) };
  local.forEach((r, i) => sub.data.set(rows.data.subarray(r * rows.nVoxels, (r + 1) * rows.nVoxels), i * rows.nVoxels));
  const map: SrmSubjectMap = { method: 'srm', subject: subject.subject, nVoxels: rows.nVoxels, blocks: [], nColumns: 0, clips: keep.length };
  for (const [b, block] of blocks.entries()) {
    const mb = model.blocks[b];
    if (!mb || mb.label !== block.label) fail('INTERNAL', `block ${block.name} is not block ${b + 1} of the shared response model.`);
    const cols = blockVoxels(block, subject.subject);
    const k = mb.dims;
    if (cols.length < k) fail('BAD_INPUT', `${subject.subject} has ${cols.length} voxels in block ${block.name}, fewer than the model's ${k} shared dimensions; lower --srm-dims.`);
    const st = columnStats(sub.data, local.length, cols, rows.nVoxels);
    const z = standardized(sub, cols, st);
    const w = await procrustes(z, local.length, cols.length, pick(mb.shared, k, uni), k);
    map.blocks.push({ label: block.label, name: block.name, voxels: cols, mean: st.mean, std: st.std, w, dims: k });
    map.nColumns += k;
  }
  return map;
}
