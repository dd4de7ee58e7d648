#!/usr/bin/env node
// Bundles the VS Code extension (src/extension/extension.ts and the core it uses) into one
// CommonJS file, dist/extension.js, with esbuild. `vscode` is provided by the extension host.
//
//   node scripts/build-extension.mjs [--production] [--watch]
//
// src/extension/publish.ts (the publishing commands) is optional: when it is absent the bundle
// gets an empty module in its place and the extension declares `unscripted.publish` only.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Resolve `./publish` from src/extension to an empty module when the file does not exist. */
const optionalPublish = {
  name: 'optional-publish',
  setup(build) {
    build.onResolve({ filter: /^\.\/publish$/ }, (args) => {
      const file = path.join(args.resolveDir, 'publish.ts');
      if (fs.existsSync(file)) return { path: file };
      return { path: 'publish', namespace: 'optional-publish' };
    });
    build.onLoad({ filter: /.*/, namespace: 'optional-publish' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

const options = {
  entryPoints: [path.join(root, 'src/extension/extension.ts')],
  outfile: path.join(root, 'dist/extension.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  sourcemap: production ? false : 'linked',
  minify: production,
  keepNames: true,
  metafile: true,
  logLevel: 'warning',
  plugins: [optionalPublish],
  // When the bundle started loading: activation time reported by the extension includes module load.
  banner: { js: 'var __unscriptedLoadStart = typeof performance === "object" ? performance.now() : 0;' },
};

// The CLI too, as dist/cli.js: the `unscripted` task type runs it from the installed extension.
const cliOptions = {
  ...options,
  entryPoints: [path.join(root, 'src/extension/cli-entry.ts')],
  outfile: path.join(root, 'dist/cli.js'),
  external: [],
  plugins: [],
  banner: { js: '#!/usr/bin/env node' },
};

// A production build has no source maps: drop stale ones from an earlier development build.
if (production) {
  for (const f of ['extension.js.map', 'cli.js.map']) fs.rmSync(path.join(root, 'dist', f), { force: true });
}

const started = Date.now();
if (watch) {
  for (const o of [options, cliOptions]) await (await esbuild.context(o)).watch();
  console.log('[build-extension] watching');
} else {
  for (const o of [options, cliOptions]) {
    const result = await esbuild.build(o);
    const bytes = fs.statSync(o.outfile).size;
    const inputs = Object.keys(result.metafile.inputs).length;
    console.log(
      `[build-extension] ${path.relative(root, o.outfile)}: ${(bytes / 1024).toFixed(0)} KiB from ${inputs} modules` +
        `${production ? ' (minified)' : ''} in ${Date.now() - started} ms`,
    );
  }
}
