#!/usr/bin/env node
// Bundles the CLI (src/cli/main.ts and the core it uses, micromark and yaml included) into one
// CommonJS module, dist/cli-bundle.js (exports `main`; the VSIX's runnable dist/cli.js is
// scripts/build-extension.mjs's), with esbuild. Loading one file instead of ~300 small ES modules
// is most of what makes `unscripted lint` start quickly; bin/unscripted.js prefers this bundle
// unless out/src/cli/main.js is newer (a `tsc` build during development).
// Large packages only some commands need stay outside the bundle and load on demand.
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The worker thread of a parallel lint (src/core/parallel-lint.ts looks for it beside the bundle).
for (const [entry, out] of [
  ['src/cli/main.ts', 'dist/cli-bundle.js'],
  ['src/core/lint-worker.ts', 'dist/lint-worker.js'],
])
  await esbuild.build({
    entryPoints: [path.join(root, entry)],
    outfile: path.join(root, out),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['@atproto/api', 'twitter-text', 'diff', 'gray-matter', 'picomatch'],
    sourcemap: false,
    minify: true,
    keepNames: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });
