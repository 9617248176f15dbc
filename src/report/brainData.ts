import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNifti, serializeNifti, type NiftiImage } from '../io/index.ts';
import type { SubjectContents, WrittenMap } from './collectRun.ts';

/** One selectable brain map of the report's viewer (what index.html needs to list and label it). */
export interface BrainMapInfo {
  /** `<space>:<kind>`, e.g. `genre:sig`. */
  key: string;
  /** The run-folder file it shows, e.g. `genre_sig.nii.gz`. */
  file: string;
  space: string;
  kind: string;
  /** Text of its entry in the map selector. */
  label: string;
  /** What the colours mean, with units: the colour bar's label. */
  units: string;
  /** Whether negative values are drawn too (a second, cool colour map). */
  signed: boolean;
  /** Largest |value| (the colour scale runs to it). */
  max: number;
  /** Smallest non-zero |value| (for `sig`: the weakest significant r); 0 when every voxel is 0. */
  min: number;
  /** Its largest value's voxel (i, j, k in the file's grid) and world position (mm). */
  peak: { vox: [number, number, number]; mm: [number, number, number]; value: number };
  /** Voxels with a non-zero value (for `sig`: the significant voxels). */
  nonzero: number;
  /** For a comparison `a_minus_b`: the two spaces. */
  pair?: [string, string];
}

/** What `writeBrainData` wrote for one subject. */
export interface BrainData {
  maps: BrainMapInfo[];
  /** The map the viewer opens on: the significant voxels of the space with the most of them, else the r map with the largest r. */
  defaultKey: string;
  /** The background image's description (what the maps are drawn on), when the encode stage wrote one. */
  background?: string;
  hasRois: boolean;
  hasAtlas: boolean;
}

function finite(img: NiftiImage): Float32Array {
  const d = Float32Array.from(img.data as ArrayLike<number>);
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) d[i] = 0;
  return d;
}

function b64(img: NiftiImage, data: Float32Array | Uint8Array | Int16Array): string {
  return Buffer.from(serializeNifti({ dims: img.dims.slice(0, 3), data, affine: img.affine, header: img.header })).toString('base64');
}

/** World position (mm) of voxel (i, j, k) through a row-major 4×4 affine. */
function voxToMm(a: Float64Array, [i, j, k]: [number, number, number]): [number, number, number] {
  return [0, 1, 2].map((r) => a[4 * r]! * i + a[4 * r + 1]! * j + a[4 * r + 2]! * k + a[4 * r + 3]!) as [number, number, number];
}

const PART_LABELS: Record<string, (joint: string) => string> = {
  uniqueA: (j) => `${j}: R² unique to ${j.split('+')[0]}`,
  uniqueB: (j) => `${j}: R² unique to ${j.split('+')[1] ?? '?'}`,
  shared: (j) => `${j}: R² shared`,
};

/** Label, units and sign of a written map kind; `fdr` is the level the sig maps were made at. */
function describe(m: WrittenMap, fdr: number): { label: string; units: string; signed: boolean } {
  const s = m.space;
  switch (m.kind) {
    case 'r': return { label: `${s}: r, all voxels (unthresholded)`, units: 'Pearson r (test)', signed: true };
    case 'sig': return { label: `${s}: r, significant voxels (q ≤ ${fdr})`, units: 'Pearson r (test)', signed: false };
    case 'q': return { label: `${s}: q (FDR), as −log10 q`, units: '−log10 q (Benjamini–Hochberg FDR)', signed: false };
    case 'ceiling': return { label: `${s}: noise ceiling`, units: 'noise-ceiling r (test repeats)', signed: true };
    case 'rnorm': return { label: `${s}: r / noise ceiling`, units: 'r / noise ceiling (test)', signed: true };
    case 'rdiff': return { label: `${m.pair![0]} − ${m.pair![1]}: r difference`, units: `r(${m.pair![0]}) − r(${m.pair![1]}) (test)`, signed: true };
    default: return { label: PART_LABELS[m.kind]?.(s) ?? `${s}: ${m.kind}`, units: m.kind in PART_LABELS ? 'R² (test)' : m.kind, signed: true };
  }
}

/** The values the viewer shows for a written map: sig → r where significant, q → −log10 q, others as written. */
async function displayed(m: WrittenMap, maps: WrittenMap[], cache: Map<string, NiftiImage>): Promise<{ img: NiftiImage; data: Float32Array }> {
  const read = async (p: string) => {
    if (!cache.has(p)) cache.set(p, await readNifti(p));
    return cache.get(p)!;
  };
  const img = await read(m.path);
  const data = finite(img);
  if (m.kind === 'sig') {
    const r = maps.find((x) => x.space === m.space && x.kind === 'r');
    const rv = r ? finite(await read(r.path)) : data;
    for (let i = 0; i < data.length; i++) data[i] = data[i]! > 0 ? (r ? rv[i]! : 1) : 0;
  } else if (m.kind === 'q') {
    // q = 1 outside the mask gives 0, drawn transparent; q = 0 would be infinite, so cap at 1e-300
    for (let i = 0; i < data.length; i++) data[i] = data[i]! > 0 && data[i]! < 1 ? -Math.log10(Math.max(data[i]!, 1e-300)) : 0;
  }
  return { img, data };
}

function stats(data: Float32Array, dims: number[], affine: Float64Array): Pick<BrainMapInfo, 'max' | 'min' | 'peak' | 'nonzero'> {
  let max = 0;
  let min = Infinity;
  let best = -Infinity;
  let at = 0;
  let nonzero = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v !== 0) (nonzero++, (min = Math.min(min, Math.abs(v))));
    if (Math.abs(v) > max) max = Math.abs(v);
    if (v > best) (best = v), (at = i);
  }
  const [nx, ny] = dims as [number, number];
  const vox: [number, number, number] = [at % nx, Math.floor(at / nx) % ny, Math.floor(at / (nx * ny))];
  return { max, min: nonzero ? min : 0, nonzero, peak: { vox, mm: voxToMm(affine, vox), value: best } };
}

/**
 * Writes `outDir/data/<sub>-brain.js`: every map the encode stage wrote for the subject as a
 * gzipped NIfTI in base64 (browsers refuse fetch of file:// URLs, so the page loads it with a
 * script tag), as the viewer shows it (sig as r of the significant voxels, q as −log10 q), the
 * background, the decoding ROIs (value = rank, with their names from rois.json) and, when the
 * stage wrote one, the atlas (label image with the names in summary.json), plus the file grid's
 * affine for the click readout. Returns the maps' descriptions and the default view.
 */
export async function writeBrainData(s: SubjectContents, outDir: string): Promise<BrainData | undefined> {
  const e = s.encode;
  if (!e || e.maps.length === 0) return undefined;
  const fdr = e.summary.fdr;
  const cache = new Map<string, NiftiImage>();
  const maps: (BrainMapInfo & { base64: string })[] = [];
  let grid: NiftiImage | undefined;
  for (const m of e.maps) {
    const { img, data } = await displayed(m, e.maps, cache);
    grid ??= img;
    maps.push({ key: `${m.space}:${m.kind}`, file: m.file, space: m.space, kind: m.kind, ...describe(m, fdr), ...stats(data, img.dims, img.affine), ...(m.pair ? { pair: m.pair } : {}), base64: b64(img, data) });
  }
  const bgImg = e.background ? await readNifti(e.background) : grid!;
  // rois.nii.gz: the chosen ROIs by rank (names from rois.json), or 1 at the voxels a voxel-selection decoder chose
  let rois: { base64: string; names: string[]; voxels: boolean } | null = null;
  if (s.decode?.roiVolume) {
    const img = await readNifti(s.decode.roiVolume);
    const r = s.decode.rois;
    rois = { base64: b64(img, finite(img)), names: r?.topVoxels ? [] : (r?.selected ?? []).map((x) => x.name), voxels: r?.topVoxels !== undefined };
  }
  let atlas: { base64: string; names: Record<string, string> } | null = null;
  if (e.atlas) {
    const img = await readNifti(e.atlas);
    const names: Record<string, string> = {};
    for (const m of Object.values(e.summary.models)) for (const r of [...m.rois, ...m.topRois]) names[r.index] = r.name;
    atlas = { base64: b64(img, finite(img)), names };
  }
  const payload = {
    background: { name: 'background.nii.gz', base64: b64(bgImg, finite(bgImg)) },
    grid: { dims: grid!.dims.slice(0, 3), affine: Array.from(grid!.affine) },
    fdr,
    maps,
    rois,
    atlas,
  };
  mkdirSync(join(outDir, 'data'), { recursive: true });
  writeFileSync(join(outDir, 'data', `${s.id}-brain.js`), `(window.B2M_BRAIN = window.B2M_BRAIN || {})[${JSON.stringify(s.id)}] = ${JSON.stringify(payload)};\n`);
  const info = maps.map(({ base64: _b, ...m }) => m);
  return { maps: info, defaultKey: defaultMap(info, e.summary.models), background: e.background ? bgImg.header.descrip.trim() || 'background image' : undefined, hasRois: rois !== null, hasAtlas: atlas !== null };
}

/** The significant voxels of the space with the most of them; without any, the r map with the largest r. */
function defaultMap(maps: BrainMapInfo[], models: Record<string, { nSignificant: number }>): string {
  const sig = maps.filter((m) => m.kind === 'sig' && (models[m.space]?.nSignificant ?? m.nonzero) > 0);
  if (sig.length) return sig.reduce((a, b) => ((models[b.space]?.nSignificant ?? b.nonzero) > (models[a.space]?.nSignificant ?? a.nonzero) ? b : a)).key;
  const r = maps.filter((m) => m.kind === 'r');
  if (r.length) return r.reduce((a, b) => (b.peak.value > a.peak.value ? b : a)).key;
  return maps[0]!.key;
}
