#!/usr/bin/env node
// Development entry: runs the TypeScript sources through tsx. Nodes run the
// self-contained build instead (`make build` ⇒ dist/galactic).
import { register } from 'tsx/esm/api';

register();
await import('../cli/galactic.ts');
