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
  type ClassAgreementRecord,
  type DecodeMetrics,
  type DecodePredictionsInfo,
  type DecodeRois,
  type RetrievalResult,
  type RunManifest,
  type ScoreWithChance,
  type SummaryMetrics,
} from '../run/index.ts';

/** The identification matrix of one subject: C[i][j] = r(prediction i, true embedding j). */
export interface IdentificationMatrix {
  n: number;
  values: Float32Array;
  clipIds: string[];
  genres: string[];
}

/** One brain map file an encode stage wrote (a .nii.gz in the subject's encode folder). */
export interface WrittenMap {
  /** The feature space (or the compared pair `a_minus_b`, or the joint model of a partition). */
  space: string;
  /** What the map holds: r, q, sig, ceiling, rnorm (per space), rdiff (a comparison), or a partition part. */
  kind: string;
  /** The file's name in the encode folder, e.g. `genre_r.nii.gz`. */
  file: string;
  /** Absolute path. */
  path: string;
  /** For a comparison: the two spaces (map = r(a) − r(b)). */
  pair?: [string, string];
}

/** One generated sample of a test clip: its audio and what it was conditioned on. */
export interface GeneratedSample {
  k: number;
  /** Absolute path of generated/<sub>/<clip>_<k>.wav. */
  wav: string;
  /** generated/<sub>/<clip>_<k>.json, when written. */
  conditioning?: Record<string, unknown>;
}

/** What the run folder holds for one subject; a missing part means its stage did not run. */
export interface SubjectContents {
  id: string;
  decode?: { metrics: DecodeMetrics; rois?: DecodeRois; identification?: IdentificationMatrix; roiVolume?: string };
  /**
   * Encoding results: encode's summary.json; every map file it wrote (NIfTI) in the order
   * r, sig, q, ceiling, rnorm per space, then comparisons and partition parts; per space the
   * r/q vectors when the maps are .npy; an atlas label image (`atlas.nii.gz`) when the stage wrote one.
   */
  encode?: {
    summary: EncodingSummary;
    background?: string;
    maps: WrittenMap[];
    voxelMaps: { space: string; r: string; q?: string }[];
    atlas?: string;
  };
  retrieval?: RetrievalResult;
  /** Generated samples by clip id, sample 0 (the first, or best when re-ranked) first. */
  generated?: Map<string, GeneratedSample[]>;
  /** generated/<sub>/metrics.json: the generated music scored against the originals, with the oracle (true embeddings) where recorded. */
  generationMetrics?: Partial<GenerationEvaluation> & Pick<GenerationEvaluation, 'identification' | 'genreAgreement'> & { oracle?: GenerationEvaluation; decoded?: GenerationEvaluation; secondSpace?: { space: string; identification: ScoreWithChance; oracle: ScoreWithChance }; classAgreement?: ClassAgreementRecord; promptGuide?: { map: string; bankSize: number; genreNamed: ScoreWithChance } };
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
    const maps: WrittenMap[] = [];
    const voxelMaps: { space: string; r: string; q?: string }[] = [];
    const add = (space: string, kind: string, p: string | undefined, pair?: [string, string]) => {
      const path = local(p);
      if (path && path.endsWith('.nii.gz') && existsSync(path) && !maps.some((m) => m.path === path)) maps.push({ space, kind, file: basename(path), path, ...(pair ? { pair } : {}) });
    };
    const KINDS = ['r', 'sig', 'q', 'ceiling', 'rnorm'];
    for (const [space, m] of Object.entries(summary.models)) {
      const kinds = [...KINDS.filter((k) => k in m.files), ...Object.keys(m.files).filter((k) => !KINDS.includes(k))];
      for (const kind of kinds) add(space, kind, m.files[kind]);
      const r = local(m.files.r);
      const q = local(m.files.q);
      if (r && r.endsWith('.npy') && existsSync(r)) voxelMaps.push({ space, r, q: q && existsSync(q) ? q : undefined });
    }
    for (const c of summary.comparisons) add(`${c.a}_minus_${c.b}`, 'rdiff', c.file, [c.a, c.b]);
    if (summary.partition) for (const [part, f] of Object.entries(summary.partition.files)) add(summary.partition.joint, part, f);
    const bg = `${encodeDir}/background.nii.gz`;
    const atlas = `${encodeDir}/atlas.nii.gz`;
    out.encode = { summary, maps, voxelMaps, background: existsSync(bg) ? bg : undefined, atlas: existsSync(atlas) ? atlas : undefined };
  }
  out.retrieval = readRunJson<RetrievalResult>(runPath(runDir, runLayout.retrievalFile(id)));
  const genDir = runPath(runDir, `${runLayout.generated}/${id}`);
  if (existsSync(genDir)) {
    out.generated = new Map();
    for (const n of readdirSync(genDir).sort()) {
      const m = /^(.+)_(\d+)\.wav$/.exec(n);
      if (!m) continue;
      const clipId = m[1]!;
      const k = m[2]!;
      const list = out.generated.get(clipId) ?? [];
      list.push({ k: Number(k), wav: `${genDir}/${n}`, conditioning: readRunJson<Record<string, unknown>>(`${genDir}/${clipId}_${k}.json`) });
      out.generated.set(clipId, list);
    }
    for (const list of out.generated.values()) list.sort((a, b) => a.k - b.k);
    out.generationMetrics = readRunJson<NonNullable<SubjectContents['generationMetrics']>>(`${genDir}/metrics.json`);
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
