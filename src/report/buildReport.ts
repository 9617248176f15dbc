import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClipAudioSource, EmbeddingsMeta } from '../embed/index.ts';
import { cutExcerpt } from '../dsp/index.ts';
import { encodeWav, readAudio, readNifti, readNpy, serializeNifti, type NiftiImage } from '../io/index.ts';
import { readRunJson, runLayout, runPath } from '../run/index.ts';
import { collectRun, type SubjectContents } from './collectRun.ts';
import { encodePng } from './png.ts';
import { renderReport, type ClipMedia, type ClipRow, type SubjectView } from './renderReport.ts';
import { spectrogramImage } from './spectrogramImage.ts';

/** What `buildReport` wrote. */
export interface ReportSummary {
  /** Path of index.html. */
  index: string;
  subjects: number;
  clips: number;
  audio: number;
  brainMaps: number;
}

/** The report's stylesheet and script, beside this module (src/report/assets, or dist/report/assets once built). */
export const REPORT_ASSETS = fileURLToPath(new URL('./assets/', import.meta.url));

/** NiiVue's UMD bundle, wherever npm installed the package (its exports list no such path). */
function niivueBundle(): string {
  const entry = fileURLToPath(import.meta.resolve('@niivue/niivue'));
  const marker = `${sep}@niivue${sep}niivue${sep}`;
  return join(entry.slice(0, entry.lastIndexOf(marker) + marker.length), 'dist', 'niivue.umd.js');
}

function inside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r !== '' && !r.startsWith('..') && !isAbsolute(r);
}

/** Writes into the report folder and remembers the files already made (shared originals). */
class MediaWriter {
  private made = new Map<string, ClipMedia>();
  count = 0;
  constructor(
    private runDir: string,
    private outDir: string,
  ) {}

  /**
   * Audio player source and spectrogram for `path`, relative to the final report folder. A WAV
   * inside the run folder is linked; anything else (a file outside the run, another format, a
   * full track of which `excerpt` was heard) is written as a WAV into the report folder, so the
   * report and `serve` (which serves only the run folder) can play it.
   */
  async media(path: string, key: string, caption?: string, excerpt?: { start: number; end: number }): Promise<ClipMedia> {
    const done = this.made.get(path);
    if (done) return { ...done, caption };
    const finalReport = runPath(this.runDir, runLayout.report);
    const stem = basename(path).replace(/\.[^.]+$/, '');
    let { samples, sampleRate } = await readAudio(path);
    const cut = excerpt !== undefined && samples.length / sampleRate > excerpt.end - excerpt.start + 0.5;
    if (cut) samples = cutExcerpt(samples, sampleRate, excerpt.start, excerpt.end, { fadeSec: 2 });
    let audio: string;
    if (inside(this.runDir, path) && /\.wav$/i.test(path) && !cut) {
      audio = relative(finalReport, path).split(sep).join('/');
    } else {
      audio = `audio/${key}-${stem}.wav`;
      mkdirSync(join(this.outDir, 'audio'), { recursive: true });
      writeFileSync(join(this.outDir, audio), encodeWav(samples, sampleRate));
    }
    const img = spectrogramImage(samples, sampleRate);
    const png = `spectrograms/${key}-${stem}.png`;
    mkdirSync(join(this.outDir, 'spectrograms'), { recursive: true });
    writeFileSync(join(this.outDir, png), encodePng(img.rgb, img.width, img.height));
    const m: ClipMedia = { audio, spectrogram: png };
    this.made.set(path, m);
    this.count++;
    return { ...m, caption };
  }
}

function resolveRunFile(runDir: string, p: string): string {
  return isAbsolute(p) ? p : runPath(runDir, p);
}

/** Where each stimulus clip's audio came from, as the embed stage recorded it. */
type StimulusAudio = Map<string, ClipAudioSource>;

/**
 * The stimuli's audio sources from the run's embeddings (the decoded target's first, then any
 * other model that read audio): the report reads the run folder, never the configuration.
 */
function stimulusAudio(runDir: string, targets: readonly string[]): StimulusAudio {
  const dir = runPath(runDir, runLayout.embeddings);
  const others = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => f.slice(0, -5)) : [];
  for (const model of [...new Set([...targets, ...others])]) {
    const meta = readRunJson<EmbeddingsMeta>(runPath(runDir, runLayout.embedding(model).json));
    if (meta?.sources) return new Map(Object.entries(meta.sources));
  }
  return new Map();
}

async function clipRows(s: SubjectContents, runDir: string, stimuli: StimulusAudio, w: MediaWriter): Promise<ClipRow[]> {
  const ident = s.decode?.identification;
  const items = s.retrieval?.items ?? [];
  const ids = ident ? ident.clipIds : items.map((i) => i.clipId);
  const genres = ident ? ident.genres : items.map((i) => i.genre);
  const rows: ClipRow[] = [];
  for (const [k, clipId] of ids.entries()) {
    const row: ClipRow = { clipId, genre: genres[k] ?? '' };
    const orig = stimuli.get(clipId);
    if (orig && existsSync(orig.path)) row.original = await w.media(orig.path, 'original', undefined, orig.start !== undefined && orig.end !== undefined ? { start: orig.start, end: orig.end } : undefined);
    const item = items.find((i) => i.clipId === clipId);
    const top = item?.retrieved[0];
    if (top) {
      const p = resolveRunFile(runDir, top.audio);
      if (existsSync(p)) row.retrieved = await w.media(p, 'library', `${top.id} (${top.genre}), cosine ${top.score.toFixed(3)}`);
    }
    const gen = s.generated?.get(clipId);
    if (gen) row.generated = await w.media(gen, `generated-${s.id}`);
    rows.push(row);
  }
  return rows;
}

function finite(img: NiftiImage): Float32Array {
  const d = Float32Array.from(img.data as ArrayLike<number>);
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) d[i] = 0;
  return d;
}

function b64(img: NiftiImage, data: Float32Array): string {
  return Buffer.from(serializeNifti({ dims: img.dims.slice(0, 3), data, affine: img.affine, header: img.header })).toString('base64');
}

/** Voxels kept per map in the report's table of best voxels. */
const TOP_VOXELS = 10;

/** Maps without voxel coordinates: a histogram of r (bins of 0.05 over the observed range) and the best voxels, per space. */
function voxelMapSummaries(s: SubjectContents): SubjectView['voxelMaps'] {
  const maps = s.encode?.voxelMaps ?? [];
  if (maps.length === 0) return undefined;
  return maps.map((m) => {
    const r = Float32Array.from(readNpy(m.r).data as ArrayLike<number>);
    const q = m.q ? Float32Array.from(readNpy(m.q).data as ArrayLike<number>) : undefined;
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of r) if (Number.isFinite(x)) (lo = Math.min(lo, x)), (hi = Math.max(hi, x));
    const width = 0.05;
    const start = Math.floor(lo / width) * width;
    const nBins = Math.max(1, Math.ceil((hi - start) / width + 1e-9));
    const counts = new Array<number>(nBins).fill(0);
    for (const x of r) if (Number.isFinite(x)) counts[Math.min(nBins - 1, Math.floor((x - start) / width))]!++;
    const order = Array.from(r.keys()).filter((v) => Number.isFinite(r[v]!)).sort((a, b) => r[b]! - r[a]!).slice(0, TOP_VOXELS);
    return {
      space: m.space,
      histogram: { edges: Array.from({ length: nBins + 1 }, (_, i) => start + i * width), counts },
      top: order.map((v) => ({ voxel: v, r: r[v]!, q: q ? q[v]! : Number.NaN })),
    };
  });
}

/** Writes data/<sub>-brain.js (background, r and significant-r maps, ROIs) and returns the map list. */
async function brainData(s: SubjectContents, outDir: string): Promise<{ maps: SubjectView['brainMaps']; background?: string; hasRois: boolean }> {
  const e = s.encode;
  if (!e || e.maps.length === 0) return { maps: undefined, hasRois: false };
  const maps: { key: string; label: string; max: number; peak: [number, number, number]; name: string; base64: string }[] = [];
  let first: NiftiImage | undefined;
  for (const m of e.maps) {
    const img = await readNifti(m.r);
    first ??= img;
    const r = finite(img);
    let max = 0;
    let at = 0;
    for (let i = 0; i < r.length; i++) if (r[i]! > max) (max = r[i]!), (at = i);
    // The viewer opens with its crosshair on the map's peak voxel (i, j, k; x fastest).
    const [nx, ny] = img.dims as [number, number];
    const peak: [number, number, number] = [at % nx, Math.floor(at / nx) % ny, Math.floor(at / (nx * ny))];
    if (m.sig) {
      const sig = finite(await readNifti(m.sig));
      const masked = r.map((v, i) => (sig[i]! > 0 ? v : 0));
      maps.push({ key: `${m.space}:sig`, label: `${m.space}: r, significant voxels`, max, peak, name: `${m.space}_sig.nii.gz`, base64: b64(img, masked) });
    }
    maps.push({ key: `${m.space}:r`, label: `${m.space}: r, all voxels`, max, peak, name: `${m.space}_r.nii.gz`, base64: b64(img, r) });
  }
  const bgImg = e.background ? await readNifti(e.background) : first!;
  const background = { name: 'background.nii.gz', base64: b64(bgImg, finite(bgImg)) };
  let rois: { name: string; base64: string } | null = null;
  if (s.decode?.roiVolume) {
    const img = await readNifti(s.decode.roiVolume);
    rois = { name: 'rois.nii.gz', base64: b64(img, finite(img).map((v) => (v > 0 ? 1 : 0))) };
  }
  mkdirSync(join(outDir, 'data'), { recursive: true });
  const payload = { background, maps, rois };
  writeFileSync(join(outDir, 'data', `${s.id}-brain.js`), `(window.B2M_BRAIN = window.B2M_BRAIN || {})[${JSON.stringify(s.id)}] = ${JSON.stringify(payload)};\n`);
  return {
    maps: maps.map(({ key, label, max }) => ({ key, label, max })),
    background: e.background ? bgImg.header.descrip.trim() || 'background image' : undefined,
    hasRois: rois !== null,
  };
}

/**
 * Writes the report of a run folder into `outDir` (normally `RUN/report`; the pipeline passes its
 * staging copy): index.html, report.css, report.js, spectrogram PNGs, copies of audio that lives
 * outside the run folder, per-subject brain data files (base64 NIfTI as JS, since browsers block
 * fetch of file:// URLs) and the NiiVue bundle. Links are relative to `RUN/report`, so the page
 * opens from disk with no server and no network.
 */
export async function buildReport(runDir: string, outDir: string, onProgress?: (done: number, total: number) => void): Promise<ReportSummary> {
  const contents = collectRun(runDir);
  mkdirSync(outDir, { recursive: true });
  const stimuli = stimulusAudio(runDir, contents.subjects.flatMap((s) => (s.decode ? [s.decode.metrics.target] : [])));
  const w = new MediaWriter(runDir, outDir);
  const views: SubjectView[] = [];
  let clips = 0;
  let brainMaps = 0;
  for (const [i, s] of contents.subjects.entries()) {
    const rows = await clipRows(s, runDir, stimuli, w);
    clips += rows.length;
    const brain = await brainData(s, outDir);
    brainMaps += brain.maps?.length ?? 0;
    views.push({ contents: s, clips: rows, brainMaps: brain.maps, hasRoiVolume: brain.hasRois, background: brain.background, voxelMaps: voxelMapSummaries(s) });
    onProgress?.(i + 1, contents.subjects.length);
  }
  const hasBrainData = views.some((v) => v.brainMaps?.length);
  if (hasBrainData) {
    mkdirSync(join(outDir, 'vendor'), { recursive: true });
    copyFileSync(niivueBundle(), join(outDir, 'vendor', 'niivue.umd.js'));
  }
  copyFileSync(join(REPORT_ASSETS, 'report.css'), join(outDir, 'report.css'));
  copyFileSync(join(REPORT_ASSETS, 'report.js'), join(outDir, 'report.js'));
  const index = join(outDir, 'index.html');
  writeFileSync(index, renderReport(contents, views, { hasBrainData }));
  return { index, subjects: views.length, clips, audio: w.count, brainMaps };
}
