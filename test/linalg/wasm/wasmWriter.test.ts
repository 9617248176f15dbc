import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, F64, I32, V128, buildWasmModule } from '../../../src/linalg/wasm/wasmWriter.ts';

test('buildWasmModule([...]) emits a module that validates and runs i32, f64 and f64x2 code on an imported memory', () => {
  // f(p, n): Σ_i mem[p + 8i] · 2 over n doubles, pairs through f64x2 lanes, plus i32 constants
  // whose LEB128 encodings need several bytes (−1, 2^20 + 5)
  const c = new Code([I32, I32], [F64]);
  const i = c.local(I32);
  const acc = c.local(V128);
  c.vZero().set(acc).i32(0).set(i);
  c.block().loop();
  c.get(i).get(1).geS().brIf(1);
  c.get(acc).get(0).get(i).i32(8).mul().add().vLoad(0).get(0).get(i).i32(8).mul().add().vLoad(0).f64x2Add().f64x2Add().set(acc);
  c.get(i).i32(2).add().set(i).br(0);
  c.end().end();
  const s = c.local(F64);
  c.get(acc).f64x2Lane(0).get(acc).f64x2Lane(1).f64Add().set(s);
  // select(s, s·1e300, cond) with cond = (−1 + 2^20 − 6 − 2^20 == 0)
  c.get(s).get(s).f64(1e300).f64Mul().i32(-1).i32(1 << 20).add().i32(6).sub().i32(-(1 << 20)).add().eqz().select();
  const bytes = buildWasmModule([{ name: 'f', code: c }]);
  assert.ok(WebAssembly.validate(bytes));
  const memory = new WebAssembly.Memory({ initial: 1 });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  new Float64Array(memory.buffer, 64, 6).set([1, 2, 3, 4, 5, 6.5]);
  const f = inst.exports.f as (p: number, n: number) => number;
  // −1 + 2^20 − 6 − 2^20 = −7 ≠ 0, so the result is scaled by 1e300: proves every constant decoded
  assert.equal(f(64, 6), 2 * 21.5 * 1e300);
  assert.equal(f(64, 0), 0);
});

test('buildWasmModule(fns, { shared: true }) declares a shared memory that a shared WebAssembly.Memory satisfies', () => {
  const c = new Code([I32], [F64]);
  c.get(0).f64Load(0);
  const bytes = buildWasmModule([{ name: 'load', code: c }], { minPages: 1, maxPages: 4, shared: true });
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  new Float64Array(memory.buffer)[3] = 2.5;
  assert.equal((inst.exports.load as (p: number) => number)(24), 2.5);
  assert.throws(() => new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: new WebAssembly.Memory({ initial: 1 }) } }));
});
