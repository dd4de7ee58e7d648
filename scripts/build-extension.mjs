#!/usr/bin/env node
// Bundles the VS Code extension (src/extension/extension.ts and the core it uses) into one
// CommonJS file, dist/extension.js, with esbuild. `vscode` is provided by the extension host.
//
//   node scripts/build-extension.mjs [--production] [--watch]
//
// src/extension/publish.ts (the publishing commands, with the publishers and @atproto/api) is its
// own chunk, dist/publish.js, which the extension requires on the first publishing command, so
// activation does not load it. It is optional: when it is absent the bundle gets an empty module
// in its place and the extension declares `unscripted.publish` only.
// The built-in rules' pages (src/core/rules/*.md) are copied to dist/rules/ and ship in the VSIX.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** `./publish` from extension.ts: the separate chunk dist/publish.js, or an empty module when publish.ts does not exist. */
const optionalPublish = {
  name: 'optional-publish',
  setup(build) {
    build.onResolve({ filter: /^\.\/publish$/ }, (args) => {
      const file = path.join(args.resolveDir, 'publish.ts');
      if (fs.existsSync(file)) return { path: './publish.js', external: true };
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

// The publishing chunk: the same settings, its own file.
const publishEntry = path.join(root, 'src/extension/publish.ts');
const publishOptions = fs.existsSync(publishEntry)
  ? { ...options, entryPoints: [publishEntry], outfile: path.join(root, 'dist/publish.js'), plugins: [], banner: {} }
  : undefined;
const builds = [options, publishOptions, cliOptions].filter(Boolean);
if (!publishOptions) fs.rmSync(path.join(root, 'dist', 'publish.js'), { force: true });

// The rule pages, for "Open Rule Documentation" and the Problems panel's rule links.
const rulesDir = path.join(root, 'src/core/rules');
const docsOut = path.join(root, 'dist/rules');
fs.rmSync(docsOut, { recursive: true, force: true });
fs.mkdirSync(docsOut, { recursive: true });
for (const name of fs.readdirSync(rulesDir).filter((n) => n.endsWith('.md'))) fs.copyFileSync(path.join(rulesDir, name), path.join(docsOut, name));

// A production build has no source maps: drop stale ones from an earlier development build.
if (production) {
  for (const f of ['extension.js.map', 'publish.js.map', 'cli.js.map']) fs.rmSync(path.join(root, 'dist', f), { force: true });
}

const started = Date.now();
if (watch) {
  for (const o of builds) await (await esbuild.context(o)).watch();
  console.log('[build-extension] watching');
} else {
  for (const o of builds) {
    const result = await esbuild.build(o);
    const bytes = fs.statSync(o.outfile).size;
    const inputs = Object.keys(result.metafile.inputs).length;
    console.log(
      `[build-extension] ${path.relative(root, o.outfile)}: ${(bytes / 1024).toFixed(0)} KiB from ${inputs} modules` +
        `${production ? ' (minified)' : ''} in ${Date.now() - started} ms`,
    );
  }
}
