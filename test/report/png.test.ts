import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { crc32, encodePng } from '../../src/report/index.ts';

test('crc32(bytes) equals zlib.crc32', () => {
  const bytes = new Uint8Array(1000).map((_, i) => (i * 7919) & 255);
  assert.equal(crc32(bytes), zlibCrc32(bytes));
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
});

test('encodePng(rgb, 3, 2) writes IHDR 3×2 RGB and rows that inflate back to the pixels', () => {
  const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  const png = Buffer.from(encodePng(rgb, 3, 2));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  assert.equal(png.readUInt32BE(16), 3);
  assert.equal(png.readUInt32BE(20), 2);
  assert.equal(png[24], 8);
  assert.equal(png[25], 2);
  const idatLen = png.readUInt32BE(33);
  assert.equal(png.toString('latin1', 37, 41), 'IDAT');
  const raw = inflateSync(png.subarray(41, 41 + idatLen));
  assert.deepEqual([...raw], [0, ...rgb.subarray(0, 9), 0, ...rgb.subarray(9)]);
});

const pil = spawnSync('/usr/bin/python3', ['-c', 'import PIL']).status === 0;
test('encodePng output opens in Pillow with the same pixels', { skip: pil ? false : 'Pillow (python3-pil) not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-png-'));
  const rgb = new Uint8Array(5 * 4 * 3).map((_, i) => (i * 37) & 255);
  writeFileSync(join(dir, 'a.png'), encodePng(rgb, 5, 4));
  const r = spawnSync('/usr/bin/python3', ['-c', `from PIL import Image; im = Image.open('${join(dir, 'a.png')}'); print(im.size, im.mode, list(im.getdata())[7])`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), `(5, 4) RGB (${rgb[21]}, ${rgb[22]}, ${rgb[23]})`);
});

test('encodePng(wrong length) throws a RangeError', () => {
  assert.throws(() => encodePng(new Uint8Array(5), 2, 2), RangeError);
});
