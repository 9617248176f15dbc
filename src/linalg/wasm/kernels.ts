import { Worker } from 'node:worker_threads';
import { fail } from '../../errors.ts';
import { GEMM_BLOCK, GEMM_TILE, copy2dKernel, gemmDriverKernel, gemmKernel, gemvNKernel, gemvTKernel, symvKernel, type Prec } from './kernelCode.ts';
import { buildWasmModule } from './wasmWriter.ts';

export type { Prec } from './kernelCode.ts';

/** Element views of the kernel memory: index i of `f64` is byte 8i, of `f32` byte 4i. */
export type HeapView = Float64Array | Float32Array;

/**
 * A TypeScript task the helper can run on part of a range: works on items lo ≤ i < hi of data
 * in kernel memory (both views of it), the other arguments numbers. Each item's result must not
 * depend on how the range is split.
 */
export type KernelTask = (f64: Float64Array, f32: Float32Array, lo: number, hi: number, ...args: number[]) => void;

/** Where the helper finds the tasks: `module[table][name]` of an ES module (a .ts one loaded through tsx). */
export interface TaskTable {
  url: string;
  table: string;
  names: readonly string[];
}

type Fn = (...args: number[]) => void;

const { mc: MC, kc: KC, nc: NC } = GEMM_BLOCK;
const PAGE = 65536;
const MAX_PAGES = 32768; // 2 GiB: i32 addresses
/**
 * Products with fewer multiply-adds (≈ 0.4 ms of work) stay on one thread: waking the helper
 * costs 10–50 µs on an idle machine and far more on a loaded one.
 */
const PARALLEL_GEMM_FLOPS = 1 << 23;
/** symv from this size up is computed in two halves (on two threads when the helper is up). */
const PARALLEL_SYMV_N = 768;

// function indices follow this list; the GEMM drivers call the macro-kernels and copy2d by index
const NAMES = ['dgemmMacro', 'sgemmMacro', 'dgemmDirect', 'sgemmDirect', 'dcopy2d', 'scopy2d', 'dsymv', 'ssymv', 'dgemvT', 'sgemvT', 'dgemvN', 'sgemvN', 'dgemm', 'sgemm'] as const;
type Name = (typeof NAMES)[number];

let compiled: WebAssembly.Module | undefined;

function kernelModule(): WebAssembly.Module {
  if (!compiled) {
    const at = (name: Name): number => NAMES.indexOf(name);
    const codes: Record<Name, () => ReturnType<typeof gemmKernel>> = {
      dgemmMacro: () => gemmKernel('f64'),
      sgemmMacro: () => gemmKernel('f32'),
      dgemmDirect: () => gemmKernel('f64', true),
      sgemmDirect: () => gemmKernel('f32', true),
      dcopy2d: () => copy2dKernel('f64'),
      scopy2d: () => copy2dKernel('f32'),
      dsymv: () => symvKernel('f64'),
      ssymv: () => symvKernel('f32'),
      dgemvT: () => gemvTKernel('f64'),
      sgemvT: () => gemvTKernel('f32'),
      dgemvN: () => gemvNKernel('f64'),
      sgemvN: () => gemvNKernel('f32'),
      dgemm: () => gemmDriverKernel('f64', { macro: at('dgemmMacro'), macroDirect: at('dgemmDirect'), copy: at('dcopy2d') }),
      sgemm: () => gemmDriverKernel('f32', { macro: at('sgemmMacro'), macroDirect: at('sgemmDirect'), copy: at('scopy2d') }),
    };
    const bytes = buildWasmModule(NAMES.map((name) => ({ name, code: codes[name]() })), { minPages: 1, maxPages: MAX_PAGES, shared: true });
    compiled = new WebAssembly.Module(bytes);
  }
  return compiled;
}

/** Per-thread GEMM pack buffers (element indices in each precision's view). */
interface PackBuffers {
  a: Record<Prec, number>;
  b: Record<Prec, number>;
}

/** KC zeros per precision: the B columns past the edge of a direct (unpacked) product. */
type ZeroColumn = Record<Prec, number>;

/** The helper thread and its control block (see kernelWorker.js for the protocol). */
interface Helper {
  worker: Worker;
  words: Int32Array;
  args: Float64Array;
  seq: number;
  failed: boolean;
}

/**
 * Why kernels of our own: the GEMM backend's ONNX Runtime does float64 too (MLAS, ≈ 77 GFLOP/s
 * at 2000³ on the 2 cores) but is asynchronous, while `eigh` is synchronous and issues thousands
 * of mid-size products and matrix–vector products between scalar steps; plain TypeScript loops
 * reach 1–2 GFLOP/s, these WebAssembly SIMD kernels 20–25 (float64) and 40–50 (float32) per core.
 *
 * The compiled kernels with their own (shared) linear memory and a stack-like allocator over it.
 * Matrices passed to the kernels live in that memory, addressed by element index in the view of
 * their precision; all are column-major with a leading dimension. One per thread
 * ({@link wasmKernels}). With `setThreads(2)` or more, one helper worker runs the same module on
 * the same memory and large GEMMs and symmetric products are split between the two threads; the
 * calling thread blocks (Atomics.wait) until the helper's half is done, so every call is still
 * synchronous. The views are replaced when the memory grows: read `view(prec)` again after `alloc`.
 */
export class WasmKernels {
  private readonly memory: WebAssembly.Memory;
  private readonly fns: Record<Name, Fn>;
  private top = 0; // bytes in use
  private views: { f64: Float64Array; f32: Float32Array };
  private readonly pack: [PackBuffers, PackBuffers];
  private readonly zeros: ZeroColumn;
  private readonly ctrl: number; // byte offset of the helper control block
  private helper: Helper | null = null;
  private helperBroken = false;
  private threads = 1;
  private tasks: TaskTable | undefined;

  constructor() {
    this.memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    const inst = new WebAssembly.Instance(kernelModule(), { env: { memory: this.memory } });
    this.fns = inst.exports as unknown as Record<Name, Fn>;
    this.views = { f64: new Float64Array(this.memory.buffer), f32: new Float32Array(this.memory.buffer) };
    this.ctrl = this.alloc(64, 'f64') * 8;
    // pack buffers (one set per thread) sit below every allocation and are reused by every product
    const packs = (): PackBuffers => ({
      a: { f64: this.alloc(MC * KC, 'f64'), f32: this.alloc(MC * KC, 'f32') },
      b: { f64: this.alloc((NC + GEMM_TILE.f64.nr) * KC, 'f64'), f32: this.alloc((NC + GEMM_TILE.f32.nr) * KC, 'f32') },
    });
    this.pack = [packs(), packs()];
    this.zeros = { f64: this.alloc(KC, 'f64'), f32: this.alloc(KC, 'f32') };
    this.view('f64').fill(0, this.zeros.f64, this.zeros.f64 + KC);
    this.view('f32').fill(0, this.zeros.f32, this.zeros.f32 + KC);
  }

  /**
   * Threads for the following calls (1: this thread only; 2 or more: this thread plus one helper,
   * started on first request; until it is up, everything runs here). `tasks` (fixed by the first
   * call that starts the helper) lets {@link task} split TypeScript work too.
   */
  setThreads(threads: number, tasks?: TaskTable): void {
    this.threads = Math.max(1, Math.floor(threads));
    this.tasks ??= tasks;
    if (this.threads > 1 && !this.helper && !this.helperBroken) this.startHelper();
  }

  private startHelper(): void {
    try {
      const worker = new Worker(new URL('./kernelWorker.js', import.meta.url), {
        workerData: { module: kernelModule(), memory: this.memory, names: NAMES, ctrl: this.ctrl, tasks: this.tasks },
        // the worker is plain JavaScript: no loader (tsx) to start
        execArgv: [],
      });
      worker.unref();
      const words = new Int32Array(this.memory.buffer, this.ctrl, 16);
      const helper: Helper = { worker, words, args: new Float64Array(this.memory.buffer, this.ctrl + 64, 16), seq: 0, failed: false };
      worker.on('error', () => {
        helper.failed = true;
        this.helperBroken = true;
      });
      this.helper = helper;
    } catch {
      this.helperBroken = true;
    }
  }

  /** Whether the helper thread is up and taking work (large products then run on two threads). */
  get parallel(): boolean {
    return this.readyHelper() !== null;
  }

  /** Whether the helper has also loaded the tasks given to setThreads (then {@link task} splits them). */
  get parallelTasks(): boolean {
    return this.readyHelper(true) !== null;
  }

  /** The helper when it may take work now (kernels; with `tasks`, TypeScript tasks too). */
  private readyHelper(tasks = false): Helper | null {
    const h = this.helper;
    if (this.threads < 2 || !h || h.failed || Atomics.load(h.words, 4) < (tasks ? 2 : 1)) return null;
    return h;
  }

  /**
   * Runs `fn` (registered as `name` in the table given to setThreads) over items 0 ≤ i < n:
   * items from the midpoint on go to the helper when it has the tasks loaded and n ≥ minN.
   */
  task(name: string, fn: KernelTask, n: number, args: number[], minN = 192): void {
    const index = this.tasks?.names.indexOf(name) ?? -1;
    const h = n >= minN && index >= 0 ? this.readyHelper(true) : null;
    const v64 = this.view('f64');
    const v32 = this.view('f32');
    if (!h) {
      fn(v64, v32, 0, n, ...args);
      return;
    }
    const mid = n >> 1;
    this.split(h, 1000 + index, [mid, n, ...args], () => fn(v64, v32, 0, mid, ...args));
  }

  /** Runs export `name` (or task 1000 + i) on the helper with `args` while `own` runs here; returns when both are done. */
  private split(h: Helper, name: Name | number, args: number[], own: () => void): void {
    h.words[2] = typeof name === 'number' ? name : NAMES.indexOf(name);
    h.words[3] = args.length;
    h.args.set(args);
    const seq = ++h.seq;
    Atomics.store(h.words, 0, seq);
    Atomics.notify(h.words, 0, 1);
    try {
      own();
    } finally {
      for (;;) {
        const done = Atomics.load(h.words, 1);
        if (done === seq) break;
        Atomics.wait(h.words, 1, done, 100);
        if (h.failed) fail('INTERNAL', 'eigh: the kernel helper thread stopped.');
      }
    }
    if (h.words[5] !== 0) fail('INTERNAL', `eigh: the kernel helper thread failed in ${typeof name === 'number' ? this.tasks?.names[name - 1000] : name}.`);
  }

  /** The current view for `prec` (replaced after the memory grows). */
  view(prec: 'f64'): Float64Array;
  view(prec: 'f32'): Float32Array;
  view(prec: Prec): HeapView;
  view(prec: Prec): HeapView {
    const buf = this.memory.buffer;
    if (this.views.f64.byteLength !== buf.byteLength) {
      this.views = { f64: new Float64Array(buf), f32: new Float32Array(buf) };
    }
    return this.views[prec];
  }

  /** Reserves `count` elements of `prec` (64-byte aligned, not zeroed); returns their element index. */
  alloc(count: number, prec: Prec): number {
    const es = prec === 'f64' ? 8 : 4;
    const start = Math.ceil(this.top / 64) * 64;
    const end = start + Math.max(1, count) * es;
    if (end > MAX_PAGES * PAGE) fail('UNSUPPORTED', `eigh: the problem needs ${Math.ceil(end / 2 ** 20)} MiB of kernel memory, over the 2 GiB limit of one WebAssembly memory; use a smaller matrix.`);
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    this.top = end;
    return start / es;
  }

  /** The allocation mark, to hand back to {@link release}. */
  mark(): number {
    return this.top;
  }

  /** Frees everything allocated after `mark` (stack order). */
  release(mark: number): void {
    this.top = mark;
  }

  /**
   * C[m×n] += alpha·op(A)·op(B), op(A) m×k (A stored k×m when transA), op(B) k×n (B stored n×k
   * when transB); a, b, c are element indices, lda/ldb/ldc leading dimensions (column-major).
   * Large products are split between the two threads by columns (or rows when n is small).
   */
  gemm(prec: Prec, transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number): void {
    if (m <= 0 || n <= 0 || k <= 0) return;
    const es = prec === 'f64' ? 8 : 4;
    const name: Name = prec === 'f64' ? 'dgemm' : 'sgemm';
    // B read in place when few row blocks would reuse a packed copy (measured: 64×1500×1000
    // 13.8 GFLOP/s in place vs 10.0 packed; 1000×1500×64 12.4 vs 15.7); the same choice for both
    // halves of a split, so the arithmetic never depends on the thread count
    const direct = !transB && m <= 2 * MC ? 1 : 0;
    const args = (t: 0 | 1, mm: number, nn: number, aa: number, bb: number, cc: number): number[] => [+transA, +transB, mm, nn, k, alpha, aa * es, lda, bb * es, ldb, cc * es, ldc, this.pack[t].a[prec] * es, this.pack[t].b[prec] * es, this.zeros[prec] * es, direct];
    const h = m * n * k >= PARALLEL_GEMM_FLOPS ? this.readyHelper() : null;
    const { mr, nr } = GEMM_TILE[prec];
    if (h && n >= 2 * nr && n >= m / 2) {
      const n1 = Math.ceil(n / 2 / nr) * nr;
      const b2 = transB ? b + n1 : b + n1 * ldb;
      this.split(h, name, args(1, m, n - n1, a, b2, c + n1 * ldc), () => this.fns[name](...args(0, m, n1, a, b, c)));
    } else if (h && m >= 2 * mr) {
      const m1 = Math.ceil(m / 2 / mr) * mr;
      const a2 = transA ? a + m1 * lda : a + m1;
      this.split(h, name, args(1, m - m1, n, a2, b, c + m1), () => this.fns[name](...args(0, m1, n, a, b, c)));
    } else {
      this.fns[name](...args(0, m, n, a, b, c));
    }
  }

  /** Copies the m×n block at src (leading dimension lds) to dst (leading dimension ldd). */
  copy(prec: Prec, m: number, n: number, src: number, lds: number, dst: number, ldd: number): void {
    if (m <= 0 || n <= 0) return;
    const es = prec === 'f64' ? 8 : 4;
    this.fns[prec === 'f64' ? 'dcopy2d' : 'scopy2d'](m, n, src * es, 1, lds, dst * es, 1, ldd);
  }

  /** Copies the transpose of the m×n block at src (leading dimension lds) to dst (n×m, leading dimension ldd), in cache tiles. */
  transpose(prec: Prec, m: number, n: number, src: number, lds: number, dst: number, ldd: number): void {
    const es = prec === 'f64' ? 8 : 4;
    const fn = this.fns[prec === 'f64' ? 'dcopy2d' : 'scopy2d'];
    const T = 32;
    for (let j = 0; j < n; j += T) {
      for (let i = 0; i < m; i += T) {
        // dst(j', i') = src(i', j'): element (i', j') of the tile goes to dst + j' + i'·ldd
        fn(Math.min(T, m - i), Math.min(T, n - j), (src + j * lds + i) * es, 1, lds, (dst + i * ldd + j) * es, ldd, 1);
      }
    }
  }

  /** Sets the m×n block at p (leading dimension ld) to zero. */
  zero(prec: Prec, m: number, n: number, p: number, ld: number): void {
    if (m <= 0 || n <= 0) return;
    const h = this.view(prec);
    if (m === ld) h.fill(0, p, p + m * n);
    else for (let j = 0; j < n; j++) h.fill(0, p + j * ld, p + j * ld + m);
  }

  /**
   * y = A·x for the symmetric m×m A whose lower triangle is at a (leading dimension lda). From
   * {@link PARALLEL_SYMV_N} up it is computed in two parts, the columns before j1 ≈ m(1 − 1/√2)
   * and the triangle after it (the same number of entries each), the second on the helper when
   * it is up: the arithmetic is the same either way, so results never depend on thread timing.
   */
  symv(prec: Prec, m: number, a: number, lda: number, x: number, y: number): void {
    const es = prec === 'f64' ? 8 : 4;
    const name: Name = prec === 'f64' ? 'dsymv' : 'ssymv';
    if (m < PARALLEL_SYMV_N) {
      this.fns[name](m, m, a * es, lda, x * es, y * es);
      return;
    }
    const j1 = Math.floor((m * (1 - Math.SQRT1_2)) / 4) * 4;
    const mark = this.mark();
    const y2 = this.alloc(m - j1, prec);
    const second = [m - j1, m - j1, (a + j1 * lda + j1) * es, lda, (x + j1) * es, y2 * es];
    const first = (): void => this.fns[name](m, j1, a * es, lda, x * es, y * es);
    const h = this.readyHelper();
    if (h) {
      this.split(h, name, second, first);
    } else {
      first();
      this.fns[name](...second);
    }
    const v = this.view(prec);
    for (let i = 0; i < m - j1; i++) v[y + j1 + i] += v[y2 + i];
    this.release(mark);
  }

  /** y[0..n) = alpha·Aᵀx for A m×n at a. */
  gemvT(prec: Prec, m: number, n: number, a: number, lda: number, x: number, y: number, alpha = 1): void {
    if (n <= 0) return;
    if (m <= 0) {
      this.view(prec).fill(0, y, y + n);
      return;
    }
    const es = prec === 'f64' ? 8 : 4;
    this.fns[prec === 'f64' ? 'dgemvT' : 'sgemvT'](m, n, a * es, lda, x * es, y * es, alpha);
  }

  /** y[0..m) += alpha·A·x for A m×n at a. */
  gemvN(prec: Prec, m: number, n: number, a: number, lda: number, x: number, y: number, alpha = 1): void {
    if (m <= 0 || n <= 0) return;
    const es = prec === 'f64' ? 8 : 4;
    this.fns[prec === 'f64' ? 'dgemvN' : 'sgemvN'](m, n, a * es, lda, x * es, y * es, alpha);
  }
}

let shared: WasmKernels | undefined;

/** This thread's kernels (compiled and instantiated on first use). */
export function wasmKernels(): WasmKernels {
  shared ??= new WasmKernels();
  return shared;
}
