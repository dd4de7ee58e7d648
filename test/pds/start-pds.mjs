// Starts a real Bluesky PDS (reference implementation, @atproto/dev-env) for the publish tests.
// Run with Node 22 from .pds/ (see scripts/setup-pds.sh):  .pds/node22/.../bin/node test/pds/start-pds.mjs
// Prints one JSON line on stdout: {"pds":"http://127.0.0.1:PORT","plc":"http://..."}; everything
// else goes to stderr. Shuts down cleanly on SIGTERM, SIGINT, or when stdin closes (parent gone).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, '.pds', 'package.json'));
const { TestNetworkNoAppView } = require('@atproto/dev-env');

// The dev-env logs a lot through pino when LOG_ENABLED is set; keep stdout for our one line.
const origLog = console.log;
console.log = (...args) => console.error(...args);

const net = await TestNetworkNoAppView.create({});
let closing = false;
async function shutdown(code) {
  if (closing) return;
  closing = true;
  try {
    await net.close();
  } catch (e) {
    console.error('error while closing the PDS:', e);
    code = 1;
  }
  process.exit(code);
}
process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));
process.stdin.on('end', () => shutdown(0));
process.stdin.on('close', () => shutdown(0));
process.stdin.resume();

origLog(JSON.stringify({ pds: net.pds.url, plc: net.plc.url }));
