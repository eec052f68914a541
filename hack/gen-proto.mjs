#!/usr/bin/env node
// Generates static protobufjs modules (proto/gen/*.js + .d.ts) from proto/*.proto.
// Run after editing a .proto: `npm run proto`. The output is committed so a
// build needs no code generation step.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const bin = (name) => `node_modules/.bin/${name}`;
mkdirSync('proto/gen', { recursive: true });
for (const name of ['remote', 'local']) {
  const js = `proto/gen/${name}.js`;
  execFileSync(bin('pbjs'), ['-t', 'static-module', '-w', 'es6', '--no-verify', '--no-delimited', '--no-beautify', '-o', js, `proto/${name}.proto`], { stdio: 'inherit' });
  // Node's ESM resolver needs the file extension of protobufjs's subpath.
  writeFileSync(js, readFileSync(js, 'utf8').replace('import * as $protobuf from "protobufjs/minimal"', 'import $protobuf from "protobufjs/minimal.js"'));
  execFileSync(bin('pbts'), ['-o', `proto/gen/${name}.d.ts`, js], { stdio: 'inherit' });
}
