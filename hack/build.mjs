#!/usr/bin/env node
// Builds the self-contained executable dist/galactic (`npm run build`,
// `make build`): Node's single-executable-application support with the
// bundled CLI injected into a copy of this node binary, so a node needs no
// Node.js install.
//
// Start-up matters for the CNI plugin (one process per pod), so the main
// script holds only the CLI and the CNI plugin. Every other subcommand that
// cli/commands.ts loads with import() (router, agent, operator, broker) is
// bundled on its own and embedded as an SEA asset, compiled only when that
// subcommand runs: ADD never parses the Kubernetes client, MQTT, Aedes or
// SQLite. Native addons (better-sqlite3, …) stay external and are required
// from node_modules next to the executable when their subcommand needs them:
// dist/node_modules holds what they need at run time (RUNTIME_PACKAGES), so
// dist/ works wherever it is copied, and the image carries the same files.
//
// Outputs: dist/galactic (the artifact) with dist/node_modules, and its inputs
// dist/galactic.cjs + dist/chunks/*.cjs, which also run without SEA:
// `node dist/galactic.cjs`.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
/** Everything is built here first and moved into dist/ at the end: concurrent builds never see each other's halves. */
const WORK = join(DIST, `.build-${process.pid}`);
const CHUNKS = join(WORK, 'chunks');
const ENTRY = join(ROOT, 'cli/galactic.ts');
const COMMANDS = join(ROOT, 'cli/commands.ts');
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** Bundled into the main script: the per-pod path. */
const IN_MAIN = new Set(['cni/main']);
/**
 * Modules a chunk takes from the main script instead of bundling its own copy:
 * one instance, so `instanceof HelpRequested`/`UsageError` in cli/galactic.ts
 * holds for errors thrown inside a subcommand.
 */
const SHARED = ['lib/options'];
/**
 * Packages the main script imports statically but the CNI path never calls
 * (yaml: config files of the daemons): chunks too, loaded on first use.
 */
const LAZY_PACKAGES = ['yaml'];
/** Native or optional modules: required at run time, never bundled. */
const EXTERNAL = ['better-sqlite3', 'pg-native', 'bufferutil', 'utf-8-validate', 'cpu-features', 'ssh2', 'fsevents'];
/** What the external modules we use load at run time (better-sqlite3: the router's default store), copied to dist/node_modules. */
const RUNTIME_PACKAGES = {
  'better-sqlite3': ['package.json', 'lib', 'build/Release/better_sqlite3.node'],
  bindings: ['package.json', 'bindings.js'],
  'file-uri-to-path': ['package.json', 'index.js'],
};

const log = (line) => process.stderr.write(`build: ${line}\n`);

/** `../router/main.js` (as imported by cli/commands.ts) ⇒ `router/main`. */
const moduleId = (specifier) => relative(ROOT, resolve(dirname(COMMANDS), specifier)).replace(/\.[cm]?[jt]s$/, '');
const chunkName = (id) => id.replaceAll('/', '-');
const sourceOf = (id) => ['.ts', '.mts', '.js', '.mjs'].map((ext) => join(ROOT, `${id}${ext}`)).find((file) => existsSync(file));

/** The subcommand modules cli/commands.ts loads lazily. */
function lazyModules() {
  const text = readFileSync(COMMANDS, 'utf8');
  return [...new Set([...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => moduleId(m[1])))];
}

// Loads a chunk: from the SEA's assets (compiled like a CommonJS module whose
// require resolves next to the executable), or from dist/chunks without SEA.
const LOADER = `
const path = require('node:path');
globalThis.__galacticShared = { ${SHARED.map((id) => `${JSON.stringify(id)}: require(${JSON.stringify(sourceOf(id))})`).join(', ')} };
let sea;
try { sea = require('node:sea'); } catch {}
module.exports = function loadChunk(name) {
  const file = name + '.cjs';
  if (sea && sea.isSea()) {
    const vm = require('node:vm');
    const { createRequire } = require('node:module');
    const filename = path.join(path.dirname(process.execPath), file);
    const code = sea.getAsset(file, 'utf8');
    const wrapper = vm.runInThisContext('(function (exports, require, module, __filename, __dirname) {' + code + '\\n})', { filename });
    const mod = { exports: {}, id: filename, filename, loaded: false };
    wrapper.call(mod.exports, mod.exports, createRequire(filename), mod, filename, path.dirname(filename));
    mod.loaded = true;
    return mod.exports;
  }
  return require(path.join(__dirname, 'chunks', file));
};
/** An object whose properties load the chunk on first access (for a package imported statically). */
module.exports.lazy = function lazyChunk(name, keys) {
  let loaded;
  const target = {};
  for (const key of keys) Object.defineProperty(target, key, { enumerable: true, get: () => (loaded || (loaded = module.exports(name)))[key] });
  return target;
};
`;

const missingChunk = (id) => `
exports.command = { name: ${JSON.stringify(id)}, summary: 'not part of this build', description: '', options: {} };
exports.run = async () => { process.stderr.write('galactic: ${id} was not part of this build (no ${id}.ts when it was built)\\n'); return 1; };
`;

// In a chunk, the SHARED modules resolve to the main script's instances.
const sharedPlugin = {
  name: 'galactic-shared',
  setup(b) {
    b.onResolve({ filter: /^\./ }, (args) => {
      const id = relative(ROOT, resolve(args.resolveDir, args.path)).replace(/\.[cm]?[jt]s$/, '');
      return SHARED.includes(id) ? { path: id, namespace: 'galactic-shared' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'galactic-shared' }, (args) => ({
      contents: `module.exports = globalThis.__galacticShared[${JSON.stringify(args.path)}];`,
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node24',
  external: EXTERNAL,
  // Leftover import() of externals become require(): the SEA's compiled chunks have no ESM loader.
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__galacticImportMetaUrl', 'import.meta.dirname': '__dirname', 'import.meta.filename': '__filename' },
  banner: { js: "var __galacticImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  logOverride: { 'empty-import-meta': 'silent' },
};

const chunkPlugin = {
  name: 'galactic-chunks',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import' || resolve(args.importer) !== COMMANDS) return undefined;
      const id = moduleId(args.path);
      return IN_MAIN.has(id) ? undefined : { path: chunkName(id), namespace: 'galactic-chunk' };
    });
    b.onLoad({ filter: /.*/, namespace: 'galactic-chunk' }, (args) => ({
      contents: `module.exports = require('galactic:chunk-loader')(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
    for (const pkg of LAZY_PACKAGES) {
      b.onResolve({ filter: new RegExp(`^${pkg}$`) }, () => ({ path: pkg, namespace: 'galactic-lazy' }));
    }
    b.onLoad({ filter: /.*/, namespace: 'galactic-lazy' }, (args) => {
      const keys = Object.keys(createRequire(join(ROOT, 'package.json'))(args.path));
      return { contents: `module.exports = require('galactic:chunk-loader').lazy(${JSON.stringify(`pkg-${args.path}`)}, ${JSON.stringify(keys)});`, loader: 'js' };
    });
    b.onResolve({ filter: /^galactic:chunk-loader$/ }, () => ({ path: 'loader', namespace: 'galactic-loader' }));
    b.onLoad({ filter: /.*/, namespace: 'galactic-loader' }, () => ({ contents: LOADER, loader: 'js', resolveDir: ROOT }));
  },
};

async function bundle() {
  mkdirSync(CHUNKS, { recursive: true });
  const chunks = [];
  for (const id of lazyModules().filter((m) => !IN_MAIN.has(m))) {
    const name = chunkName(id);
    const outfile = join(CHUNKS, `${name}.cjs`);
    const source = sourceOf(id);
    if (source) await build({ ...common, entryPoints: [source], outfile, plugins: [sharedPlugin] });
    else {
      log(`warning: ${id} does not exist; 'galactic ${id.split('/')[0]}' will report that it is not part of this build`);
      writeFileSync(outfile, missingChunk(id));
    }
    chunks.push({ name, file: outfile });
  }
  for (const pkg of LAZY_PACKAGES) {
    const outfile = join(CHUNKS, `pkg-${pkg}.cjs`);
    await build({ ...common, stdin: { contents: `module.exports = require(${JSON.stringify(pkg)});`, resolveDir: ROOT, loader: 'js' }, outfile });
    chunks.push({ name: `pkg-${pkg}`, file: outfile });
  }
  const main = await build({ ...common, entryPoints: [ENTRY], outfile: join(WORK, 'galactic.cjs'), plugins: [chunkPlugin], metafile: true });
  writeFileSync(join(WORK, 'galactic.meta.json'), JSON.stringify(main.metafile));
  return chunks;
}

async function singleExecutable(chunks) {
  const blob = join(WORK, 'galactic.blob');
  const seaConfig = join(WORK, 'sea-config.json');
  writeFileSync(
    seaConfig,
    JSON.stringify(
      {
        main: join(WORK, 'galactic.cjs'),
        output: blob,
        disableExperimentalSEAWarning: true,
        useCodeCache: true,
        assets: Object.fromEntries(chunks.map((c) => [`${c.name}.cjs`, c.file])),
      },
      null,
      2,
    ),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], { cwd: ROOT, stdio: 'pipe' }); // throws with its output on failure
  const target = join(WORK, 'galactic');
  copyFileSync(process.execPath, target);
  chmodSync(target, 0o755);
  const { inject } = createRequire(import.meta.url)('postject');
  // postject's LIEF prints harmless "Can't find string offset for section name" warnings through console.
  const { log: consoleLog, warn: consoleWarn } = console;
  console.log = console.warn = () => undefined;
  try {
    await inject(target, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE });
  } finally {
    Object.assign(console, { log: consoleLog, warn: consoleWarn });
  }
}

function runtimePackages() {
  for (const [pkg, parts] of Object.entries(RUNTIME_PACKAGES)) {
    for (const part of parts) cpSync(join(ROOT, 'node_modules', pkg, part), join(WORK, 'node_modules', pkg, part), { recursive: true });
  }
}

/** Moves the outputs into dist/ by rename: a running dist/galactic is replaced, never modified. */
function publish() {
  for (const dir of ['chunks', 'node_modules']) {
    const old = join(DIST, `.old-${dir}-${process.pid}`);
    if (existsSync(join(DIST, dir))) renameSync(join(DIST, dir), old);
    renameSync(join(WORK, dir), join(DIST, dir));
    rmSync(old, { recursive: true, force: true });
  }
  for (const file of ['galactic.cjs', 'galactic.meta.json', 'galactic']) renameSync(join(WORK, file), join(DIST, file));
}

const started = Date.now();
mkdirSync(WORK, { recursive: true });
let chunks;
try {
  chunks = await bundle();
  await singleExecutable(chunks);
  runtimePackages();
  publish();
} finally {
  rmSync(WORK, { recursive: true, force: true });
}
const size = (file) => `${(statSync(file).size / 1024).toFixed(0)} KiB`;
log(`dist/galactic.cjs ${size(join(DIST, 'galactic.cjs'))}, chunks ${chunks.map((c) => `${c.name} ${size(join(DIST, 'chunks', `${c.name}.cjs`))}`).join(', ') || 'none'}`);
log(`dist/galactic ${size(join(DIST, 'galactic'))} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
