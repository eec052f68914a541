// galactic install-cni: the plugin replaced atomically, the community
// plugins copied only where the node lacks them.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installCni } from './install-main.js';

describe('galactic install-cni', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'galactic-install-cni-'));
    for (const dir of ['node-bin', 'image-bin']) mkdirSync(join(root, dir));
    writeFileSync(join(root, 'galactic-new'), 'new plugin');
    writeFileSync(join(root, 'image-bin', 'host-device'), 'image host-device');
    writeFileSync(join(root, 'image-bin', 'static'), 'image static');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('replaces the plugin, adds a missing delegate, keeps the node\'s own, leaves no temporary file', async () => {
    const nodeBin = join(root, 'node-bin');
    writeFileSync(join(nodeBin, 'galactic'), 'old plugin');
    writeFileSync(join(nodeBin, 'static'), 'node static');
    const written = await installCni({ executable: join(root, 'galactic-new'), dir: nodeBin, pluginsDir: join(root, 'image-bin') });
    expect(written).to.deep.equal([join(nodeBin, 'galactic'), join(nodeBin, 'host-device')]);
    expect(readFileSync(join(nodeBin, 'galactic'), 'utf8')).to.equal('new plugin');
    expect(statSync(join(nodeBin, 'galactic')).mode & 0o777).to.equal(0o755);
    expect(readFileSync(join(nodeBin, 'host-device'), 'utf8')).to.equal('image host-device');
    expect(readFileSync(join(nodeBin, 'static'), 'utf8')).to.equal('node static');
    expect(readdirSync(nodeBin).sort()).to.deep.equal(['galactic', 'host-device', 'static']);
  });

  it('names the missing mount', async () => {
    const error = await installCni({ executable: join(root, 'galactic-new'), dir: join(root, 'absent'), pluginsDir: join(root, 'image-bin') }).catch((e: Error) => e);
    expect((error as Error).message).to.match(/absent does not exist: mount the node's CNI bin directory there/);
  });
});
