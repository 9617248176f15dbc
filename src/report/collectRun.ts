import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { fail } from '../errors.ts';
import { readNpy } from '../io/index.ts';
import type { EncodingSummary } from '../encode/index.ts';
import type { GenerationEvaluation } from '../generate/index.ts';
import {
  readManifest,
  readRunJson,
  runLayout,
  runPath,
  type DecodeMetrics,
  type DecodePredictionsInfo,
  type DecodeRois,
  type RetrievalResult,
  type RunManifest,
  type SummaryMetrics,
} from '../run/index.ts';

/** The identification matrix of one subject: C[i][j] = r(prediction i, true embedding j). */
export interface IdentificationMatrix {
  n: number;
  values: Float32Array;
  clipIds: string[];
  genres: string[];
}

/** What the run folder holds for one subject; a missing part means its stage did not run. */
export interface SubjectContents {
  id: string;
  decode?: { metrics: DecodeMetrics; rois?: DecodeRois; identification?: IdentificationMatrix; roiVolume?: string };
  /** Encoding results: encode's summary.json, and per model its r / significance volumes (absent when the maps are .npy). */
  encode?: { summary: EncodingSummary; background?: string; maps: { space: string; r: string; sig?: string }[]; voxelMaps: { space: string; r: string; q?: string }[] };
  retrieval?: RetrievalResult;
  /** Absolute paths of generated clips by clip id. */
  generated?: Map<string, string>;
  /** generated/<sub>/metrics.json: the generated audio scored against the originals. */
  /** Scores of the music generated from the decoded embeddings, with the oracle (true embeddings) where recorded. */
  generationMetrics?: GenerationEvaluation & { oracle?: GenerationEvaluation };
}

/** What the report reads of the configuration recorded in run.json (the dataset it describes). */
export interface RecordedConfig {
  dataset: { bids: string } | { simulate: { preset: string } };
}

/** Everything the report shows, read from a run folder. */
export interface RunContents {
  runDir: string;
  manifest: RunManifest<RecordedConfig> | undefined;
  summary: SummaryMetrics | undefined;
  subjects: SubjectContents[];
}

function dirs(path: string): string[] {
  return existsSync(path) ? readdirSync(path).filter((n) => !n.startsWith('.') && statSync(`${path}/${n}`).isDirectory()) : [];
}

function collectSubject(runDir: string, id: string): SubjectContents {
  const out: SubjectContents = { id };
  const decodeDir = runPath(runDir, runLayout.decodeDir(id));
  const metrics = readRunJson<DecodeMetrics>(`${decodeDir}/metrics.json`);
  if (metrics) {
    const info = readRunJson<DecodePredictionsInfo>(`${decodeDir}/predictions.json`);
    let identification: IdentificationMatrix | undefined;
    if (info && existsSync(`${decodeDir}/identification.npy`)) {
      const m = readNpy(`${decodeDir}/identification.npy`);
      const n = m.shape[0] ?? 0;
      if (m.shape.length !== 2 || m.shape[1] !== n || n !== info.clipIds.length) {
        fail('MISMATCH', `${decodeDir}/identification.npy has shape [${m.shape.join(', ')}] but predictions.json lists ${info.clipIds.length} clips; rerun the decode stage.`);
      }
      identification = { n, values: Float32Array.from(m.data as ArrayLike<number>), clipIds: info.clipIds, genres: info.genres };
    }
    const roiVolume = `${decodeDir}/rois.nii.gz`;
    out.decode = { metrics, rois: readRunJson<DecodeRois>(`${decodeDir}/rois.json`), identification, roiVolume: existsSync(roiVolume) ? roiVolume : undefined };
  }
  const encodeDir = runPath(runDir, runLayout.encodeDir(id));
  const summary = readRunJson<EncodingSummary>(`${encodeDir}/summary.json`);
  if (summary) {
    // summary.json records the paths the stage wrote (possibly a staging folder): use the names.
    const local = (p: string | undefined) => (p ? `${encodeDir}/${basename(p)}` : undefined);
    const maps: { space: string; r: string; sig?: string }[] = [];
    const voxelMaps: { space: string; r: string; q?: string }[] = [];
    for (const [space, m] of Object.entries(summary.models)) {
      const r = local(m.files.r);
      const sig = local(m.files.sig);
      const q = local(m.files.q);
      if (r && r.endsWith('.nii.gz') && existsSync(r)) maps.push({ space, r, sig: sig && existsSync(sig) ? sig : undefined });
      else if (r && r.endsWith('.npy') && existsSync(r)) voxelMaps.push({ space, r, q: q && existsSync(q) ? q : undefined });
    }
    const bg = `${encodeDir}/background.nii.gz`;
    out.encode = { summary, maps, voxelMaps, background: existsSync(bg) ? bg : undefined };
  }
  out.retrieval = readRunJson<RetrievalResult>(runPath(runDir, runLayout.retrievalFile(id)));
  const genDir = runPath(runDir, `${runLayout.generated}/${id}`);
  if (existsSync(genDir)) {
    out.generated = new Map(
      readdirSync(genDir)
        .filter((n) => n.endsWith('_0.wav')) // the first (best, when re-ranked) sample of each clip
        .sort()
        .map((n) => [n.slice(0, -'_0.wav'.length), `${genDir}/${n}`]),
    );
    out.generationMetrics = readRunJson<GenerationEvaluation & { oracle?: GenerationEvaluation }>(`${genDir}/metrics.json`);
  }
  return out;
}

/**
 * Reads what a run folder contains for the report: the manifest, the summary metrics, and per
 * subject the decode, encode, retrieval and generation outputs that exist (see src/run/layout.ts).
 * @throws BAD_FILE for unreadable JSON, MISMATCH for inconsistent decode files
 */
export function collectRun(runDir: string): RunContents {
  const ids = new Set<string>(dirs(runPath(runDir, runLayout.subjects)));
  for (const d of dirs(runPath(runDir, runLayout.generated))) ids.add(d);
  const retrievalDir = runPath(runDir, runLayout.retrieval);
  if (existsSync(retrievalDir)) for (const f of readdirSync(retrievalDir)) if (/^sub-.*\.json$/.test(f)) ids.add(f.slice(0, -5));
  return {
    runDir,
    manifest: readManifest<RecordedConfig>(runDir),
    summary: readRunJson<SummaryMetrics>(runPath(runDir, runLayout.metrics)),
    subjects: [...ids].sort().map((id) => collectSubject(runDir, id)),
  };
}
