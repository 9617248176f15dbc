import { fail } from '../errors.ts';

/** Voxel types brain2music reads and writes (NIfTI-1 `datatype` codes 2, 4, 8, 16, 64, 256, 512, 768). */
export type NiftiDatatype = 'uint8' | 'int16' | 'int32' | 'float32' | 'float64' | 'int8' | 'uint16' | 'uint32';

/** The typed array that holds voxels of each {@link NiftiDatatype}. */
export type NiftiData = Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

interface DatatypeInfo {
  name: NiftiDatatype;
  code: number;
  bytes: number;
  make: (buf: ArrayBuffer, byteOffset: number, length: number) => NiftiData;
  alloc: (length: number) => NiftiData;
}

const DATATYPES: DatatypeInfo[] = [
  { name: 'uint8', code: 2, bytes: 1, make: (b, o, n) => new Uint8Array(b, o, n), alloc: (n) => new Uint8Array(n) },
  { name: 'int16', code: 4, bytes: 2, make: (b, o, n) => new Int16Array(b, o, n), alloc: (n) => new Int16Array(n) },
  { name: 'int32', code: 8, bytes: 4, make: (b, o, n) => new Int32Array(b, o, n), alloc: (n) => new Int32Array(n) },
  { name: 'float32', code: 16, bytes: 4, make: (b, o, n) => new Float32Array(b, o, n), alloc: (n) => new Float32Array(n) },
  { name: 'float64', code: 64, bytes: 8, make: (b, o, n) => new Float64Array(b, o, n), alloc: (n) => new Float64Array(n) },
  { name: 'int8', code: 256, bytes: 1, make: (b, o, n) => new Int8Array(b, o, n), alloc: (n) => new Int8Array(n) },
  { name: 'uint16', code: 512, bytes: 2, make: (b, o, n) => new Uint16Array(b, o, n), alloc: (n) => new Uint16Array(n) },
  { name: 'uint32', code: 768, bytes: 4, make: (b, o, n) => new Uint32Array(b, o, n), alloc: (n) => new Uint32Array(n) },
];

const OTHER_CODES: Record<number, string> = {
  1: 'binary', 32: 'complex64', 128: 'RGB24', 1024: 'int64', 1280: 'uint64', 1536: 'float128', 1792: 'complex128', 2048: 'complex256', 2304: 'RGBA32',
};

/** Datatype facts by name or NIfTI code. */
export function datatypeInfo(key: NiftiDatatype | number, source = '<header>'): DatatypeInfo {
  const info = DATATYPES.find((d) => d.name === key || d.code === key);
  if (!info) {
    const what = typeof key === 'number' ? `datatype code ${key}${OTHER_CODES[key] ? ` (${OTHER_CODES[key]})` : ''}` : `datatype '${key}'`;
    fail('UNSUPPORTED', `${source}: ${what} is not supported; brain2music reads ${DATATYPES.map((d) => d.name).join(', ')}. Convert the image, e.g. with nibabel or fslmaths -odt float.`);
  }
  return info;
}

/** The {@link NiftiDatatype} that matches a typed array, or undefined. */
export function datatypeOfArray(data: ArrayBufferView): NiftiDatatype | undefined {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  return undefined;
}

/** The parsed NIfTI-1 header (the fields brain2music uses; all others are written as zero). */
export interface NiftiHeader {
  littleEndian: boolean;
  /** Sizes per axis, `dim[1..dim[0]]` (x fastest in the data). */
  dims: number[];
  /** Voxel sizes per axis, `pixdim[1..dim[0]]` (mm for x/y/z, seconds for t when xyzt_units say so). */
  pixDims: number[];
  /** `pixdim[0]`: -1 or 1 (0 is read as 1, as nibabel does). */
  qfac: number;
  datatype: NiftiDatatype;
  datatypeCode: number;
  bitpix: number;
  /** Byte offset of the voxel data (at least 352 in a single `.nii` file). */
  voxOffset: number;
  /** Raw `scl_slope` / `scl_inter` as stored (slope 0 or non-finite means: no scaling). */
  sclSlope: number;
  sclInter: number;
  qformCode: number;
  sformCode: number;
  /** quatern_b, quatern_c, quatern_d. */
  quatern: [number, number, number];
  /** qoffset_x, qoffset_y, qoffset_z. */
  qoffset: [number, number, number];
  /** srow_x, srow_y, srow_z concatenated (12 values, row-major 3×4). */
  srow: Float64Array;
  xyztUnits: number;
  intentCode: number;
  intentName: string;
  descrip: string;
  calMin: number;
  calMax: number;
  dimInfo: number;
  sliceCode: number;
  sliceDuration: number;
  toffset: number;
}

export const NIFTI1_HEADER_BYTES = 348;
/** Header + 4-byte extension flag: where data starts in a `.nii` file we write. */
export const NIFTI1_DATA_OFFSET = 352;

function cString(bytes: Uint8Array, start: number, len: number): string {
  let end = start;
  while (end < start + len && bytes[end] !== 0) end++;
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/**
 * Parse the 348-byte NIfTI-1 header at the start of `bytes` (either endianness).
 * Errors: BAD_FILE for anything that is not a single-file NIfTI-1 image; UNSUPPORTED for
 * NIfTI-2, split .hdr/.img pairs and datatypes outside {@link NiftiDatatype}.
 */
export function parseNiftiHeader(bytes: Uint8Array, source = '<bytes>'): NiftiHeader {
  if (bytes.length < NIFTI1_HEADER_BYTES) {
    fail('BAD_FILE', `${source}: only ${bytes.length} bytes, too short for a NIfTI-1 header (348 bytes); the file is truncated or not NIfTI.`);
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, NIFTI1_HEADER_BYTES);
  let le: boolean;
  if (v.getInt32(0, true) === 348) le = true;
  else if (v.getInt32(0, false) === 348) le = false;
  else if (v.getInt32(0, true) === 540 || v.getInt32(0, false) === 540) {
    fail('UNSUPPORTED', `${source}: this is a NIfTI-2 file; brain2music reads NIfTI-1. Convert it, e.g. nibabel: nib.Nifti1Image(img.dataobj, img.affine).to_filename(...).`);
  } else {
    fail('BAD_FILE', `${source}: not a NIfTI-1 image (sizeof_hdr is ${v.getInt32(0, true)}, expected 348). Check that this is a .nii or .nii.gz file and that it is not corrupt.`);
  }
  const magic = cString(bytes, 344, 4);
  if (magic === 'ni1') fail('UNSUPPORTED', `${source}: a split NIfTI header (.hdr/.img pair); combine it into one .nii file (e.g. nibabel or fslchfiletype NIFTI).`);
  if (magic !== 'n+1') fail('BAD_FILE', `${source}: NIfTI magic is '${magic}', expected 'n+1' (an Analyze 7.5 file or a corrupt header). Convert it to NIfTI-1.`);
  const i16 = (o: number) => v.getInt16(o, le);
  const f32 = (o: number) => v.getFloat32(o, le);
  const ndim = i16(40);
  if (ndim < 1 || ndim > 7) fail('BAD_FILE', `${source}: dim[0] is ${ndim}, must be 1..7; the header is corrupt.`);
  const dims: number[] = [];
  const pixDims: number[] = [];
  for (let i = 1; i <= ndim; i++) {
    const d = i16(40 + 2 * i);
    if (d < 1) fail('BAD_FILE', `${source}: dim[${i}] is ${d}; every size must be at least 1. The header is corrupt.`);
    dims.push(d);
    pixDims.push(f32(76 + 4 * i));
  }
  const datatypeCode = i16(70);
  const info = datatypeInfo(datatypeCode, source);
  const bitpix = i16(72);
  if (bitpix !== info.bytes * 8) fail('BAD_FILE', `${source}: bitpix ${bitpix} does not match datatype ${info.name} (${info.bytes * 8} bits); the header is corrupt.`);
  const voxOffsetRaw = f32(108);
  if (!Number.isFinite(voxOffsetRaw) || voxOffsetRaw < 0) fail('BAD_FILE', `${source}: vox_offset ${voxOffsetRaw} is invalid; the header is corrupt.`);
  const srow = new Float64Array(12);
  for (let i = 0; i < 12; i++) srow[i] = f32(280 + 4 * i);
  const q0 = f32(76);
  return {
    littleEndian: le,
    dims,
    pixDims,
    qfac: q0 < 0 ? -1 : 1,
    datatype: info.name,
    datatypeCode,
    bitpix,
    // nibabel treats vox_offset 0 in a single file as "right after the header".
    voxOffset: Math.max(NIFTI1_DATA_OFFSET, Math.floor(voxOffsetRaw)),
    sclSlope: f32(112),
    sclInter: f32(116),
    qformCode: i16(252),
    sformCode: i16(254),
    quatern: [f32(256), f32(260), f32(264)],
    qoffset: [f32(268), f32(272), f32(276)],
    srow,
    xyztUnits: bytes[123],
    intentCode: i16(68),
    intentName: cString(bytes, 328, 16),
    descrip: cString(bytes, 148, 80),
    calMax: f32(124),
    calMin: f32(128),
    dimInfo: bytes[39],
    sliceCode: bytes[122],
    sliceDuration: f32(132),
    toffset: f32(136),
  };
}

/** The effective linear scaling of stored values (nibabel's rule: slope 0 or non-finite → none). */
export function niftiScaling(h: NiftiHeader): { slope: number; inter: number } {
  if (!Number.isFinite(h.sclSlope) || h.sclSlope === 0) return { slope: 1, inter: 0 };
  return { slope: h.sclSlope, inter: Number.isFinite(h.sclInter) ? h.sclInter : 0 };
}

/** Rotation matrix (row-major 3×3) from quaternion b, c, d with a = sqrt(1 - b² - c² - d²). */
function quaternToRotation(b: number, c: number, d: number): number[] {
  const a = Math.sqrt(Math.max(0, 1 - (b * b + c * c + d * d)));
  return [
    a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
    2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b),
    2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b,
  ];
}

/**
 * The voxel-to-world affine (Float64Array(16), row-major 4×4), chosen as nibabel does:
 * the sform when sform_code > 0, else the qform (quaternion, pixdim, qfac) when qform_code > 0,
 * else nibabel's fallback: pixdim scaling with x flipped and the volume centre at the origin.
 */
export function niftiAffine(h: NiftiHeader): Float64Array {
  const a = new Float64Array(16);
  a[15] = 1;
  if (h.sformCode > 0) {
    a.set(h.srow, 0);
    return a;
  }
  const zoom = [0, 1, 2].map((i) => (i < h.pixDims.length ? h.pixDims[i] : 1));
  if (h.qformCode > 0) {
    const r = quaternToRotation(h.quatern[0], h.quatern[1], h.quatern[2]);
    const z = [Math.abs(zoom[0]), Math.abs(zoom[1]), Math.abs(zoom[2]) * h.qfac];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) a[i * 4 + j] = r[i * 3 + j] * z[j];
      a[i * 4 + 3] = h.qoffset[i];
    }
    return a;
  }
  const shape = [0, 1, 2].map((i) => (i < h.dims.length ? h.dims[i] : 1));
  const z = [-zoom[0], zoom[1], zoom[2]];
  for (let i = 0; i < 3; i++) {
    a[i * 5] = z[i];
    a[i * 4 + 3] = (-(shape[i] - 1) / 2) * z[i];
  }
  return a;
}

/**
 * Split an affine's 3×3 part into voxel sizes, qfac and the nearest rotation's quaternion
 * (b, c, d with a ≥ 0), as NIfTI's qform needs. Shears cannot be stored in a qform; the
 * nearest rotation (polar decomposition) is used, and the sform keeps the exact affine.
 */
export function affineToQform(affine: ArrayLike<number>): { quatern: [number, number, number]; qoffset: [number, number, number]; zooms: [number, number, number]; qfac: number } {
  const m = [0, 1, 2].map((i) => [0, 1, 2].map((j) => affine[i * 4 + j]));
  const zooms = [0, 1, 2].map((j) => Math.hypot(m[0][j], m[1][j], m[2][j])) as [number, number, number];
  let r = m.map((row, i) => row.map((x, j) => (zooms[j] > 0 ? x / zooms[j] : i === j ? 1 : 0)));
  const det3 = (q: number[][]) => q[0][0] * (q[1][1] * q[2][2] - q[1][2] * q[2][1]) - q[0][1] * (q[1][0] * q[2][2] - q[1][2] * q[2][0]) + q[0][2] * (q[1][0] * q[2][1] - q[1][1] * q[2][0]);
  let qfac = 1;
  if (det3(r) < 0) {
    qfac = -1;
    for (let i = 0; i < 3; i++) r[i][2] = -r[i][2];
  }
  // Polar decomposition by Newton iteration R ← (R + R⁻ᵀ)/2: converges to the nearest rotation.
  for (let it = 0; it < 30; it++) {
    const d = det3(r);
    if (Math.abs(d) < 1e-12) break;
    const invT = [
      [(r[1][1] * r[2][2] - r[1][2] * r[2][1]) / d, -(r[1][0] * r[2][2] - r[1][2] * r[2][0]) / d, (r[1][0] * r[2][1] - r[1][1] * r[2][0]) / d],
      [-(r[0][1] * r[2][2] - r[0][2] * r[2][1]) / d, (r[0][0] * r[2][2] - r[0][2] * r[2][0]) / d, -(r[0][0] * r[2][1] - r[0][1] * r[2][0]) / d],
      [(r[0][1] * r[1][2] - r[0][2] * r[1][1]) / d, -(r[0][0] * r[1][2] - r[0][2] * r[1][0]) / d, (r[0][0] * r[1][1] - r[0][1] * r[1][0]) / d],
    ];
    let delta = 0;
    r = r.map((row, i) => row.map((x, j) => {
      const y = 0.5 * (x + invT[i][j]);
      delta = Math.max(delta, Math.abs(y - x));
      return y;
    }));
    if (delta < 1e-15) break;
  }
  // Rotation matrix → quaternion (Shepperd's method, numerically stable branch choice).
  const tr = r[0][0] + r[1][1] + r[2][2];
  let a: number, b: number, c: number, d: number;
  if (tr > 0) {
    const s = 2 * Math.sqrt(1 + tr);
    a = 0.25 * s; b = (r[2][1] - r[1][2]) / s; c = (r[0][2] - r[2][0]) / s; d = (r[1][0] - r[0][1]) / s;
  } else if (r[0][0] > r[1][1] && r[0][0] > r[2][2]) {
    const s = 2 * Math.sqrt(1 + r[0][0] - r[1][1] - r[2][2]);
    a = (r[2][1] - r[1][2]) / s; b = 0.25 * s; c = (r[0][1] + r[1][0]) / s; d = (r[0][2] + r[2][0]) / s;
  } else if (r[1][1] > r[2][2]) {
    const s = 2 * Math.sqrt(1 + r[1][1] - r[0][0] - r[2][2]);
    a = (r[0][2] - r[2][0]) / s; b = (r[0][1] + r[1][0]) / s; c = 0.25 * s; d = (r[1][2] + r[2][1]) / s;
  } else {
    const s = 2 * Math.sqrt(1 + r[2][2] - r[0][0] - r[1][1]);
    a = (r[1][0] - r[0][1]) / s; b = (r[0][2] + r[2][0]) / s; c = (r[1][2] + r[2][1]) / s; d = 0.25 * s;
  }
  if (a < 0) { b = -b; c = -c; d = -d; }
  return { quatern: [b, c, d], qoffset: [affine[3], affine[7], affine[11]], zooms, qfac };
}

/** What {@link serializeNiftiHeader} needs; everything else is written as zero. */
export interface NiftiHeaderFields {
  dims: readonly number[];
  pixDims: readonly number[];
  datatype: NiftiDatatype;
  affine: ArrayLike<number>;
  sformCode: number;
  qformCode: number;
  xyztUnits: number;
  descrip: string;
  intentCode?: number;
  intentName?: string;
  sclSlope?: number;
  sclInter?: number;
}

/** A little-endian 352-byte NIfTI-1 header (348 + empty extension flag), sform and qform both set. */
export function serializeNiftiHeader(f: NiftiHeaderFields): Uint8Array {
  const bytes = new Uint8Array(NIFTI1_DATA_OFFSET);
  const v = new DataView(bytes.buffer);
  const info = datatypeInfo(f.datatype);
  v.setInt32(0, 348, true);
  bytes[38] = 'r'.charCodeAt(0); // "regular", as nibabel writes
  v.setInt16(40, f.dims.length, true);
  for (let i = 0; i < 7; i++) v.setInt16(42 + 2 * i, i < f.dims.length ? f.dims[i] : 1, true);
  v.setInt16(68, f.intentCode ?? 0, true);
  v.setInt16(70, info.code, true);
  v.setInt16(72, info.bytes * 8, true);
  const q = affineToQform(f.affine);
  v.setFloat32(76, q.qfac, true);
  for (let i = 0; i < 7; i++) {
    const p = i < 3 ? q.zooms[i] : i < f.pixDims.length ? f.pixDims[i] : 1;
    v.setFloat32(80 + 4 * i, p, true);
  }
  v.setFloat32(108, NIFTI1_DATA_OFFSET, true);
  v.setFloat32(112, f.sclSlope ?? 1, true);
  v.setFloat32(116, f.sclInter ?? 0, true);
  bytes[123] = f.xyztUnits;
  bytes.set(Buffer.from(f.descrip.slice(0, 79), 'latin1'), 148);
  v.setInt16(252, f.qformCode, true);
  v.setInt16(254, f.sformCode, true);
  v.setFloat32(256, q.quatern[0], true);
  v.setFloat32(260, q.quatern[1], true);
  v.setFloat32(264, q.quatern[2], true);
  v.setFloat32(268, q.qoffset[0], true);
  v.setFloat32(272, q.qoffset[1], true);
  v.setFloat32(276, q.qoffset[2], true);
  for (let i = 0; i < 12; i++) v.setFloat32(280 + 4 * i, f.affine[i], true);
  if (f.intentName) bytes.set(Buffer.from(f.intentName.slice(0, 15), 'latin1'), 328);
  bytes.set([0x6e, 0x2b, 0x31, 0x00], 344); // "n+1\0"
  return bytes;
}
