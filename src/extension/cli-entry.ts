/**
 * The `unscripted` CLI as one file, dist/cli.js, shipped inside the VSIX so the `unscripted` task
 * type (tasks.ts) can run the CLI from an installed extension with the editor's own Node.
 * Same behaviour as bin/unscripted.js.
 */
import { main } from '../cli/main';

void main(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  isTTY: !!process.stdout.isTTY,
}).then((code) => {
  process.exitCode = code;
});
