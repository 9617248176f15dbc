import { readFileSync } from 'node:fs';
import { fail } from '../errors.ts';
import { writeFileAtomic } from './atomic.ts';

/** Typed arrays a `.npy` file can hold (bool is read as Uint8Array of 0/1). */
export type NpyData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array;

/**
 * An N-dimensional array read from a `.npy` file.
 * `data` is in C (row-major) order whatever the file's order; `shape` is `[]` for a 0-d array
 * (then `data.length === 1`); `dtype` is the NumPy descr of the file, e.g. `'<f4'`, `'>i8'`, `'|b1'`.
 */
export interface NpyArray {
  data: NpyData;
  shape: number[];
  dtype: string;
}

interface DtypeInfo {
  kind: 'f' | 'i' | 'u' | 'b';
  size: number;
  make(buffer: ArrayBuffer, byteOffset: number, length: number): NpyData;
}

const DTYPES: Record<string, DtypeInfo> = {
  f4: { kind: 'f', size: 4, make: (b, o, n) => new Float32Array(b, o, n) },
  f8: { kind: 'f', size: 8, make: (b, o, n) => new Float64Array(b, o, n) },
  i1: { kind: 'i', size: 1, make: (b, o, n) => new Int8Array(b, o, n) },
  i2: { kind: 'i', size: 2, make: (b, o, n) => new Int16Array(b, o, n) },
  i4: { kind: 'i', size: 4, make: (b, o, n) => new Int32Array(b, o, n) },
  i8: { kind: 'i', size: 8, make: (b, o, n) => new BigInt64Array(b, o, n) },
  u1: { kind: 'u', size: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
  u2: { kind: 'u', size: 2, make: (b, o, n) => new Uint16Array(b, o, n) },
  u4: { kind: 'u', size: 4, make: (b, o, n) => new Uint32Array(b, o, n) },
  u8: { kind: 'u', size: 8, make: (b, o, n) => new BigUint64Array(b, o, n) },
  b1: { kind: 'b', size: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Reads a `.npy` file (format versions 1.0, 2.0 and 3.0; little- or big-endian; float32/64,
 * int8–int64, uint8–uint64, bool; C or Fortran order; any number of dimensions including 0-d).
 * Returns the data in C order with host (little-endian) byte order.
 * Throws `Brain2MusicError` (BAD_FILE, UNSUPPORTED, NOT_FOUND) naming the file.
 */
export function readNpy(path: string): NpyArray {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') fail('NOT_FOUND', `No such .npy file: ${path}. Check the path.`, err);
    fail('BAD_FILE', `Cannot read .npy file ${path}: ${(err as Error).message}`, err);
  }
  return parseNpy(bytes, path);
}

/**
 * Parses the bytes of a `.npy` file (see {@link readNpy}). When the data is little-endian, C-order
 * and aligned in `bytes`, the returned `data` is a view sharing memory with `bytes`; otherwise a copy.
 * `source` only names the input in error messages.
 */
export function parseNpy(bytes: Uint8Array, source = '<bytes>'): NpyArray {
  const where = `.npy ${source}`;
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) {
    fail('BAD_FILE', `${where} is not a NumPy .npy file (missing the \\x93NUMPY magic string). Save arrays with numpy.save.`);
  }
  const major = bytes[6];
  const minor = bytes[7];
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = bytes[8] | (bytes[9] << 8);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail('BAD_FILE', `${where} is truncated inside its header.`);
    headerLen = (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 0x1000000;
    headerStart = 12;
  } else {
    fail('UNSUPPORTED', `${where} has format version ${major}.${minor}; versions 1.0 to 3.0 are supported.`);
  }
  const dataStart = headerStart + headerLen;
  if (bytes.length < dataStart) fail('BAD_FILE', `${where} is truncated: its header says ${headerLen} bytes but the file ends first.`);
  const headerBytes = bytes.subarray(headerStart, dataStart);
  const header = major === 3 ? new TextDecoder('utf-8').decode(headerBytes) : latin1(headerBytes);
  const dict = parseHeader(header, where);

  const descr = dict.descr;
  if (typeof descr !== 'string') fail('UNSUPPORTED', `${where} has a structured dtype (${JSON.stringify(descr)}); only plain numeric and bool arrays are supported.`);
  const fortran = dict.fortran_order;
  if (typeof fortran !== 'boolean') fail('BAD_FILE', `${where} header has no boolean 'fortran_order'.`);
  const shape = dict.shape;
  if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0)) {
    fail('BAD_FILE', `${where} header has an invalid 'shape' (${JSON.stringify(shape)}).`);
  }
  const dims = shape as number[];

  const order = descr[0];
  const code = descr.slice(1);
  const info = DTYPES[code];
  if (!info || !['<', '>', '|', '='].includes(order)) {
    fail('UNSUPPORTED', `${where} has dtype '${descr}'; supported: float32, float64, int8–int64, uint8–uint64, bool (either byte order).`);
  }
  const bigEndian = order === '>' || (order === '=' && !LITTLE_ENDIAN_HOST);
  const count = dims.reduce((a, b) => a * b, 1);
  const byteLength = count * info.size;
  if (bytes.length - dataStart < byteLength) {
    fail('BAD_FILE', `${where} is truncated: shape (${dims.join(', ')}) of '${descr}' needs ${byteLength} data bytes, found ${bytes.length - dataStart}.`);
  }

  let data: NpyData;
  const absOffset = bytes.byteOffset + dataStart;
  const needSwap = info.size > 1 && bigEndian === LITTLE_ENDIAN_HOST;
  if (!needSwap && absOffset % info.size === 0) {
    data = info.make(bytes.buffer as ArrayBuffer, absOffset, count);
  } else {
    const copy = new Uint8Array(byteLength);
    copy.set(bytes.subarray(dataStart, dataStart + byteLength));
    if (needSwap) swapBytes(copy, info.size);
    data = info.make(copy.buffer, 0, count);
  }
  if (fortran && dims.length > 1) data = fortranToC(data, dims, info);
  const dtype = order === '=' ? (LITTLE_ENDIAN_HOST ? '<' : '>') + code : descr;
  return { data, shape: dims.slice(), dtype };
}

/**
 * Serialises a C-order array to `.npy` bytes, byte-identical to `numpy.save` (version 1.0 header,
 * or 2.0 when the header does not fit). dtype follows the typed array (Float32Array → '<f4', …);
 * pass `{ bool: true }` with a Uint8Array to write '|b1'. `shape` `[]` writes a 0-d array.
 */
export function serializeNpy(data: NpyData | Uint8ClampedArray, shape: readonly number[], opts: { bool?: boolean } = {}): Uint8Array {
  const descr = descrOf(data, opts.bool === true);
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) fail('BAD_INPUT', `serializeNpy: invalid shape [${shape.join(', ')}]; dimensions must be non-negative integers.`);
  if (count !== data.length) fail('MISMATCH', `serializeNpy: shape [${shape.join(', ')}] holds ${count} elements but the data has ${data.length}.`);
  const shapeRepr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeRepr}, }`;
  // numpy >= 1.24 leaves room so the first axis can grow in place: 21 digits in total
  if (shape.length > 0) header += ' '.repeat(Math.max(0, 21 - String(shape[0]).length));
  let version = 1;
  let prefix = 10;
  let hlen = header.length + 1;
  let pad = 64 - ((prefix + hlen) % 64);
  if (hlen + pad > 0xffff) {
    version = 2;
    prefix = 12;
    pad = 64 - ((prefix + hlen) % 64);
  }
  header += ' '.repeat(pad) + '\n';
  hlen = header.length;
  const dataBytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(prefix + hlen + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  if (version === 1) {
    out[8] = hlen & 0xff;
    out[9] = hlen >>> 8;
  } else {
    new DataView(out.buffer).setUint32(8, hlen, true);
  }
  for (let i = 0; i < hlen; i++) out[prefix + i] = header.charCodeAt(i);
  out.set(dataBytes, prefix + hlen);
  if (!LITTLE_ENDIAN_HOST) swapBytes(out.subarray(prefix + hlen), data.BYTES_PER_ELEMENT);
  return out;
}

/** Writes `data` with `shape` as a `.npy` file atomically (see {@link serializeNpy}). */
export function writeNpy(path: string, data: NpyData | Uint8ClampedArray, shape: readonly number[], opts: { bool?: boolean } = {}): void {
  writeFileAtomic(path, serializeNpy(data, shape, opts));
}

function descrOf(data: NpyData | Uint8ClampedArray, bool: boolean): string {
  if (bool) {
    if (!(data instanceof Uint8Array)) fail('BAD_INPUT', 'serializeNpy: { bool: true } needs a Uint8Array of 0/1 values.');
    return '|b1';
  }
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Int8Array) return '|i1';
  if (data instanceof Int16Array) return '<i2';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof BigInt64Array) return '<i8';
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return '|u1';
  if (data instanceof Uint16Array) return '<u2';
  if (data instanceof Uint32Array) return '<u4';
  if (data instanceof BigUint64Array) return '<u8';
  return fail('UNSUPPORTED', 'serializeNpy: unsupported array type.');
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

function swapBytes(b: Uint8Array, size: number): void {
  for (let i = 0; i + size <= b.length; i += size) {
    for (let j = 0, k = size - 1; j < k; j++, k--) {
      const t = b[i + j];
      b[i + j] = b[i + k];
      b[i + k] = t;
    }
  }
}

function fortranToC(src: NpyData, shape: number[], info: DtypeInfo): NpyData {
  const n = src.length;
  const out = info.make(new ArrayBuffer(n * info.size), 0, n);
  const nd = shape.length;
  // Fortran strides (in elements) of each axis; walk the output in C order with a counter.
  const fstride = new Array<number>(nd);
  let s = 1;
  for (let d = 0; d < nd; d++) {
    fstride[d] = s;
    s *= shape[d];
  }
  const idx = new Array<number>(nd).fill(0);
  let off = 0;
  const set = out as unknown as { [i: number]: number | bigint };
  const get = src as unknown as { [i: number]: number | bigint };
  for (let i = 0; i < n; i++) {
    set[i] = get[off];
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      off += fstride[d];
      if (idx[d] < shape[d]) break;
      off -= fstride[d] * shape[d];
      idx[d] = 0;
    }
  }
  return out;
}

type HeaderValue = string | boolean | number[] | HeaderValue[] | null | number;

/** Parses the Python dict literal of a .npy header: strings, True/False, ints, tuples and lists. */
function parseHeader(text: string, where: string): Record<string, HeaderValue> {
  let i = 0;
  const bad = (what: string): never => fail('BAD_FILE', `${where} has a malformed header (${what} at character ${i}): ${JSON.stringify(text.slice(0, 200))}`);
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const value = (): HeaderValue => {
    ws();
    const c = text[i];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) bad('unterminated string');
      const s = text.slice(i + 1, end);
      i = end + 1;
      return s;
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      i++;
      const items: HeaderValue[] = [];
      for (;;) {
        ws();
        if (text[i] === close) {
          i++;
          break;
        }
        items.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== close) bad(`expected ',' or '${close}'`);
      }
      return items as HeaderValue;
    }
    const m = /^(True|False|None|-?\d+L?)/.exec(text.slice(i, i + 32));
    if (!m) return bad('unexpected token');
    i += m[0].length;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    if (m[0] === 'None') return null;
    return Number(m[0].replace('L', ''));
  };
  ws();
  if (text[i] !== '{') bad("expected '{'");
  i++;
  const dict: Record<string, HeaderValue> = {};
  for (;;) {
    ws();
    if (text[i] === '}') break;
    const key = value();
    if (typeof key !== 'string') bad('expected a string key');
    ws();
    if (text[i] !== ':') bad("expected ':'");
    i++;
    dict[key as string] = value();
    ws();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') bad("expected ',' or '}'");
  }
  for (const k of ['descr', 'fortran_order', 'shape']) if (!(k in dict)) bad(`missing key '${k}'`);
  return dict;
}
