import { fail } from '../errors.ts';
import { buildEncodingDesign, type EncodingDesignOptions } from './buildEncodingDesign.ts';
import { compareSpaces, type SpaceComparison } from './compareSpaces.ts';
import type { EncodingResponses } from './encodingResponses.ts';
import type { ClipWindows } from '../embed/index.ts';
import { finishEncoding, fitEncodingVoxels, type EncodingFitOptions, type EncodingMaps, type EncodingVoxelFit } from './fitEncoding.ts';
import { partitionVariance, type VariancePartition } from './partitionVariance.ts';

/** One encoding model: a name and the feature spaces stacked into its design (usually one). */
export interface EncodingModelSpec {
  name: string;
  spaces: ClipWindows[];
}

/** Options of {@link encodeSubject}. */
export interface EncodeSubjectOptions extends EncodingFitOptions, EncodingDesignOptions {
  /** Also fit the joint model of the first two models and partition their variance (default false). */
  partition?: boolean;
  /** Bins per axis of the comparison histograms (default 40, over r in [-0.2, 0.8]). */
  histogramBins?: number;
  /** Called with the model being fitted, voxels done and total. */
  onModelProgress?: (model: string, done: number, total: number) => void;
}

/** Variance partitioning of models `a` and `b` through their joint model (see `partitionVariance`). */
export interface PartitionResult {
  a: string;
  b: string;
  joint: EncodingMaps;
  parts: VariancePartition;
}

/** Everything {@link encodeSubject} computes for one subject. */
export interface SubjectEncoding {
  subject: string;
  delays: number[];
  models: EncodingMaps[];
  /** Every pair of models, in the order given (a before b). */
  comparisons: SpaceComparison[];
  partition: PartitionResult | null;
}

/** The per-voxel fits of one subject's models on a block of its voxels (see {@link fitSubjectVoxels}). */
export interface SubjectVoxelFits {
  subject: string;
  delays: number[];
  models: EncodingVoxelFit[];
  /** The stacked model of the first two, with `partition`. */
  joint: EncodingVoxelFit | null;
}

/**
 * Voxelwise encoding of one subject for several models: fits each (see `fitEncoding`), compares
 * every pair voxel by voxel, and with `partition` fits the stacked model of the first two and
 * splits its test R² into unique and shared parts.
 */
export async function encodeSubject(resp: EncodingResponses, models: readonly EncodingModelSpec[], opts: EncodeSubjectOptions = {}): Promise<SubjectEncoding> {
  return finishSubjectEncoding(await fitSubjectVoxels(resp, models, opts), opts);
}

/**
 * The per-voxel part of {@link encodeSubject} on voxels `[v0, v1)` (default: all): each model's
 * (and the joint model's) fit, without what needs every voxel (FDR, comparisons, partition).
 */
export async function fitSubjectVoxels(resp: EncodingResponses, models: readonly EncodingModelSpec[], opts: EncodeSubjectOptions = {}, range?: readonly [number, number]): Promise<SubjectVoxelFits> {
  if (models.length === 0) fail('BAD_INPUT', 'encode needs at least one feature space (--features).');
  const names = models.map((m) => m.name);
  if (new Set(names).size !== names.length) fail('BAD_INPUT', `feature spaces must have distinct names, got ${names.join(', ')}; rename one of the files.`);
  if (opts.partition && models.length < 2) fail('BAD_INPUT', 'variance partitioning needs two feature spaces (--features A.npy,B.npy).');
  let delays: number[] = [];
  const fitOne = async (spec: EncodingModelSpec): Promise<EncodingVoxelFit> => {
    const design = buildEncodingDesign(resp, spec.spaces, opts);
    delays = design.delays;
    return fitEncodingVoxels(resp, design, spec.name, { ...opts, onProgress: (d, t) => opts.onModelProgress?.(spec.name, d, t) }, range);
  };
  const fitted: EncodingVoxelFit[] = [];
  for (const spec of models) fitted.push(await fitOne(spec));
  const modelDelays = delays;
  const [a, b] = [models[0]!, models[1]];
  const joint = opts.partition && b ? await fitOne({ name: `${a.name}+${b.name}`, spaces: [...a.spaces, ...b.spaces] }) : null;
  return { subject: resp.subject, delays: modelDelays, models: fitted, joint };
}

/** A subject's encoding from the per-voxel fits of all its voxels: FDR over them, every pair of models compared, the variance partition. */
export function finishSubjectEncoding(fits: SubjectVoxelFits, opts: Pick<EncodeSubjectOptions, 'histogramBins'> = {}): SubjectEncoding {
  const fitted = fits.models.map(finishEncoding);
  const comparisons: SpaceComparison[] = [];
  for (let i = 0; i < fitted.length; i++) {
    for (let j = i + 1; j < fitted.length; j++) comparisons.push(compareSpaces(fitted[i]!, fitted[j]!, { bins: opts.histogramBins }));
  }
  let partition: PartitionResult | null = null;
  if (fits.joint) {
    const joint = finishEncoding(fits.joint);
    partition = { a: fitted[0]!.name, b: fitted[1]!.name, joint, parts: partitionVariance(fitted[0]!.r2, fitted[1]!.r2, joint.r2) };
  }
  return { subject: fits.subject, delays: fits.delays, models: fitted, comparisons, partition };
}
