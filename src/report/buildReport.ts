import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNpy } from '../io/index.ts';
import { runPath } from '../run/index.ts';
import { writeBrainData } from './brainData.ts';
import { collectRun, type SubjectContents } from './collectRun.ts';
import { conditioningCaption } from './conditioningCaption.ts';
import { listeningScores } from './listeningScores.ts';
import { encodePng } from './png.ts';
import { placeAudio } from './placeAudio.ts';
import { renderReport, type ClipMedia, type ClipRow, type SubjectView } from './renderReport.ts';
import { spectrogramImage } from './spectrogramImage.ts';
import { stimulusAudio, type StimulusAudio } from './stimulusAudio.ts';

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

/** Writes into the report folder and remembers the files already made (shared originals). */
class MediaWriter {
  private made = new Map<string, ClipMedia>();
  count = 0;
  constructor(private outDir: string) {}

  /**
   * Audio player source and spectrogram for `path`, relative to the report folder. Every clip
   * is put inside the report folder ({@link placeAudio}), so report/ alone can be zipped and sent.
   */
  async media(path: string, key: string, caption?: string, excerpt?: { start: number; end: number }): Promise<ClipMedia> {
    const done = this.made.get(path);
    if (done) return { ...done, caption };
    const stem = basename(path).replace(/\.[^.]+$/, '');
    const audio = `audio/${key}-${stem}.wav`;
    const { samples, sampleRate } = await placeAudio(path, join(this.outDir, audio), excerpt);
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
    const samples = s.generated?.get(clipId);
    if (samples?.length) {
      // the genre the library-fitted classifier gives the kept sample (metrics.json: decoded.perClip)
      const m = s.generationMetrics;
      const classified = (m?.decoded?.perClip ?? m?.perClip)?.find((x) => x.clipId === clipId)?.generatedGenre;
      row.generated = [];
      for (const g of samples) {
        const caption = [samples.length > 1 ? `sample ${g.k}` : '', conditioningCaption(g.conditioning), g.k === 0 && classified ? `classified as ${classified}` : ''].filter(Boolean).join('; ');
        row.generated.push(await w.media(g.wav, `generated-${s.id}`, caption || undefined));
      }
    }
    rows.push(row);
  }
  return rows;
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

/**
 * Writes the report of a run folder into `outDir` (normally `RUN/report`; the pipeline passes its
 * staging copy): index.html, report.css, report.js, spectrogram PNGs, a copy of every clip it
 * plays (audio/), per-subject brain data files (base64 NIfTI as JS, since browsers block fetch
 * of file:// URLs) and the NiiVue bundle. Everything the page uses lies inside `outDir` and is
 * linked relatively, so the folder opens from disk with no server and no network, and can be
 * zipped and sent on its own.
 */
export async function buildReport(runDir: string, outDir: string, onProgress?: (done: number, total: number) => void): Promise<ReportSummary> {
  const contents = collectRun(runDir);
  mkdirSync(outDir, { recursive: true });
  const stimuli = stimulusAudio(runDir, contents.subjects.flatMap((s) => (s.decode ? [s.decode.metrics.target] : [])));
  const w = new MediaWriter(outDir);
  const views: SubjectView[] = [];
  let clips = 0;
  let brainMaps = 0;
  for (const [i, s] of contents.subjects.entries()) {
    const rows = await clipRows(s, runDir, stimuli, w);
    clips += rows.length;
    const brain = await writeBrainData(s, outDir);
    brainMaps += brain?.maps.length ?? 0;
    views.push({ contents: s, clips: rows, brain, voxelMaps: voxelMapSummaries(s) });
    onProgress?.(i + 1, contents.subjects.length);
  }
  const hasBrainData = views.some((v) => v.brain?.maps.length);
  if (hasBrainData) {
    mkdirSync(join(outDir, 'vendor'), { recursive: true });
    copyFileSync(niivueBundle(), join(outDir, 'vendor', 'niivue.umd.js'));
  }
  copyFileSync(join(REPORT_ASSETS, 'report.css'), join(outDir, 'report.css'));
  copyFileSync(join(REPORT_ASSETS, 'report.js'), join(outDir, 'report.js'));
  const index = join(outDir, 'index.html');
  writeFileSync(index, renderReport(contents, views, { hasBrainData, listening: listeningScores(runDir) }));
  return { index, subjects: views.length, clips, audio: w.count, brainMaps };
}
