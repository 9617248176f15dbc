/**
 * A minimal WebAssembly binary writer: enough of the format (types, one imported memory,
 * functions, exports; i32/f32/f64/v128 instructions) to emit the numeric kernels of
 * `kernels.ts` from TypeScript, so the compiled kernels are rebuilt from this repository at
 * run time and need no toolchain (no clang, wabt or emscripten) to reproduce.
 * Section and opcode numbers follow the WebAssembly 2.0 core specification (with fixed-width SIMD).
 */

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

function uleb(out: number[], v: number): void {
  let x = v >>> 0;
  do {
    let b = x & 0x7f;
    x >>>= 7;
    if (x !== 0) b |= 0x80;
    out.push(b);
  } while (x !== 0);
}

function sleb(out: number[], v: number): void {
  let x = v | 0;
  for (;;) {
    const b = x & 0x7f;
    x >>= 7;
    if ((x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

/**
 * The body of one function: params are locals 0..params-1; `local(type)` adds more. Methods
 * append instructions and return `this`, so code reads top to bottom like the text format.
 */
export class Code {
  readonly bytes: number[] = [];
  readonly locals: ValType[] = [];
  constructor(readonly params: ValType[], readonly results: ValType[] = []) {}
  /** A new local of `type`; returns its index. */
  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }
  private op(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }
  private simd(code: number): this {
    this.bytes.push(0xfd);
    uleb(this.bytes, code);
    return this;
  }
  private memarg(align: number, offset: number): this {
    uleb(this.bytes, align);
    uleb(this.bytes, offset);
    return this;
  }
  get(i: number): this {
    this.op(0x20);
    uleb(this.bytes, i);
    return this;
  }
  set(i: number): this {
    this.op(0x21);
    uleb(this.bytes, i);
    return this;
  }
  tee(i: number): this {
    this.op(0x22);
    uleb(this.bytes, i);
    return this;
  }
  i32(v: number): this {
    this.op(0x41);
    sleb(this.bytes, v);
    return this;
  }
  f64(v: number): this {
    this.op(0x44);
    const b = new Uint8Array(new Float64Array([v]).buffer);
    return this.op(...b);
  }
  f32(v: number): this {
    this.op(0x43);
    const b = new Uint8Array(new Float32Array([v]).buffer);
    return this.op(...b);
  }
  // control
  block(): this {
    return this.op(0x02, 0x40);
  }
  loop(): this {
    return this.op(0x03, 0x40);
  }
  if(): this {
    return this.op(0x04, 0x40);
  }
  else(): this {
    return this.op(0x05);
  }
  end(): this {
    return this.op(0x0b);
  }
  br(depth: number): this {
    this.op(0x0c);
    uleb(this.bytes, depth);
    return this;
  }
  brIf(depth: number): this {
    this.op(0x0d);
    uleb(this.bytes, depth);
    return this;
  }
  drop(): this {
    return this.op(0x1a);
  }
  /** select(a, b, cond): a if cond ≠ 0, else b. */
  select(): this {
    return this.op(0x1b);
  }
  call(fn: number): this {
    this.op(0x10);
    uleb(this.bytes, fn);
    return this;
  }
  return(): this {
    return this.op(0x0f);
  }
  // i32
  add(): this {
    return this.op(0x6a);
  }
  sub(): this {
    return this.op(0x6b);
  }
  mul(): this {
    return this.op(0x6c);
  }
  shl(): this {
    return this.op(0x74);
  }
  and(): this {
    return this.op(0x71);
  }
  eqz(): this {
    return this.op(0x45);
  }
  eq(): this {
    return this.op(0x46);
  }
  ne(): this {
    return this.op(0x47);
  }
  ltS(): this {
    return this.op(0x48);
  }
  gtS(): this {
    return this.op(0x4a);
  }
  leS(): this {
    return this.op(0x4c);
  }
  geS(): this {
    return this.op(0x4e);
  }
  // scalar floats
  f64Load(offset = 0): this {
    return this.op(0x2b).memarg(3, offset);
  }
  f64Store(offset = 0): this {
    return this.op(0x39).memarg(3, offset);
  }
  f32Load(offset = 0): this {
    return this.op(0x2a).memarg(2, offset);
  }
  f32Store(offset = 0): this {
    return this.op(0x38).memarg(2, offset);
  }
  f64Add(): this {
    return this.op(0xa0);
  }
  f64Sub(): this {
    return this.op(0xa1);
  }
  f64Mul(): this {
    return this.op(0xa2);
  }
  f32Add(): this {
    return this.op(0x92);
  }
  f32Sub(): this {
    return this.op(0x93);
  }
  f32Mul(): this {
    return this.op(0x94);
  }
  f64PromoteF32(): this {
    return this.op(0xbb);
  }
  f32DemoteF64(): this {
    return this.op(0xb6);
  }
  // SIMD (alignment hint 0: operands are often only element-aligned)
  vLoad(offset = 0): this {
    return this.simd(0x00).memarg(0, offset);
  }
  vStore(offset = 0): this {
    return this.simd(0x0b).memarg(0, offset);
  }
  vLoad64Splat(offset = 0): this {
    return this.simd(0x0a).memarg(0, offset);
  }
  vLoad32Splat(offset = 0): this {
    return this.simd(0x09).memarg(0, offset);
  }
  vZero(): this {
    this.simd(0x0c);
    return this.op(...new Array<number>(16).fill(0));
  }
  f64x2Splat(): this {
    return this.simd(0x14);
  }
  f32x4Splat(): this {
    return this.simd(0x13);
  }
  f64x2Lane(lane: number): this {
    return this.simd(0x21).op(lane);
  }
  f32x4Lane(lane: number): this {
    return this.simd(0x1f).op(lane);
  }
  f64x2Add(): this {
    return this.simd(0xf0);
  }
  f64x2Sub(): this {
    return this.simd(0xf1);
  }
  f64x2Mul(): this {
    return this.simd(0xf2);
  }
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Sub(): this {
    return this.simd(0xe5);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
}

/** One exported function. */
export interface WasmFunction {
  name: string;
  code: Code;
}

function section(out: number[], id: number, body: number[]): void {
  out.push(id);
  uleb(out, body.length);
  out.push(...body);
}

function vec(out: number[], items: number[][]): void {
  uleb(out, items.length);
  for (const it of items) out.push(...it);
}

function name(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  const out: number[] = [];
  uleb(out, b.length);
  return out.concat(b);
}

/**
 * A module importing memory `env.memory` (at least `minPages` 64-KiB pages; shared with a
 * maximum of `maxPages` when `shared`) and exporting `fns` by name.
 */
export function buildWasmModule(fns: WasmFunction[], opts: { minPages?: number; maxPages?: number; shared?: boolean } = {}): Uint8Array<ArrayBuffer> {
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  // one type per function (duplicates are allowed and keep the writer simple)
  const types = fns.map(({ code }) => {
    const t = [0x60];
    uleb(t, code.params.length);
    t.push(...code.params);
    uleb(t, code.results.length);
    t.push(...code.results);
    return t;
  });
  const typeSec: number[] = [];
  vec(typeSec, types);
  section(out, 1, typeSec);
  const mem: number[] = [...name('env'), ...name('memory'), 0x02];
  const min = opts.minPages ?? 1;
  if (opts.shared) {
    mem.push(0x03);
    uleb(mem, min);
    uleb(mem, opts.maxPages ?? 65536);
  } else if (opts.maxPages !== undefined) {
    mem.push(0x01);
    uleb(mem, min);
    uleb(mem, opts.maxPages);
  } else {
    mem.push(0x00);
    uleb(mem, min);
  }
  const importSec: number[] = [];
  vec(importSec, [mem]);
  section(out, 2, importSec);
  const funcSec: number[] = [];
  vec(funcSec, fns.map((_, i) => {
    const b: number[] = [];
    uleb(b, i);
    return b;
  }));
  section(out, 3, funcSec);
  const exportSec: number[] = [];
  vec(exportSec, fns.map((f, i) => {
    const b = [...name(f.name), 0x00];
    uleb(b, i);
    return b;
  }));
  section(out, 7, exportSec);
  const codeSec: number[] = [];
  vec(codeSec, fns.map(({ code }) => {
    // locals grouped in runs of one type
    const groups: [number, ValType][] = [];
    for (const t of code.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const body: number[] = [];
    uleb(body, groups.length);
    for (const [count, t] of groups) {
      uleb(body, count);
      body.push(t);
    }
    body.push(...code.bytes, 0x0b);
    const b: number[] = [];
    uleb(b, body.length);
    return b.concat(body);
  }));
  section(out, 10, codeSec);
  return Uint8Array.from(out);
}
