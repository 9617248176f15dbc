import { Code, F32, F64, I32, V128, type ValType } from './wasmWriter.ts';

/**
 * Generators of the WebAssembly SIMD kernels behind the dense eigensolver: a GEMM macro-kernel
 * over packed panels, the symmetric matrix–vector product of a lower triangle, and the two
 * matrix–vector products of a tall panel. Every matrix is column-major with a leading dimension
 * (in elements); every pointer is a byte offset into the module's memory. Each kernel exists for
 * float64 (f64x2 lanes) and float32 (f32x4 lanes); the code is unrolled here, in TypeScript, so
 * register tiles are plain locals that V8 keeps in xmm registers.
 */

/** Element type of a kernel family. */
export type Prec = 'f64' | 'f32';

/** Register tile of the GEMM micro-kernel: MR rows (a multiple of the lane count) × NR columns. */
export const GEMM_TILE: Record<Prec, { mr: number; nr: number }> = {
  // measured on the 2-core Zen 5 machine (best of 15): f64 4×3 ≈ 25 GFLOP/s, 4×4 ≈ 12 (spills);
  // f32 8×3 ≈ 50 GFLOP/s
  f64: { mr: 4, nr: 3 },
  f32: { mr: 8, nr: 3 },
};

interface Ops {
  es: number; // bytes per element
  vl: number; // lanes per v128
  scalar: ValType;
  vadd(c: Code): Code;
  vmul(c: Code): Code;
  splat(c: Code): Code;
  loadSplat(c: Code, offset: number): Code;
  lane(c: Code, l: number): Code;
  load(c: Code, offset: number): Code;
  store(c: Code, offset: number): Code;
  add(c: Code): Code;
  mul(c: Code): Code;
}

const OPS: Record<Prec, Ops> = {
  f64: {
    es: 8,
    vl: 2,
    scalar: F64,
    vadd: (c) => c.f64x2Add(),
    vmul: (c) => c.f64x2Mul(),
    splat: (c) => c.f64x2Splat(),
    loadSplat: (c, o) => c.vLoad64Splat(o),
    lane: (c, l) => c.f64x2Lane(l),
    load: (c, o) => c.f64Load(o),
    store: (c, o) => c.f64Store(o),
    add: (c) => c.f64Add(),
    mul: (c) => c.f64Mul(),
  },
  f32: {
    es: 4,
    vl: 4,
    scalar: F32,
    vadd: (c) => c.f32x4Add(),
    vmul: (c) => c.f32x4Mul(),
    splat: (c) => c.f32x4Splat(),
    loadSplat: (c, o) => c.vLoad32Splat(o),
    lane: (c, l) => c.f32x4Lane(l),
    load: (c, o) => c.f32Load(o),
    store: (c, o) => c.f32Store(o),
    add: (c) => c.f32Add(),
    mul: (c) => c.f32Mul(),
  },
};

/** acc += x·y for v128 locals. */
function fma(c: Code, o: Ops, acc: number, x: number, y: number): void {
  c.get(acc).get(x).get(y);
  o.vmul(c);
  o.vadd(c);
  c.set(acc);
}

/** Sum of the lanes of v128 local `v`, left on the stack as a scalar. */
function hsum(c: Code, o: Ops, v: number): void {
  c.get(v);
  o.lane(c, 0);
  for (let l = 1; l < o.vl; l++) {
    c.get(v);
    o.lane(c, l);
    o.add(c);
  }
}

/**
 * `gemm(mc, nc, kc, pa, pb, pc, ldc, alpha)`: C[mc×nc] += alpha·A·B where A is packed as
 * ⌈mc/MR⌉ panels of kc×MR (row index fastest) and B as ⌈nc/NR⌉ panels of kc×NR (column index
 * fastest), both zero-padded. Full tiles are updated with vector loads and stores; edge tiles
 * lane by lane. kc ≥ 1.
 *
 * With `direct`, B is read in place instead: `gemm(mc, nc, kc, pa, pb, pc, ldc, alpha, ldb, zero)`
 * takes B column-major at pb (leading dimension ldb elements), each micro-tile streaming its NR
 * columns; columns past nc read the kc zeros at `zero`. That saves packing the B operand of
 * products whose B is not transposed (it is read once per row block either way).
 */
export function gemmKernel(prec: Prec, direct = false): Code {
  const o = OPS[prec];
  const { mr: MR, nr: NR } = GEMM_TILE[prec];
  const ES = o.es;
  const T = MR / o.vl;
  const c = new Code(direct ? [I32, I32, I32, I32, I32, I32, I32, o.scalar, I32, I32] : [I32, I32, I32, I32, I32, I32, I32, o.scalar]);
  const [mc, nc, kc, pa, pb, pc, ldc, alpha, ldb, zero] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const jr = c.local(I32);
  const ir = c.local(I32);
  const a = c.local(I32);
  const b = c.local(I32);
  const p = c.local(I32);
  const cp = c.local(I32);
  const bpan = c.local(I32);
  const ldcb = c.local(I32);
  const q = c.local(I32);
  const mrem = c.local(I32);
  const nrem = c.local(I32);
  const ldbb = c.local(I32);
  const bBase = direct ? Array.from({ length: NR }, () => c.local(I32)) : [];
  const bCur = direct ? Array.from({ length: NR }, () => c.local(I32)) : [];
  const av = Array.from({ length: T }, () => c.local(V128));
  const bv = c.local(V128);
  const valpha = c.local(V128);
  const acc = Array.from({ length: NR }, () => Array.from({ length: T }, () => c.local(V128)));
  c.get(ldc).i32(ES).mul().set(ldcb);
  if (direct) c.get(ldb).i32(ES).mul().set(ldbb);
  c.get(alpha);
  o.splat(c).set(valpha);
  c.i32(0).set(jr).get(pb).set(bpan);
  c.block().loop();
  c.get(jr).get(nc).geS().brIf(1);
  if (direct) {
    // column jr + j of B, or the zeros past nc
    for (let j = 0; j < NR; j++) {
      c.get(bpan).get(ldbb).i32(j).mul().add().get(zero).get(jr).i32(j).add().get(nc).ltS().select().set(bBase[j]);
    }
  }
  c.i32(0).set(ir).get(pa).set(a);
  c.block().loop();
  c.get(ir).get(mc).geS().brIf(1);
  for (const row of acc) for (const x of row) c.vZero().set(x);
  if (direct) for (let j = 0; j < NR; j++) c.get(bBase[j]).set(bCur[j]);
  else c.get(bpan).set(b);
  c.get(kc).set(p);
  c.loop();
  for (let t = 0; t < T; t++) c.get(a).vLoad(16 * t).set(av[t]);
  for (let j = 0; j < NR; j++) {
    if (direct) {
      c.get(bCur[j]);
      o.loadSplat(c, 0).set(bv);
    } else {
      c.get(b);
      o.loadSplat(c, ES * j).set(bv);
    }
    for (let t = 0; t < T; t++) fma(c, o, acc[j][t], av[t], bv);
  }
  c.get(a).i32(MR * ES).add().set(a);
  if (direct) for (let j = 0; j < NR; j++) c.get(bCur[j]).i32(ES).add().set(bCur[j]);
  else c.get(b).i32(NR * ES).add().set(b);
  c.get(p).i32(1).sub().tee(p).brIf(0);
  c.end();
  c.get(jr).get(ldcb).mul().get(ir).i32(ES).mul().add().get(pc).add().set(cp);
  c.get(mc).get(ir).sub().set(mrem).get(nc).get(jr).sub().set(nrem);
  c.get(cp).set(q);
  c.get(mrem).i32(MR).geS().get(nrem).i32(NR).geS().and().if();
  for (let j = 0; j < NR; j++) {
    for (let t = 0; t < T; t++) {
      c.get(q).get(q).vLoad(16 * t).get(acc[j][t]).get(valpha);
      o.vmul(c);
      o.vadd(c);
      c.vStore(16 * t);
    }
    c.get(q).get(ldcb).add().set(q);
  }
  c.else();
  for (let j = 0; j < NR; j++) {
    for (let t = 0; t < T; t++) {
      for (let l = 0; l < o.vl; l++) {
        const r = t * o.vl + l;
        c.get(mrem).i32(r).gtS().get(nrem).i32(j).gtS().and().if();
        c.get(q).get(q);
        o.load(c, ES * r).get(acc[j][t]);
        o.lane(c, l).get(alpha);
        o.mul(c);
        o.add(c);
        o.store(c, ES * r);
        c.end();
      }
    }
    c.get(q).get(ldcb).add().set(q);
  }
  c.end();
  c.get(ir).i32(MR).add().set(ir);
  c.br(0);
  c.end().end();
  if (direct) c.get(bpan).get(ldbb).i32(NR).mul().add().set(bpan);
  else c.get(bpan).get(kc).i32(NR * ES).mul().add().set(bpan);
  c.get(jr).i32(NR).add().set(jr);
  c.br(0);
  c.end().end();
  return c;
}

/**
 * `symv(m, ncols, pa, lda, px, py)`: y = A·x for the symmetric m×m matrix whose lower triangle
 * (diagonal included) is stored at pa, counting only the lower-triangle entries of columns
 * j < ncols (ncols = m: the whole product; a smaller ncols lets two threads split one product).
 * The upper triangle is not read. Four columns per pass: each element of the strict lower part
 * is loaded once and used for both y[i] += a·x[j] and y[j] += a·x[i].
 */
export function symvKernel(prec: Prec): Code {
  const o = OPS[prec];
  const ES = o.es;
  const VL = o.vl;
  const W = 4; // columns per pass
  const c = new Code([I32, I32, I32, I32, I32, I32]);
  const [m, ncols, pa, lda, px, py] = [0, 1, 2, 3, 4, 5];
  const j = c.local(I32);
  const i = c.local(I32);
  const ldab = c.local(I32);
  const col = c.local(I32); // address of A(i, j) while walking rows
  const xi = c.local(I32);
  const yi = c.local(I32);
  const colj = c.local(I32); // address of A(j, j)
  const xs = Array.from({ length: W }, () => c.local(V128));
  const ss = Array.from({ length: W }, () => c.local(V128));
  const av = Array.from({ length: W }, () => c.local(V128));
  const yv = c.local(V128);
  const xv = c.local(V128);
  const t = c.local(o.scalar);
  c.get(lda).i32(ES).mul().set(ldab);
  // y = 0
  c.i32(0).set(i);
  c.block().loop();
  c.get(i).get(m).geS().brIf(1);
  c.get(py).get(i).i32(ES).mul().add();
  if (o.scalar === F64) c.f64(0);
  else c.f32(0);
  o.store(c, 0);
  c.get(i).i32(1).add().set(i).br(0);
  c.end().end();
  c.i32(0).set(j).get(pa).set(colj);
  // passes of W columns
  c.block().loop();
  c.get(j).i32(W).add().get(ncols).gtS().brIf(1);
  // diagonal W×W block, scalar: y[j+r] += A(j+r, j+k)·x[j+k] (+ the mirrored term off the diagonal)
  for (let k = 0; k < W; k++) {
    for (let r = k; r < W; r++) {
      // t = A(j+r, j+k)
      c.get(colj).get(ldab).i32(k).mul().add();
      o.load(c, ES * r).set(t);
      // y[j+r] += t·x[j+k]
      c.get(py).get(j).i32(ES).mul().add().tee(yi).get(yi);
      o.load(c, ES * r).get(t).get(px).get(j).i32(ES).mul().add();
      o.load(c, ES * k);
      o.mul(c);
      o.add(c);
      o.store(c, ES * r);
      if (r !== k) {
        c.get(yi).get(yi);
        o.load(c, ES * k).get(t).get(px).get(j).i32(ES).mul().add();
        o.load(c, ES * r);
        o.mul(c);
        o.add(c);
        o.store(c, ES * k);
      }
    }
  }
  for (let k = 0; k < W; k++) {
    c.get(px).get(j).i32(ES).mul().add();
    o.loadSplat(c, ES * k).set(xs[k]);
    c.vZero().set(ss[k]);
  }
  // rows i = j+W .. m-1 in vectors of VL, then a scalar tail
  c.get(j).i32(W).add().set(i);
  c.get(colj).get(i).get(j).sub().i32(ES).mul().add().set(col);
  c.get(px).get(i).i32(ES).mul().add().set(xi);
  c.get(py).get(i).i32(ES).mul().add().set(yi);
  c.block().loop();
  c.get(i).i32(VL).add().get(m).gtS().brIf(1);
  c.get(yi).vLoad(0).set(yv);
  c.get(xi).vLoad(0).set(xv);
  for (let k = 0; k < W; k++) {
    c.get(col);
    if (k > 0) c.get(ldab).i32(k).mul().add();
    c.vLoad(0).set(av[k]);
    fma(c, o, yv, av[k], xs[k]);
    fma(c, o, ss[k], av[k], xv);
  }
  c.get(yi).get(yv).vStore(0);
  c.get(i).i32(VL).add().set(i);
  c.get(col).i32(16).add().set(col);
  c.get(xi).i32(16).add().set(xi);
  c.get(yi).i32(16).add().set(yi);
  c.br(0);
  c.end().end();
  // scalar tail rows
  c.block().loop();
  c.get(i).get(m).geS().brIf(1);
  for (let k = 0; k < W; k++) {
    c.get(col);
    if (k > 0) c.get(ldab).i32(k).mul().add();
    o.load(c, 0).set(t);
    c.get(yi).get(yi);
    o.load(c, 0).get(t).get(xs[k]);
    o.lane(c, 0);
    o.mul(c);
    o.add(c);
    o.store(c, 0);
    // ss[k] lane 0 is not reused as a vector here: fold the scalar into y[j+k] directly
    c.get(py).get(j).i32(ES).mul().add().get(py).get(j).i32(ES).mul().add();
    o.load(c, ES * k).get(t).get(xi);
    o.load(c, 0);
    o.mul(c);
    o.add(c);
    o.store(c, ES * k);
  }
  c.get(i).i32(1).add().set(i);
  c.get(col).i32(ES).add().set(col);
  c.get(xi).i32(ES).add().set(xi);
  c.get(yi).i32(ES).add().set(yi);
  c.br(0);
  c.end().end();
  for (let k = 0; k < W; k++) {
    c.get(py).get(j).i32(ES).mul().add().get(py).get(j).i32(ES).mul().add();
    o.load(c, ES * k);
    hsum(c, o, ss[k]);
    o.add(c);
    o.store(c, ES * k);
  }
  c.get(j).i32(W).add().set(j);
  c.get(colj).get(ldab).i32(W).mul().add().i32(W * ES).add().set(colj);
  c.br(0);
  c.end().end();
  // the last < W columns, one at a time and scalar: column j has rows j..m-1
  c.block().loop();
  c.get(j).get(ncols).geS().brIf(1);
  // y[j] += A(j,j)·x[j]
  c.get(py).get(j).i32(ES).mul().add().tee(yi).get(yi);
  o.load(c, 0).get(colj);
  o.load(c, 0).get(px).get(j).i32(ES).mul().add();
  o.load(c, 0);
  o.mul(c);
  o.add(c);
  o.store(c, 0);
  c.get(j).i32(1).add().set(i);
  c.block().loop();
  c.get(i).get(m).geS().brIf(1);
  // t = A(i, j)
  c.get(colj).get(i).get(j).sub().i32(ES).mul().add();
  o.load(c, 0).set(t);
  // y[i] += t·x[j]
  c.get(py).get(i).i32(ES).mul().add().tee(col).get(col);
  o.load(c, 0).get(t).get(px).get(j).i32(ES).mul().add();
  o.load(c, 0);
  o.mul(c);
  o.add(c);
  o.store(c, 0);
  // y[j] += t·x[i]
  c.get(yi).get(yi);
  o.load(c, 0).get(t).get(px).get(i).i32(ES).mul().add();
  o.load(c, 0);
  o.mul(c);
  o.add(c);
  o.store(c, 0);
  c.get(i).i32(1).add().set(i).br(0);
  c.end().end();
  c.get(j).i32(1).add().set(j);
  c.get(colj).get(ldab).add().i32(ES).add().set(colj);
  c.br(0);
  c.end().end();
  return c;
}

/**
 * `gemvT(m, n, pa, lda, px, py, alpha)`: y[j] = alpha·Σ_i A(i,j)·x[i] for j < n (A is m×n),
 * two columns per pass so each x load serves both.
 */
export function gemvTKernel(prec: Prec): Code {
  const o = OPS[prec];
  const ES = o.es;
  const VL = o.vl;
  const c = new Code([I32, I32, I32, I32, I32, I32, o.scalar]);
  const [m, n, pa, lda, px, py, alpha] = [0, 1, 2, 3, 4, 5, 6];
  const j = c.local(I32);
  const i = c.local(I32);
  const c0 = c.local(I32);
  const c1 = c.local(I32);
  const ldab = c.local(I32);
  const mv = c.local(I32); // m rounded down to lanes
  const s0 = c.local(V128);
  const s1 = c.local(V128);
  const xv = c.local(V128);
  const t0 = c.local(o.scalar);
  const t1 = c.local(o.scalar);
  const xs = c.local(o.scalar);
  c.get(lda).i32(ES).mul().set(ldab);
  c.get(m).i32(-VL).and().set(mv);
  c.i32(0).set(j);
  c.block().loop();
  c.get(j).get(n).geS().brIf(1);
  c.get(pa).get(j).get(ldab).mul().add().set(c0);
  c.get(c0).get(ldab).add().set(c1);
  c.vZero().set(s0).vZero().set(s1);
  c.i32(0).set(i);
  const twoCols = (): void => {
    c.block().loop();
    c.get(i).get(mv).geS().brIf(1);
    c.get(px).get(i).i32(ES).mul().add().vLoad(0).set(xv);
    c.get(s0).get(c0).get(i).i32(ES).mul().add().vLoad(0).get(xv);
    o.vmul(c);
    o.vadd(c);
    c.set(s0);
    c.get(s1).get(c1).get(i).i32(ES).mul().add().vLoad(0).get(xv);
    o.vmul(c);
    o.vadd(c);
    c.set(s1);
    c.get(i).i32(VL).add().set(i).br(0);
    c.end().end();
  };
  const oneCol = (): void => {
    c.block().loop();
    c.get(i).get(mv).geS().brIf(1);
    c.get(s0).get(c0).get(i).i32(ES).mul().add().vLoad(0).get(px).get(i).i32(ES).mul().add().vLoad(0);
    o.vmul(c);
    o.vadd(c);
    c.set(s0);
    c.get(i).i32(VL).add().set(i).br(0);
    c.end().end();
  };
  c.get(j).i32(1).add().get(n).ltS().if();
  twoCols();
  c.else();
  oneCol();
  c.end();
  hsum(c, o, s0);
  c.set(t0);
  hsum(c, o, s1);
  c.set(t1);
  // scalar tail rows
  c.block().loop();
  c.get(i).get(m).geS().brIf(1);
  c.get(px).get(i).i32(ES).mul().add();
  o.load(c, 0).set(xs);
  c.get(t0).get(c0).get(i).i32(ES).mul().add();
  o.load(c, 0).get(xs);
  o.mul(c);
  o.add(c);
  c.set(t0);
  c.get(j).i32(1).add().get(n).ltS().if();
  c.get(t1).get(c1).get(i).i32(ES).mul().add();
  o.load(c, 0).get(xs);
  o.mul(c);
  o.add(c);
  c.set(t1);
  c.end();
  c.get(i).i32(1).add().set(i).br(0);
  c.end().end();
  c.get(py).get(j).i32(ES).mul().add().get(t0).get(alpha);
  o.mul(c);
  o.store(c, 0);
  c.get(j).i32(1).add().get(n).ltS().if();
  c.get(py).get(j).i32(ES).mul().add().get(t1).get(alpha);
  o.mul(c);
  o.store(c, ES);
  c.end();
  c.get(j).i32(2).add().set(j).br(0);
  c.end().end();
  return c;
}

/**
 * `gemvN(m, n, pa, lda, px, py, alpha)`: y[i] += alpha·Σ_j A(i,j)·x[j] for i < m (A is m×n),
 * two columns per pass so each y load and store serves both.
 */
export function gemvNKernel(prec: Prec): Code {
  const o = OPS[prec];
  const ES = o.es;
  const VL = o.vl;
  const c = new Code([I32, I32, I32, I32, I32, I32, o.scalar]);
  const [m, n, pa, lda, px, py, alpha] = [0, 1, 2, 3, 4, 5, 6];
  const j = c.local(I32);
  const i = c.local(I32);
  const c0 = c.local(I32);
  const c1 = c.local(I32);
  const ldab = c.local(I32);
  const mv = c.local(I32);
  const x0 = c.local(V128);
  const x1 = c.local(V128);
  const yv = c.local(V128);
  const s0 = c.local(o.scalar);
  const s1 = c.local(o.scalar);
  c.get(lda).i32(ES).mul().set(ldab);
  c.get(m).i32(-VL).and().set(mv);
  c.i32(0).set(j);
  c.block().loop();
  c.get(j).get(n).geS().brIf(1);
  c.get(pa).get(j).get(ldab).mul().add().set(c0);
  c.get(c0).get(ldab).add().set(c1);
  // s0 = alpha·x[j], s1 = alpha·x[j+1] (0 past the end, so one code path serves an odd n)
  c.get(px).get(j).i32(ES).mul().add();
  o.load(c, 0).get(alpha);
  o.mul(c);
  c.set(s0);
  c.get(j).i32(1).add().get(n).ltS().if();
  c.get(px).get(j).i32(ES).mul().add();
  o.load(c, ES).get(alpha);
  o.mul(c);
  c.set(s1);
  c.else();
  if (o.scalar === F64) c.f64(0);
  else c.f32(0);
  c.set(s1);
  // point the second column at the first (its weight is 0)
  c.get(c0).set(c1);
  c.end();
  c.get(s0);
  o.splat(c).set(x0);
  c.get(s1);
  o.splat(c).set(x1);
  c.i32(0).set(i);
  c.block().loop();
  c.get(i).get(mv).geS().brIf(1);
  c.get(py).get(i).i32(ES).mul().add().vLoad(0).set(yv);
  c.get(c0).get(i).i32(ES).mul().add().vLoad(0).get(x0);
  o.vmul(c);
  c.get(c1).get(i).i32(ES).mul().add().vLoad(0).get(x1);
  o.vmul(c);
  o.vadd(c);
  c.get(yv);
  o.vadd(c);
  c.set(yv);
  c.get(py).get(i).i32(ES).mul().add().get(yv).vStore(0);
  c.get(i).i32(VL).add().set(i).br(0);
  c.end().end();
  c.block().loop();
  c.get(i).get(m).geS().brIf(1);
  c.get(py).get(i).i32(ES).mul().add().get(py).get(i).i32(ES).mul().add();
  o.load(c, 0).get(c0).get(i).i32(ES).mul().add();
  o.load(c, 0).get(s0);
  o.mul(c);
  c.get(c1).get(i).i32(ES).mul().add();
  o.load(c, 0).get(s1);
  o.mul(c);
  o.add(c);
  o.add(c);
  o.store(c, 0);
  c.get(i).i32(1).add().set(i).br(0);
  c.end().end();
  c.get(j).i32(2).add().set(j).br(0);
  c.end().end();
  return c;
}

/**
 * `copy2d(n1, n2, src, s1, s2, dst, d1, d2)`: dst[i·d1 + j·d2] = src[i·s1 + j·s2] for i < n1,
 * j < n2 (strides in elements, i fastest). Packs GEMM operands in every transpose.
 */
export function copy2dKernel(prec: Prec): Code {
  const o = OPS[prec];
  const ES = o.es;
  const c = new Code([I32, I32, I32, I32, I32, I32, I32, I32]);
  const [n1, n2, src, s1, s2, dst, d1, d2] = [0, 1, 2, 3, 4, 5, 6, 7];
  const i = c.local(I32);
  const j = c.local(I32);
  const sp = c.local(I32);
  const dp = c.local(I32);
  for (const s of [s1, s2, d1, d2]) c.get(s).i32(ES).mul().set(s);
  c.i32(0).set(j);
  c.block().loop();
  c.get(j).get(n2).geS().brIf(1);
  c.get(src).get(j).get(s2).mul().add().set(sp);
  c.get(dst).get(j).get(d2).mul().add().set(dp);
  c.i32(0).set(i);
  c.block().loop();
  c.get(i).get(n1).geS().brIf(1);
  c.get(dp).get(sp);
  o.load(c, 0);
  o.store(c, 0);
  c.get(sp).get(s1).add().set(sp);
  c.get(dp).get(d1).add().set(dp);
  c.get(i).i32(1).add().set(i).br(0);
  c.end().end();
  c.get(j).i32(1).add().set(j).br(0);
  c.end().end();
  return c;
}

/** GEMM cache blocking (elements): an A block MC×KC stays in L2, a B micro-panel KC×NR in L1. */
export const GEMM_BLOCK = { mc: 128, kc: 256, nc: 1536 };

/**
 * `gemmDriver(tA, tB, m, n, k, alpha, a, lda, b, ldb, c, ldc, pa, pb, zero, direct)`: C[m×n] +=
 * alpha·op(A)·op(B) (column-major, leading dimensions in elements, a/b/c/pa/pb/zero byte
 * addresses; pa and pb are pack buffers of MC·KC and (NC + NR)·KC elements, zero KC zeros).
 * Loops over NC column blocks, KC slices of k and MC row blocks, packing op(A) (and a transposed
 * B) into the micro-kernel's panel layout (zero-padded) and calling `macro` on each block, or
 * with `direct` (B not transposed) `macroDirect`, which reads B in place; `copy` is the index of
 * {@link copy2dKernel}.
 */
export function gemmDriverKernel(prec: Prec, fn: { macro: number; macroDirect: number; copy: number }): Code {
  const o = OPS[prec];
  const ES = o.es;
  const { mr: MR, nr: NR } = GEMM_TILE[prec];
  const { mc: MC, kc: KC, nc: NC } = GEMM_BLOCK;
  const c = new Code([I32, I32, I32, I32, I32, o.scalar, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const [tA, tB, m, n, k, alpha, a, lda, b, ldb, cc, ldc, pa, pb, zero, direct] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
  const jc = c.local(I32);
  const nc = c.local(I32);
  const pc = c.local(I32);
  const kc = c.local(I32);
  const ic = c.local(I32);
  const mc = c.local(I32);
  const x0 = c.local(I32); // panel start inside a block
  const rem = c.local(I32); // rows / columns of this panel
  const dst = c.local(I32);
  const src = c.local(I32);
  const p = c.local(I32);
  const q = c.local(I32);
  const v0 = c.local(V128);
  const v1 = c.local(V128);
  /** local = min(cap, total − start) */
  const minRem = (out: number, cap: number, total: number, start: number): void => {
    c.get(total).get(start).sub().set(out);
    c.i32(cap).get(out).get(out).i32(cap).gtS().select().set(out);
  };
  /** zero kc·count elements from dst */
  const zeroPanel = (count: number): void => {
    c.get(dst).set(q);
    c.get(dst).get(kc).i32(count * ES).mul().add().set(p); // end
    c.block().loop();
    c.get(q).get(p).geS().brIf(1);
    c.get(q);
    if (prec === 'f64') c.f64(0);
    else c.f32(0);
    o.store(c, 0);
    c.get(q).i32(ES).add().set(q).br(0);
    c.end().end();
  };
  if (MR * ES !== 32) throw new Error('gemmDriverKernel: the full-panel copy assumes MR·ES = 32 bytes');
  c.i32(0).set(jc);
  c.block().loop();
  c.get(jc).get(n).geS().brIf(1);
  minRem(nc, NC, n, jc);
  c.i32(0).set(pc);
  c.block().loop();
  c.get(pc).get(k).geS().brIf(1);
  minRem(kc, KC, k, pc);
  // pack B: NR-column panels (unless the direct macro-kernel reads B in place)
  c.i32(0).set(x0);
  c.get(direct).if();
  c.get(nc).set(x0); // nothing to pack
  c.end();
  c.block().loop();
  c.get(x0).get(nc).geS().brIf(1);
  minRem(rem, NR, nc, x0);
  c.get(pb).get(x0).get(kc).mul().i32(ES).mul().add().set(dst);
  c.get(rem).i32(NR).ltS().if();
  zeroPanel(NR);
  c.end();
  c.get(tB).if();
  // op(B)(p, j) = B[p·ldb + j]: copy rem contiguous per p
  c.get(b).get(pc).get(ldb).mul().get(jc).add().get(x0).add().i32(ES).mul().add().set(src);
  c.get(rem).get(kc).get(src).i32(1).get(ldb).get(dst).i32(1).i32(NR).call(fn.copy);
  c.else();
  c.get(b).get(jc).get(x0).add().get(ldb).mul().get(pc).add().i32(ES).mul().add().set(src);
  c.get(kc).get(rem).get(src).i32(1).get(ldb).get(dst).i32(NR).i32(1).call(fn.copy);
  c.end();
  c.get(x0).i32(NR).add().set(x0).br(0);
  c.end().end();
  c.i32(0).set(ic);
  c.block().loop();
  c.get(ic).get(m).geS().brIf(1);
  minRem(mc, MC, m, ic);
  // pack A: MR-row panels
  c.i32(0).set(x0);
  c.block().loop();
  c.get(x0).get(mc).geS().brIf(1);
  minRem(rem, MR, mc, x0);
  c.get(pa).get(x0).get(kc).mul().i32(ES).mul().add().set(dst);
  c.get(tA).if();
  c.get(rem).i32(MR).ltS().if();
  zeroPanel(MR);
  c.end();
  // op(A)(i, p) = A[i·lda + p]
  c.get(a).get(ic).get(x0).add().get(lda).mul().get(pc).add().i32(ES).mul().add().set(src);
  c.get(kc).get(rem).get(src).i32(1).get(lda).get(dst).i32(MR).i32(1).call(fn.copy);
  c.else();
  c.get(a).get(pc).get(lda).mul().get(ic).add().get(x0).add().i32(ES).mul().add().set(src);
  c.get(rem).i32(MR).eq().if();
  // full panel: MR contiguous elements (two v128) per p
  c.get(dst).get(kc).i32(MR * ES).mul().add().set(p); // end of the panel
  c.block().loop();
  c.get(dst).get(p).geS().brIf(1);
  c.get(src).vLoad(0).set(v0);
  c.get(src).vLoad(16).set(v1);
  c.get(dst).get(v0).vStore(0);
  c.get(dst).get(v1).vStore(16);
  c.get(src).get(lda).i32(ES).mul().add().set(src);
  c.get(dst).i32(MR * ES).add().set(dst);
  c.br(0);
  c.end().end();
  c.else();
  zeroPanel(MR);
  c.get(rem).get(kc).get(src).i32(1).get(lda).get(dst).i32(1).i32(MR).call(fn.copy);
  c.end();
  c.end();
  c.get(x0).i32(MR).add().set(x0).br(0);
  c.end().end();
  c.get(direct).if();
  c.get(mc).get(nc).get(kc).get(pa);
  c.get(b).get(jc).get(ldb).mul().get(pc).add().i32(ES).mul().add();
  c.get(cc).get(jc).get(ldc).mul().get(ic).add().i32(ES).mul().add();
  c.get(ldc).get(alpha).get(ldb).get(zero).call(fn.macroDirect);
  c.else();
  c.get(mc).get(nc).get(kc).get(pa).get(pb);
  c.get(cc).get(jc).get(ldc).mul().get(ic).add().i32(ES).mul().add();
  c.get(ldc).get(alpha).call(fn.macro);
  c.end();
  c.get(ic).i32(MC).add().set(ic).br(0);
  c.end().end();
  c.get(pc).i32(KC).add().set(pc).br(0);
  c.end().end();
  c.get(jc).i32(NC).add().set(jc).br(0);
  c.end().end();
  return c;
}
