// FreeSurfer MGH / MGZ volumes (aparc.a2009s+aseg.mgz, orig.mgz, ...). Written here rather than
// taken from a package: no maintained npm reader exists, and the format is a 284-byte big-endian
// header plus raw voxels; the affine follows nibabel's MGHHeader.get_affine exactly (tested
// against nibabel itself).
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { fail } from '../errors.ts';

/** Voxel types of MGH files (FreeSurfer MRI_UCHAR 0, MRI_INT 1, MRI_FLOAT 3, MRI_SHORT 4). */
export type MghDatatype = 'uint8' | 'int32' | 'float32' | 'int16';

/** The typed array holding the voxels of each {@link MghDatatype}. */
export type MghData = Uint8Array | Int32Array | Float32Array | Int16Array;

/** The MGH header fields (offsets in the file: version 0, dims 4, type 20, dof 24, goodRASFlag 28, delta 30, Mdc 42, c_ras 78). */
export interface MghHeader {
  version: number;
  /** width, height, depth, nframes. */
  dims: [number, number, number, number];
  /** The stored type code (0, 1, 3 or 4). */
  typeCode: number;
  datatype: MghDatatype;
  dof: number;
  /** As stored; 0 means the geometry fields are not valid and the defaults below were used. */
  goodRASFlag: number;
  /** Voxel sizes (mm) used for the affine: stored values, or 1, 1, 1 when goodRASFlag is 0. */
  delta: [number, number, number];
  /**
   * Direction cosines as stored, row-major 3×3: row i is the unit vector of voxel axis i in RAS
   * (x_r x_a x_s, y_r y_a y_s, z_r z_a z_s); the affine's column i is row i × delta[i].
   * When goodRASFlag is 0, nibabel's default rows (-1 0 0), (0 0 1), (0 -1 0), as nibabel reads such files.
   */
  mdc: Float64Array;
  /** RAS (mm) of the volume centre, voxel (width/2, height/2, depth/2); 0 when goodRASFlag is 0. */
  cRas: [number, number, number];
  /** Repetition time from the optional footer (ms, FreeSurfer's unit), or 0 when absent. */
  tr: number;
}

/** An MGH volume in memory: the same shape as a NiftiImage where the fields mean the same. */
export interface MghImage {
  /** [width, height, depth], plus nframes when it is above 1 (as nibabel reports the shape). */
  dims: number[];
  /** Voxel sizes (mm), plus the TR (ms) for a multi-frame volume. */
  pixDims: number[];
  /** Voxel (i, j, k) → RAS (x, y, z) mm, row-major 4×4 (FreeSurfer's vox2ras, "Norig"). */
  affine: Float64Array;
  datatype: MghDatatype;
  /** Voxels in file order: i fastest, then j, k, frame (index `i + w*(j + h*(k + d*f))`), host byte order. */
  data: MghData;
  header: MghHeader;
}

/** Where the voxels start in every MGH file. */
export const MGH_DATA_OFFSET = 284;
/** Bytes of the fixed header fields before the unused padding. */
const MGH_HEADER_FIELDS = 90;

const TYPES: Record<number, { name: MghDatatype; bytes: number }> = {
  0: { name: 'uint8', bytes: 1 },
  1: { name: 'int32', bytes: 4 },
  3: { name: 'float32', bytes: 4 },
  4: { name: 'int16', bytes: 2 },
};
const OTHER_TYPES: Record<number, string> = { 2: 'MRI_LONG', 5: 'MRI_BITMAP', 6: 'MRI_TENSOR', 7: 'MRI_FLOAT_COMPLEX', 8: 'MRI_DOUBLE_COMPLEX', 9: 'MRI_RGB' };

/** Direction cosines nibabel substitutes when goodRASFlag is 0 (rows: x, y, z axes in RAS). */
const DEFAULT_MDC = [-1, 0, 0, 0, 0, 1, 0, -1, 0];

/**
 * FreeSurfer's vox2ras from the header, computed as nibabel does: M = Mdcᵀ·diag(delta) and
 * translation c_ras − M·(dims/2), so voxel (w/2, h/2, d/2) lands on c_ras; every entry is rounded
 * to float32, as nibabel's float32 header arithmetic leaves it (sub-micrometre differences).
 */
export function mghAffine(h: Pick<MghHeader, 'dims' | 'delta' | 'mdc' | 'cRas'>): Float64Array {
  const a = new Float64Array(16);
  for (let r = 0; r < 3; r++) {
    let centre = 0;
    for (let c = 0; c < 3; c++) {
      const m = Math.fround(h.mdc[c * 3 + r] * h.delta[c]);
      a[r * 4 + c] = m;
      centre += m * h.dims[c];
    }
    a[r * 4 + 3] = Math.fround(h.cRas[r] - centre / 2);
  }
  a[15] = 1;
  return a;
}

/**
 * Parse an MGH file held in memory, or an MGZ (gzip detected from the bytes; `.mgz` must be
 * gzip). Errors are BAD_FILE and name `source`: not gzip, corrupt gzip, wrong version, zero
 * dimensions, unknown type, truncated data.
 *
 * @example const aparc = parseMgh(readFileSync('aparc.a2009s+aseg.mgz'), 'aparc.a2009s+aseg.mgz'); aparc.dims // [256, 256, 256]
 */
export function parseMgh(bytes: Uint8Array, source = '<bytes>'): MghImage {
  const gz = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  let plain = bytes;
  if (gz) {
    try {
      plain = gunzipSync(bytes);
    } catch (err) {
      fail('BAD_FILE', `${source}: gzip data is corrupt or truncated (${(err as Error).message}); an .mgz file is a gzipped MGH volume. Re-copy it from the FreeSurfer subject's mri/ folder.`, err);
    }
  } else if (/\.mgz$/i.test(source)) {
    fail('BAD_FILE', `${source}: not gzip data (first bytes ${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ') || 'none'}); an .mgz file is a gzipped MGH volume. Re-copy it, or rename it to .mgh if it is an uncompressed MGH file.`);
  }
  if (plain.length < MGH_HEADER_FIELDS) fail('BAD_FILE', `${source}: ${plain.length} bytes, shorter than the MGH header (${MGH_HEADER_FIELDS} bytes); the file is truncated or not an MGH volume.`);
  const view = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
  const version = view.getInt32(0, false);
  if (version !== 1) fail('BAD_FILE', `${source}: MGH version field is ${version}, expected 1; this is not a FreeSurfer MGH/MGZ volume (or it is corrupt).`);
  const dims: [number, number, number, number] = [view.getInt32(4, false), view.getInt32(8, false), view.getInt32(12, false), view.getInt32(16, false)];
  if (dims.some((d) => d < 1)) fail('BAD_FILE', `${source}: MGH dimensions ${dims.join('×')} must all be positive; the header is corrupt.`);
  const typeCode = view.getInt32(20, false);
  const type = TYPES[typeCode];
  if (!type) {
    fail('BAD_FILE', `${source}: MGH data type ${typeCode}${OTHER_TYPES[typeCode] ? ` (${OTHER_TYPES[typeCode]})` : ''} is not one of 0 (uchar), 1 (int32), 3 (float32), 4 (int16); convert it with mri_convert or nibabel.`);
  }
  const goodRASFlag = view.getInt16(28, false);
  const good = goodRASFlag !== 0;
  const f32 = (o: number) => view.getFloat32(o, false);
  const delta: [number, number, number] = good ? [f32(30), f32(34), f32(38)] : [1, 1, 1];
  const mdc = Float64Array.from(good ? Array.from({ length: 9 }, (_, i) => f32(42 + 4 * i)) : DEFAULT_MDC);
  const cRas: [number, number, number] = good ? [f32(78), f32(82), f32(86)] : [0, 0, 0];
  const n = dims[0] * dims[1] * dims[2] * dims[3];
  const byteLength = n * type.bytes;
  if (!Number.isSafeInteger(byteLength) || plain.length < MGH_DATA_OFFSET + byteLength) {
    fail('BAD_FILE', `${source}: truncated: the header declares ${dims.join('×')} ${type.name} voxels (${byteLength} bytes from offset ${MGH_DATA_OFFSET}) but only ${Math.max(0, plain.length - MGH_DATA_OFFSET)} bytes follow. Re-copy the file.`);
  }
  const tr = plain.length >= MGH_DATA_OFFSET + byteLength + 4 ? view.getFloat32(MGH_DATA_OFFSET + byteLength, false) : 0;
  // Copy into an aligned buffer of our own, then fix the byte order in place (MGH is big-endian).
  const raw = new Uint8Array(byteLength);
  raw.set(plain.subarray(MGH_DATA_OFFSET, MGH_DATA_OFFSET + byteLength));
  if (endianness() === 'LE') {
    const b = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (type.bytes === 2) b.swap16();
    else if (type.bytes === 4) b.swap32();
  }
  const data: MghData = type.name === 'uint8' ? raw : type.name === 'int16' ? new Int16Array(raw.buffer) : type.name === 'int32' ? new Int32Array(raw.buffer) : new Float32Array(raw.buffer);
  const header: MghHeader = { version, dims, typeCode, datatype: type.name, dof: view.getInt32(24, false), goodRASFlag, delta, mdc, cRas, tr };
  return {
    dims: dims[3] > 1 ? [...dims] : dims.slice(0, 3),
    pixDims: dims[3] > 1 ? [...delta, tr] : [...delta],
    affine: mghAffine(header),
    datatype: type.name,
    data,
    header,
  };
}

/** Read an `.mgh` or `.mgz` file (see {@link parseMgh}); a missing file is NOT_FOUND. */
export function readMgh(path: string): MghImage {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    fail('NOT_FOUND', `Cannot read MGH/MGZ file ${path}: ${(err as Error).message}`, err);
  }
  return parseMgh(bytes, path);
}
