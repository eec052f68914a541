// The README stays true: its generated configuration reference matches the
// code's option definitions, and every command block marked `runnable` runs.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { README, optionsReference, withReference } from '../hack/readme-options.js';
import { REPO } from './support/datapath.js';

const readme = readFileSync(README, 'utf8');

/** Fenced blocks whose info string is `sh runnable`. */
function runnableBlocks(text: string): string[] {
  return [...text.matchAll(/```sh runnable\n([\s\S]*?)```/g)].map((match) => match[1]!.trim());
}

describe('README', () => {
  it('has the configuration reference generated from the option definitions', async () => {
    expect(readme).to.equal(withReference(readme, await optionsReference()), 'run: node --import tsx hack/readme-options.ts --write');
  });

  it('has runnable command blocks', () => {
    expect(runnableBlocks(readme)).to.not.be.empty;
  });

  for (const block of runnableBlocks(readme)) {
    it(`runs: ${block.split('\n')[0]}`, () => {
      execFileSync('bash', ['-euo', 'pipefail', '-c', block], { cwd: REPO, stdio: 'pipe', timeout: 120_000 });
    });
  }
});
