// Reading one real-sized ds003720 run: 96 × 96 × 68 × 410 int16, gzipped (about 514 MB decoded).
// Each reader runs in its own child process so that its peak RSS (getrusage maxrss) is its own.
// Baseline, in the same run: nifti-reader-js the way its README shows (whole file read, inflated
// in memory, then readImage), i.e. what we would do without our streaming reader.
//   npm run bench:nifti            (writes the file once to a temp dir, removes it at the end)
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { once } from 'node:events';
import { serializeNiftiHeader } from '../src/io/niftiHeader.ts';

const DIMS = [96, 96, 68, 410];
const PER_VOL = DIMS[0] * DIMS[1] * DIMS[2];
const DECODED = PER_VOL * DIMS[3] * 2;

async function writeRun(path: string): Promise<void> {
  // Header from our writer, then the 410 volumes streamed through gzip so the generator itself stays small.
  const header = serializeNiftiHeader({
    dims: DIMS, datatype: 'int16', affine: [-2, 0, 0, 95, 0, 2, 0, -95, 0, 0, 2, -67, 0, 0, 0, 1], pixDims: [2, 2, 2, 1.5],
    sformCode: 1, qformCode: 1, xyztUnits: 10, descrip: 'bench',
  });
  const gz = createGzip({ level: 1 });
  const out = createWriteStream(path);
  gz.pipe(out);
  gz.write(header);
  let s = 12345;
  const vol = new Int16Array(PER_VOL);
  for (let t = 0; t < DIMS[3]; t++) {
    // brain-like: a smooth baseline plus small noise (compresses about as well as real EPI)
    for (let i = 0; i < PER_VOL; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      vol[i] = (i % 96 > 10 && i % 96 < 86 ? 800 : 0) + ((s >>> 16) & 63);
    }
    if (!gz.write(Buffer.from(vol.buffer.slice(0)))) await once(gz, 'drain');
  }
  gz.end();
  await once(out, 'finish');
}

const CHILD = String.raw`
const mode = process.argv[1], path = process.argv[2];
const before = process.memoryUsage();
const t0 = performance.now();
let check = 0;
if (mode === 'baseline') {
  const { readFileSync } = await import('node:fs');
  const nifti = await import('nifti-reader-js');
  let buf = readFileSync(path);
  let ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  if (nifti.isCompressed(ab)) ab = nifti.decompress(ab);
  const hdr = nifti.readHeader(ab);
  const img = new Int16Array(nifti.readImage(hdr, ab));
  check = img[img.length - 1];
} else {
  const io = await import(process.cwd() + '/src/io/index.ts');
  if (mode === 'masked') {
    const idx = new Int32Array(60000);
    for (let k = 0; k < idx.length; k++) idx[k] = Math.floor(k * (96 * 96 * 68) / 60000);
    const m = await io.readNiftiMasked(path, idx);
    check = m.data[m.data.length - 1];
  } else {
    const img = await io.readNifti(path, { raw: mode === 'raw' });
    check = img.data[img.data.length - 1];
  }
}
const ms = performance.now() - t0;
const after = process.memoryUsage();
console.log(JSON.stringify({ mode, ms, check, baseRss: before.rss, peakRss: process.resourceUsage().maxRSS * 1024, arrayBuffers: after.arrayBuffers }));
`;

interface ChildResult { mode: string; ms: number; check: number; baseRss: number; peakRss: number; arrayBuffers: number }

function runChild(mode: string, path: string): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD, mode, path], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as ChildResult;
}

const mb = (x: number) => (x / 2 ** 20).toFixed(0);
const dir = mkdtempSync(join(tmpdir(), 'b2m-niftibench-'));
try {
  const path = join(dir, 'sub-001_task-Training_run-01_bold.nii.gz');
  const t0 = performance.now();
  await writeRun(path);
  console.log(`wrote ${DIMS.join('×')} int16 run: ${mb(statSync(path).size)} MiB gzipped, ${mb(DECODED)} MiB decoded (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const rows: ChildResult[] = [];
  for (const mode of ['baseline', 'raw', 'float32', 'masked']) {
    const r = runChild(mode, path);
    rows.push(r);
    const extra = r.peakRss - r.baseRss;
    console.log(`${mode.padEnd(9)} ${(r.ms / 1000).toFixed(2)} s  peak RSS ${mb(r.peakRss)} MiB (+${mb(extra)} over start = ${(extra / DECODED).toFixed(2)}× decoded)  arrayBuffers after ${mb(r.arrayBuffers)} MiB`);
  }
  const base = rows[0];
  const raw = rows[1];
  console.log(`raw vs baseline: time ×${(raw.ms / base.ms).toFixed(2)}, extra peak memory ×${((raw.peakRss - raw.baseRss) / (base.peakRss - base.baseRss)).toFixed(2)}`);
  const ok = raw.peakRss - raw.baseRss <= 2 * DECODED;
  console.log(ok ? 'PASS: raw read peak ≤ 2× decoded size' : 'FAIL: raw read peak > 2× decoded size');
  if (!ok) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
