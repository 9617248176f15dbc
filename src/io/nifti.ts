// NIfTI-1 reading and writing. A small reader of our own rather than nifti-reader-js: that
// package needs the whole (decompressed) file as one ArrayBuffer and then copies the voxels
// again, i.e. two to three copies of a 500 MB run; here the gzip stream is inflated chunk by
// chunk into ONE preallocated output (or only the voxels of a mask are kept), and the affine
// follows nibabel's rules exactly, which the tests check against nibabel itself.
import { closeSync, createReadStream, openSync, readFileSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import { createGunzip, gunzipSync, gzipSync } from 'node:zlib';
import { Brain2MusicError, fail } from '../errors.ts';
import { writeFileAtomic } from './atomic.ts';
import {
  NIFTI1_DATA_OFFSET, NIFTI1_HEADER_BYTES, datatypeInfo, datatypeOfArray, niftiAffine, niftiScaling, parseNiftiHeader, serializeNiftiHeader,
  type NiftiData, type NiftiDatatype, type NiftiHeader,
} from './niftiHeader.ts';

/**
 * A NIfTI volume or time series in memory.
 * `data` is in file order: x fastest, then y, z, t (index `x + nx*(y + ny*(z + nz*t))`).
 */
export interface NiftiImage {
  /** Sizes per axis, e.g. [96, 96, 68, 410]. */
  dims: number[];
  /** Voxel sizes per axis (mm, and the TR in seconds for a 4-D run). */
  pixDims: number[];
  /** Voxel (i, j, k) → world (x, y, z) mm, row-major 4×4. */
  affine: Float64Array;
  /** Type of `data` (float32 after scaling unless `raw` was asked for). */
  datatype: NiftiDatatype;
  data: NiftiData;
  header: NiftiHeader;
}

export interface ReadNiftiOptions {
  /**
   * false (default): `data` is Float32Array with scl_slope/scl_inter applied.
   * true: `data` holds the stored values in their stored type, unscaled (see `header.sclSlope`);
   * the least memory (one copy of the stored voxels).
   */
  raw?: boolean;
}

/** A time series read only at some voxels (see {@link readNiftiMasked}). */
export interface NiftiMaskedImage {
  /** Volumes read (dims[3], or 1 for a 3-D image). */
  nVolumes: number;
  /** The voxel indices read, in file order within one volume (`x + nx*(y + ny*z)`). */
  voxelIndices: Int32Array;
  /** nVolumes × voxelIndices.length, row-major, scaled, float32. */
  data: Float32Array;
  dims: number[];
  pixDims: number[];
  affine: Float64Array;
  header: NiftiHeader;
}

const HOST_LE = endianness() === 'LE';

/** Voxels per volume (x·y·z) and number of volumes (product of the remaining axes). */
function volumeLayout(h: NiftiHeader): { perVolume: number; nVolumes: number } {
  const perVolume = h.dims.slice(0, 3).reduce((a, b) => a * b, 1);
  const nVolumes = h.dims.slice(3).reduce((a, b) => a * b, 1);
  return { perVolume, nVolumes };
}

function swapBytes(bytes: Uint8Array, width: number): void {
  if (width === 2) Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).swap16();
  else if (width === 4) Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).swap32();
  else if (width === 8) Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).swap64();
}

type VolumeSink = (volume: number, values: NiftiData) => void;

/**
 * Push-style decoder: feed the (decompressed) file in chunks of any size. It parses the header,
 * skips extensions, gathers each volume in one reusable staging buffer, fixes its byte order and
 * hands it to the sink. Memory: the staging volume plus whatever the sink keeps.
 */
class NiftiChunkDecoder {
  header: NiftiHeader | undefined;
  private head: Uint8Array = new Uint8Array(NIFTI1_DATA_OFFSET);
  private headLen = 0;
  private staging: Uint8Array | undefined;
  private stagingView: NiftiData | undefined;
  private stagingPos = 0;
  private volume = 0;
  private nVolumes = 0;
  private width = 0;
  private sink: VolumeSink | undefined;
  private bytesAfterHeader = 0;

  constructor(private readonly source: string, private readonly onHeader: (h: NiftiHeader) => VolumeSink, private readonly headerOnly = false) {}

  /** True once every volume has been delivered (or the header is read, in header-only mode). */
  get done(): boolean {
    return this.headerOnly ? this.header !== undefined : this.sink !== undefined && this.volume === this.nVolumes;
  }

  push(chunk: Uint8Array): void {
    let off = 0;
    while (off < chunk.length && !this.done) {
      if (!this.sink) {
        const need = (this.header ? this.header.voxOffset : NIFTI1_HEADER_BYTES) - this.headLen;
        if (this.head.length < this.headLen + need) {
          const grown = new Uint8Array(this.headLen + need);
          grown.set(this.head.subarray(0, this.headLen));
          this.head = grown;
        }
        const take = Math.min(need, chunk.length - off);
        this.head.set(chunk.subarray(off, off + take), this.headLen);
        this.headLen += take;
        off += take;
        if (this.headLen === NIFTI1_HEADER_BYTES && !this.header) {
          this.header = parseNiftiHeader(this.head, this.source);
          if (this.headerOnly) return;
        }
        if (this.header && this.headLen === this.header.voxOffset) this.start(this.header);
        continue;
      }
      const staging = this.staging as Uint8Array;
      const take = Math.min(staging.length - this.stagingPos, chunk.length - off);
      staging.set(chunk.subarray(off, off + take), this.stagingPos);
      this.stagingPos += take;
      this.bytesAfterHeader += take;
      off += take;
      if (this.stagingPos === staging.length) {
        if ((this.header as NiftiHeader).littleEndian !== HOST_LE) swapBytes(staging, this.width);
        this.sink(this.volume++, this.stagingView as NiftiData);
        this.stagingPos = 0;
      }
    }
  }

  private start(h: NiftiHeader): void {
    const info = datatypeInfo(h.datatype, this.source);
    const { perVolume, nVolumes } = volumeLayout(h);
    this.width = info.bytes;
    this.nVolumes = nVolumes;
    const buf = new ArrayBuffer(perVolume * info.bytes);
    this.staging = new Uint8Array(buf);
    this.stagingView = info.make(buf, 0, perVolume);
    this.sink = this.onHeader(h);
  }

  /** Throws BAD_FILE unless the header and every volume arrived. */
  finish(): NiftiHeader {
    if (!this.header) {
      fail('BAD_FILE', `${this.source}: file ends after ${this.headLen} bytes, before the 348-byte NIfTI-1 header is complete; the file is truncated or not NIfTI.`);
    }
    if (this.headerOnly) return this.header;
    if (!this.done) {
      const h = this.header;
      const { perVolume, nVolumes } = volumeLayout(h);
      const expected = perVolume * nVolumes * this.width;
      fail('BAD_FILE', `${this.source}: truncated: the header declares ${h.dims.join('×')} ${h.datatype} voxels (${expected} bytes after offset ${h.voxOffset}) but only ${this.bytesAfterHeader} bytes follow. Re-download or re-export the file.`);
    }
    return this.header;
  }
}

/** Sink that fills one full-size output array (float32 scaled, or raw stored values). */
function fullSink(h: NiftiHeader, raw: boolean, onOutput: (data: NiftiData) => void): VolumeSink {
  const { perVolume, nVolumes } = volumeLayout(h);
  const total = perVolume * nVolumes;
  const info = datatypeInfo(h.datatype);
  const out: NiftiData = raw ? info.alloc(total) : new Float32Array(total);
  onOutput(out);
  const { slope, inter } = niftiScaling(h);
  const scaled = !raw && (slope !== 1 || inter !== 0);
  return (t, vals) => {
    const base = t * perVolume;
    if (!scaled) {
      out.set(vals, base);
      return;
    }
    const o = out as Float32Array;
    for (let i = 0; i < perVolume; i++) o[base + i] = vals[i] * slope + inter;
  };
}

function maskedSink(h: NiftiHeader, idx: Int32Array, source: string, onOutput: (data: Float32Array) => void): VolumeSink {
  const { perVolume, nVolumes } = volumeLayout(h);
  for (let k = 0; k < idx.length; k++) {
    if (!(idx[k] >= 0 && idx[k] < perVolume)) {
      fail('MISMATCH', `${source}: voxel index ${idx[k]} (mask entry ${k}) lies outside the ${h.dims.slice(0, 3).join('×')} volume; the mask was made for another image grid.`);
    }
  }
  const m = idx.length;
  const out = new Float32Array(nVolumes * m);
  onOutput(out);
  const { slope, inter } = niftiScaling(h);
  return (t, vals) => {
    const base = t * m;
    for (let k = 0; k < m; k++) out[base + k] = vals[idx[k]] * slope + inter;
  };
}

function isGzip(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    fail('NOT_FOUND', `Cannot open NIfTI file ${path}: ${(err as Error).message}`, err);
  }
  try {
    const b = Buffer.alloc(2);
    const n = readSync(fd, b, 0, 2, 0);
    return n === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** Stream a (possibly gzipped) file through the decoder; stops early once it is done. */
async function streamFile(path: string, decoder: NiftiChunkDecoder): Promise<NiftiHeader> {
  const gz = isGzip(path);
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream = gz ? file.pipe(createGunzip({ chunkSize: 1 << 20 })) : file;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      decoder.push(chunk);
      if (decoder.done) break;
    }
  } catch (err) {
    if (err instanceof Brain2MusicError) throw err;
    const msg = (err as Error).message;
    if (decoder.header) decoder.finish();
    fail('BAD_FILE', `${path}: ${gz ? 'gzip data is corrupt or truncated' : 'read failed'} (${msg}). Re-download or re-export the file.`, err);
  } finally {
    file.destroy();
    if (stream !== file) stream.destroy();
  }
  return decoder.finish();
}

function imageFrom(h: NiftiHeader, data: NiftiData, raw: boolean): NiftiImage {
  return { dims: [...h.dims], pixDims: [...h.pixDims], affine: niftiAffine(h), datatype: raw ? h.datatype : 'float32', data, header: h };
}

/**
 * Read a `.nii` or `.nii.gz` file (gzip detected from the bytes). 3-D → one volume; 4-D and up
 * → volumes along the 4th+ axes. The file is streamed: peak memory is the output array plus one
 * volume. Errors: NOT_FOUND, BAD_FILE (truncated, corrupt, not NIfTI), UNSUPPORTED (NIfTI-2,
 * complex/RGB types).
 *
 * @example const img = await readNifti('sub-001_task-Test_run-01_bold.nii.gz'); // dims [96,96,68,410]
 */
export async function readNifti(path: string, opts: ReadNiftiOptions = {}): Promise<NiftiImage> {
  const raw = opts.raw ?? false;
  let data: NiftiData | undefined;
  const dec = new NiftiChunkDecoder(path, (h) => fullSink(h, raw, (d) => { data = d; }));
  const h = await streamFile(path, dec);
  return imageFrom(h, data as NiftiData, raw);
}

/** Read only the header of a `.nii`/`.nii.gz` file (stops inflating after 348 bytes). */
export async function readNiftiHeader(path: string): Promise<NiftiHeader> {
  const dec = new NiftiChunkDecoder(path, () => () => undefined, true);
  return streamFile(path, dec);
}

/**
 * Read only some voxels of every volume: the way to load a 4-D run through a brain mask without
 * ever holding the full run. `voxelIndices` are flat indices within one volume in file order
 * (`x + nx*(y + ny*z)`; see {@link maskToIndices}). Returns nVolumes × nIndices float32, scaled.
 */
export async function readNiftiMasked(path: string, voxelIndices: Int32Array): Promise<NiftiMaskedImage> {
  let data: Float32Array | undefined;
  const dec = new NiftiChunkDecoder(path, (h) => maskedSink(h, voxelIndices, path, (d) => { data = d; }));
  const h = await streamFile(path, dec);
  return {
    nVolumes: volumeLayout(h).nVolumes, voxelIndices, data: data as Float32Array,
    dims: [...h.dims], pixDims: [...h.pixDims], affine: niftiAffine(h), header: h,
  };
}

/** Flat indices (ascending, file order) of the non-zero entries of a mask volume. */
export function maskToIndices(mask: ArrayLike<number>): Int32Array {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0 && !Number.isNaN(mask[i])) n++;
  const out = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0 && !Number.isNaN(mask[i])) out[k++] = i;
  return out;
}

/** Parse a whole NIfTI file held in memory (gzipped or not). */
export function parseNifti(bytes: Uint8Array, source = '<bytes>', opts: ReadNiftiOptions = {}): NiftiImage {
  let plain = bytes;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      plain = gunzipSync(bytes);
    } catch (err) {
      fail('BAD_FILE', `${source}: gzip data is corrupt or truncated (${(err as Error).message}). Re-download or re-export the file.`, err);
    }
  }
  const raw = opts.raw ?? false;
  let data: NiftiData | undefined;
  const dec = new NiftiChunkDecoder(source, (h) => fullSink(h, raw, (d) => { data = d; }));
  dec.push(plain);
  const h = dec.finish();
  return imageFrom(h, data as NiftiData, raw);
}

/** Read a NIfTI file synchronously (whole file in memory; for small images such as masks and atlases). */
export function readNiftiSync(path: string, opts: ReadNiftiOptions = {}): NiftiImage {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    fail('NOT_FOUND', `Cannot read NIfTI file ${path}: ${(err as Error).message}`, err);
  }
  return parseNifti(bytes, path, opts);
}

/** What {@link writeNifti} needs. Pass a source image's `header` to keep its codes and units. */
export interface NiftiWriteInput {
  dims: readonly number[];
  /** Voxels in file order; the array type picks the stored datatype. */
  data: NiftiData;
  /** Row-major 4×4; written to the sform exactly and to the qform as rotation + zooms. */
  affine: ArrayLike<number>;
  /** Sizes beyond x/y/z (e.g. [2, 2, 2, 1.5] keeps TR 1.5 s); x/y/z sizes come from the affine. */
  pixDims?: readonly number[];
  header?: Partial<Pick<NiftiHeader, 'sformCode' | 'qformCode' | 'xyztUnits' | 'intentCode' | 'intentName' | 'descrip'>>;
}

/** The file bytes of an image: `.nii` layout, gzipped when `gzip` (default true). Deterministic. */
export function serializeNifti(image: NiftiWriteInput, opts: { gzip?: boolean; level?: number } = {}): Uint8Array {
  const { dims, data, affine } = image;
  if (dims.length < 1 || dims.length > 7 || dims.some((d) => !Number.isInteger(d) || d < 1 || d > 32767)) {
    fail('BAD_INPUT', `NIfTI dims [${dims.join(', ')}] are invalid: 1 to 7 axes, each an integer 1..32767.`);
  }
  const n = dims.reduce((a, b) => a * b, 1);
  if (data.length !== n) fail('MISMATCH', `NIfTI data has ${data.length} values but dims ${dims.join('×')} need ${n}.`);
  if (affine.length !== 16 || !Array.from(affine).every(Number.isFinite)) fail('BAD_INPUT', 'NIfTI affine must be 16 finite numbers (row-major 4×4).');
  const datatype = datatypeOfArray(data);
  if (!datatype) fail('BAD_INPUT', 'NIfTI data must be a Uint8/Int8/Int16/Uint16/Int32/Uint32/Float32/Float64Array.');
  const src = image.header ?? {};
  const hdr = serializeNiftiHeader({
    dims, datatype, affine,
    pixDims: image.pixDims ?? [],
    sformCode: src.sformCode && src.sformCode > 0 ? src.sformCode : 1,
    qformCode: src.qformCode && src.qformCode > 0 ? src.qformCode : 1,
    xyztUnits: src.xyztUnits ?? 10, // mm + s
    descrip: src.descrip ?? 'brain2music',
    intentCode: src.intentCode,
    intentName: src.intentName,
  });
  const file = new Uint8Array(NIFTI1_DATA_OFFSET + data.byteLength);
  file.set(hdr, 0);
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  file.set(body, NIFTI1_DATA_OFFSET);
  if (!HOST_LE) swapBytes(file.subarray(NIFTI1_DATA_OFFSET), data.BYTES_PER_ELEMENT);
  return opts.gzip === false ? file : gzipSync(file, { level: opts.level ?? 6 });
}

/**
 * Write a NIfTI-1 image atomically: `.nii.gz` (gzipped) or `.nii`. Little-endian, data at
 * offset 352, sform = the affine, qform = its rotation/zooms, scl_slope 1. Opens in nibabel,
 * FSLeyes and NiiVue with the same affine.
 *
 * @example writeNifti('r.nii.gz', { dims: [96, 96, 68], data: rVolume, affine: bold.affine, header: bold.header })
 */
export function writeNifti(path: string, image: NiftiWriteInput, opts: { level?: number } = {}): void {
  let gzip: boolean;
  if (path.endsWith('.nii.gz')) gzip = true;
  else if (path.endsWith('.nii')) gzip = false;
  else fail('BAD_INPUT', `NIfTI output ${path} must end in .nii.gz or .nii.`);
  writeFileAtomic(path, serializeNifti(image, { gzip, level: opts.level }));
}
