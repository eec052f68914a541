// The README's configuration reference, generated from the commands' own
// option definitions so it cannot drift: `node --import tsx hack/readme-options.ts --write`.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { commands } from '../cli/commands.js';
import { formatOptionsMarkdown } from '../lib/options.js';

export const README = resolve(import.meta.dirname, '../README.md');
const BEGIN = '<!-- BEGIN generated options (hack/readme-options.ts) -->';
const END = '<!-- END generated options -->';

export async function optionsReference(): Promise<string> {
  const sections: string[] = [];
  for (const [name, entry] of Object.entries(commands)) {
    if (name === 'cni') continue; // configured by the NAD, not by flags
    sections.push(formatOptionsMarkdown((await entry.load()).command));
  }
  return sections.join('\n\n');
}

/** README text with the generated block replaced by `reference`. */
export function withReference(readme: string, reference: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${BEGIN} … ${END} markers`);
  return `${readme.slice(0, start + BEGIN.length)}\n${reference}\n${readme.slice(end)}`;
}

if (process.argv.includes('--write')) {
  const readme = readFileSync(README, 'utf8');
  writeFileSync(README, withReference(readme, await optionsReference()));
}
