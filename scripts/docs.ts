// `npm run docs`: writes docs/commands.md and docs/configuration.md from the program and the
// configuration schema (test/architecture/referenceDocs.test.ts fails when they differ).
import { writeFileSync } from 'node:fs';
import { commandsMarkdown, configurationMarkdown } from '../src/cli/referenceDocs.ts';

writeFileSync('docs/commands.md', commandsMarkdown());
writeFileSync('docs/configuration.md', configurationMarkdown());
console.log('wrote docs/commands.md and docs/configuration.md');
