// The method the code cites is in the repository: every `docs/method.md §N` a source file cites
// names a section of docs/method.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|mjs)$/.test(n) ? [p] : [];
  });
}

test('docs/method.md: every section the sources cite exists', () => {
  const method = readFileSync('docs/method.md', 'utf8');
  const sections = new Set([...method.matchAll(/^#{2,3} (\d+(?:\.\d+)?)\.? /gm)].map((m) => m[1]!));
  assert.ok(sections.has('1.4') && sections.has('2') && sections.has('5'));
  const cited: { file: string; section: string }[] = [];
  for (const f of files('src')) {
    for (const m of readFileSync(f, 'utf8').matchAll(/docs\/method\.md ((?:§\d+(?:\.\d+)?(?:[-–]\d+(?:\.\d+)?)?(?:, )?)+)/g)) {
      for (const s of m[1]!.matchAll(/§?(\d+(?:\.\d+)?)/g)) cited.push({ file: f, section: s[1]! });
    }
  }
  assert.ok(cited.length >= 10, `${cited.length} citations found`);
  // numbered list items of §5 are cited as §5.N
  const exists = (s: string) => sections.has(s) || (/^5\.\d$/.test(s) && new RegExp(`^${s.split('.')[1]}\\. `, 'm').test(method.split('## 5.')[1] ?? ''));
  assert.deepEqual(cited.filter((c) => !exists(c.section)), []);
  for (const f of files('src')) assert.doesNotMatch(readFileSync(f, 'utf8'), /\bdomain\.md\b|contracts\.md/, `${f} cites a file that is not in the repository`);
});
