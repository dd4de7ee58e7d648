#!/usr/bin/env node
'use strict';
const fs = require('node:fs');
const path = require('node:path');
// Node 22+: keep V8's compiled code between runs (a faster start); a no-op on older Node.
require('node:module').enableCompileCache?.();
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
const { main } = require(mtime(bundle) >= mtime(built) && mtime(bundle) > 0 ? bundle : built);
// `unscripted lint | head` closes the pipe early: stop quietly, as other CLIs do.
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
main(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  isTTY: process.stdout.isTTY,
}).then((code) => {
  process.exitCode = code;
});
