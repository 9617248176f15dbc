// docs/commands.md and docs/configuration.md are generated from the program and the configuration
// schema (`npm run docs`), so they cannot go stale; and every link of the README and docs/ resolves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { commandsMarkdown, configurationMarkdown } from '../../src/cli/referenceDocs.ts';

test('docs/commands.md is what the program says (regenerate with `npm run docs`)', () => {
  assert.equal(readFileSync('docs/commands.md', 'utf8'), commandsMarkdown());
});

test('docs/configuration.md is what the configuration schema says (regenerate with `npm run docs`)', () => {
  assert.equal(readFileSync('docs/configuration.md', 'utf8'), configurationMarkdown());
});

test('README.md and docs/*.md: every relative link and image resolves to a file (and #anchors to a heading)', () => {
  const pages = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
  const anchors = (file: string) => new Set([...readFileSync(file, 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^\w\- ]/g, '').trim().replace(/ /g, '-')));
  const broken: string[] = [];
  for (const page of pages) {
    const text = readFileSync(page, 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const m of text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/i.test(target)) continue;
      const [file, anchor] = target.split('#');
      const path = file ? join(dirname(page), file) : page;
      if (!existsSync(path)) broken.push(`${page}: ${target}`);
      else if (anchor && path.endsWith('.md') && !anchors(path).has(anchor)) broken.push(`${page}: ${target} (no such heading)`);
    }
  }
  assert.deepEqual(broken, []);
});
