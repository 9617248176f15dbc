import { threadBudget } from '../threads.ts';
import { mapConcurrent, startWorkerPool, workerModule, type WorkerPool } from '../workerPool.ts';
import type { DecoderTrainingData } from './fitRoiEnsemble.ts';
import { fitVoxelDecoder, type DecoderRidgeOptions, type VoxelDecoderFit } from './fitVoxelDecoder.ts';
import type { Roi } from './roiList.ts';
import { selectStandardized, type Standardizer } from './standardizer.ts';

/** What every ROI-fit worker holds: the targets, the clip groups and the ridge settings. */
export interface RoiFitShared {
  Y: Float32Array;
  T: number;
  groups: Int32Array;
  ridge: DecoderRidgeOptions;
}

/** One ROI's standardised responses (n × p). */
export interface RoiFitTask {
  X: Float32Array;
  p: number;
}

/**
 * Worker threads pay once the fits hold at least this much work (Σ over ROIs of n·p·min(n, p),
 * the size of their Gram products): starting a worker loads the TypeScript modules (about 0.5 s
 * of one core), and one small ROI's fit does not use both cores.
 */
const WORKER_MIN_WORK = 2e10;

/** Options of {@link fitRoiFits}. */
export interface RoiFitsOptions {
  ridge: DecoderRidgeOptions;
  /** 'auto' (default): worker threads when the thread budget has two or more and the fits are large enough. */
  workers?: 'auto' | 'always' | 'never';
  onProgress?: (done: number, total: number) => void;
}

/**
 * One ridge decoder per ROI (see fitVoxelDecoder), in ROI order. Small ROIs leave most of a core
 * idle inside their GEMMs and eigendecompositions, so with two or more threads the ROIs are fitted
 * side by side on worker threads of one thread each, largest first; a ROI's fit is the same code
 * either way (results agree to float32 rounding of the GEMM backend's threading).
 */
export async function fitRoiFits(train: DecoderTrainingData, rois: readonly Roi[], standardizer: Standardizer, opts: RoiFitsOptions): Promise<VoxelDecoderFit[]> {
  const { X, Y, groups, nVoxels: V, nTargets: T } = train;
  const n = groups.length;
  const out = new Array<VoxelDecoderFit>(rois.length);
  let done = 0;
  const finished = (i: number, fit: VoxelDecoderFit): void => {
    out[i] = fit;
    opts.onProgress?.(++done, rois.length);
  };
  const work = rois.reduce((s, r) => s + n * r.voxels.length * Math.min(n, r.voxels.length), 0);
  const threads = Math.min(threadBudget(), rois.length);
  const mode = opts.workers ?? 'auto';
  if (threads < 2 || mode === 'never' || (mode === 'auto' && work < WORKER_MIN_WORK)) {
    for (const [i, roi] of rois.entries()) {
      finished(i, await fitVoxelDecoder(selectStandardized(X, n, V, roi.voxels, standardizer), roi.voxels.length, Y, T, groups, opts.ridge));
    }
    return out;
  }
  const shared: RoiFitShared = { Y, T, groups, ridge: { alphas: opts.ridge.alphas && Array.from(opts.ridge.alphas), folds: opts.ridge.folds, cvScore: opts.ridge.cvScore } };
  const pool: WorkerPool<RoiFitTask, VoxelDecoderFit> = startWorkerPool(workerModule(import.meta.url, 'roiFitWorker'), threads, shared);
  // largest first, so the last fits to finish are small ones; a ROI's responses are cut only when a worker takes it
  const order = rois.map((_, i) => i).sort((a, b) => rois[b].voxels.length - rois[a].voxels.length || a - b);
  try {
    await mapConcurrent(order, pool.size, async (i) => {
      const Xr = selectStandardized(X, n, V, rois[i].voxels, standardizer);
      finished(i, await pool.run({ X: Xr, p: rois[i].voxels.length }, [Xr.buffer as ArrayBuffer]));
    });
  } finally {
    await pool.close();
  }
  return out;
}
