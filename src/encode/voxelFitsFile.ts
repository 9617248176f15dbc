import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../errors.ts';
import { readNpy, writeJsonAtomic, writeNpy } from '../io/index.ts';
import type { SubjectVoxelFits } from './encodeSubject.ts';
import type { EncodingVoxelFit } from './fitEncoding.ts';

/** The per-voxel arrays of a fit, in the rows of its `.npy` (pEmpirical and pSource NaN-filled for the Gaussian null). */
const ROWS = ['r', 'rNull', 'r2', 'p', 'pEmpirical', 'pSource', 'bestAlpha', 'ceiling'] as const;
const FITS_FILE = 'fits.json';

type FitHead = Omit<EncodingVoxelFit, (typeof ROWS)[number]>;

/**
 * Writes a block's fits into folder `dir`: `fits.json` (the subject, delays, and every model's
 * scalar fields) and `fit-<i>.npy` per model, rows × voxels float32 (ROWS; the joint model last).
 */
export function writeVoxelFits(dir: string, fits: SubjectVoxelFits): void {
  mkdirSync(dir, { recursive: true });
  const all = [...fits.models, ...(fits.joint ? [fits.joint] : [])];
  all.forEach((f, i) => {
    const data = new Float32Array(ROWS.length * f.nVoxels).fill(Number.NaN);
    ROWS.forEach((k, row) => {
      const v = f[k];
      if (v) data.set(v, row * f.nVoxels);
    });
    writeNpy(join(dir, `fit-${i}.npy`), data, [ROWS.length, f.nVoxels]);
  });
  const head = (f: EncodingVoxelFit): FitHead => Object.fromEntries(Object.entries(f).filter(([k]) => !(ROWS as readonly string[]).includes(k))) as FitHead;
  writeJsonAtomic(join(dir, FITS_FILE), { subject: fits.subject, delays: fits.delays, models: fits.models.map(head), joint: fits.joint ? head(fits.joint) : null });
}

/** Reads what {@link writeVoxelFits} wrote. */
export function readVoxelFits(dir: string): SubjectVoxelFits {
  const file = join(dir, FITS_FILE);
  if (!existsSync(file)) fail('NOT_FOUND', `${file} is missing: the voxel block's unit has not written it; run that unit again.`);
  let meta: { subject: string; delays: number[]; models: FitHead[]; joint: FitHead | null };
  try {
    meta = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return fail('BAD_FILE', `cannot parse ${file}: ${(err as Error).message}; run the voxel block's unit again.`, err);
  }
  const fit = (h: FitHead, i: number): EncodingVoxelFit => {
    const arr = readNpy(join(dir, `fit-${i}.npy`));
    if (arr.shape[0] !== ROWS.length || arr.shape[1] !== h.nVoxels) fail('MISMATCH', `${join(dir, `fit-${i}.npy`)} has shape [${arr.shape.join(', ')}], expected [${ROWS.length}, ${h.nVoxels}]; run the voxel block's unit again.`);
    const row = (k: number) => (arr.data as Float32Array).slice(k * h.nVoxels, (k + 1) * h.nVoxels);
    const block = h.nullKind === 'block';
    return {
      ...h, r: row(0), rNull: row(1), r2: row(2), p: row(3), pEmpirical: block ? row(4) : null, pSource: block ? Uint8Array.from(row(5)) : null, bestAlpha: row(6), ceiling: row(7),
    };
  };
  return { subject: meta.subject, delays: meta.delays, models: meta.models.map(fit), joint: meta.joint ? fit(meta.joint, meta.models.length) : null };
}

/** The fits of consecutive voxel blocks of one subject as one fit of all their voxels, in block order. */
export function concatVoxelFits(blocks: readonly SubjectVoxelFits[]): SubjectVoxelFits {
  if (blocks.length === 0) fail('INTERNAL', 'no voxel blocks to put together.');
  const cat = (parts: readonly EncodingVoxelFit[]): EncodingVoxelFit => {
    const V = parts.reduce((n, f) => n + f.nVoxels, 0);
    const join1 = <T extends Float32Array | Uint8Array>(get: (f: EncodingVoxelFit) => T | null, make: (n: number) => T): T | null => {
      if (get(parts[0]!) === null) return null;
      const out = make(V);
      let at = 0;
      for (const f of parts) {
        out.set(get(f)!, at);
        at += f.nVoxels;
      }
      return out;
    };
    const f32 = (n: number) => new Float32Array(n);
    return {
      ...parts[0]!, nVoxels: V,
      r: join1((f) => f.r, f32)!, rNull: join1((f) => f.rNull, f32)!, r2: join1((f) => f.r2, f32)!, p: join1((f) => f.p, f32)!,
      pEmpirical: join1((f) => f.pEmpirical, f32), pSource: join1((f) => f.pSource, (n) => new Uint8Array(n)), bestAlpha: join1((f) => f.bestAlpha, f32)!, ceiling: join1((f) => f.ceiling, f32)!,
    };
  };
  const first = blocks[0]!;
  for (const b of blocks) {
    if (b.subject !== first.subject || b.models.length !== first.models.length || b.models.some((m, i) => m.name !== first.models[i]!.name)) {
      fail('MISMATCH', `voxel blocks of ${first.subject} hold different subjects or models (${b.subject}: ${b.models.map((m) => m.name).join(', ')}); run every block's unit again.`);
    }
  }
  return {
    subject: first.subject, delays: first.delays,
    models: first.models.map((_, i) => cat(blocks.map((b) => b.models[i]!))),
    joint: first.joint ? cat(blocks.map((b) => b.joint!)) : null,
  };
}
