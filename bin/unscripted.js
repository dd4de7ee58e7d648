#!/usr/bin/env node
'use strict';
const fs = require('node:fs');
const path = require('node:path');
// The one-file bundle (scripts/build-cli.mjs) starts much faster than ~300 separate modules; a
// newer tsc build (development) wins over an older bundle, so a stale bundle never runs.
const bundle = path.join(__dirname, '..', 'dist', 'cli-bundle.js');
const built = path.join(__dirname, '..', 'out', 'src', 'cli', 'main.js');
const mtime = (f) => {
  try {
    return fs.statSync(f).mtimeMs;
  } catch {
    return -1;
  }
};
const args = process.argv.slice(2);
let loaded;
if (mtime(bundle) >= mtime(built) && mtime(bundle) > 0) {
  // With V8's code cache of the bundle (./code-cache.js), one per command: what that command ran
  // last time is not parsed and compiled again.
  const tag = /^[a-z]{2,12}$/.test(args[0] || '') ? args[0] : 'other';
  loaded = require('./code-cache.js').loadBundle(bundle, { tag });
} else {
  // Development (tsc output): Node 22+ keeps the compiled code of each module; a no-op on Node 20.
  const dir = require('./code-cache.js').codeCacheDir();
  if (dir) require('node:module').enableCompileCache?.(path.join(dir, 'node'));
  loaded = { exports: require(built), save: () => false };
}
const { main } = loaded.exports;
// `unscripted lint | head` closes the pipe early: stop quietly, as other CLIs do.
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
main(args, {
  cwd: process.cwd(),
  stdout: process.stdout,
  // Got on first use: making process.stdin loads stream and readline code a lint never reads.
  get stderr() {
    return process.stderr;
  },
  get stdin() {
    return process.stdin;
  },
  env: process.env,
  isTTY: process.stdout.isTTY,
}).then((code) => {
  process.exitCode = code;
  loaded.save();
});
