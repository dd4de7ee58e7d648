/**
 * `npm run test:e2e`: the extension-host suite (test/suite) in code-server, then the packaging
 * smoke test (VSIX installed into code-server, driven in Chromium). Prints each runner's mocha
 * output and one closing line with the totals; exits non-zero when anything failed.
 * (scripts/setup-e2e.sh and the builds run before this, from package.json.)
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, copyDir, mkTemp } from './code-server';
import { runExtensionTests } from './run-code-server';

async function hostSuite(): Promise<{ passed: number; failed: number; pending: number; measurements?: Record<string, unknown> }> {
  console.log('== extension-host suite (code-server) ==');
  const workspace = path.join(mkTemp('unscripted-ws-'), 'fixture-workspace');
  copyDir(path.join(REPO_ROOT, 'test', 'suite', 'fixture-workspace'), workspace);
  const r = await runExtensionTests({
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'suite', 'index.js'),
    workspace,
    screenshot: path.join(REPO_ROOT, 'test-output', 'host-suite-end.png'),
  });
  const s = r.report?.stats;
  if (!s) return { passed: 0, failed: 1, pending: 0 };
  // A workbench failure with no failed test (e.g. the suite could not load) still counts as one.
  const failed = s.failures || (r.exitCode !== 0 ? 1 : 0);
  return { passed: s.passes, failed, pending: s.pending, measurements: r.report?.extra };
}

function smoke(): Promise<{ passed: number; failed: number; pending: number }> {
  console.log('== packaging smoke test (VSIX in code-server) ==');
  const mocha = path.join(REPO_ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [mocha, '--no-config', '--reporter', 'spec', '--timeout', '180000', path.join(REPO_ROOT, 'out', 'test', 'e2e', 'smoke.e2e.js')],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      process.stdout.write(d);
    });
    child.on('close', (code) => {
      const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0);
      const passed = num(/(\d+) passing/);
      let failed = num(/(\d+) failing/);
      if (code !== 0 && failed === 0) failed = 1;
      resolve({ passed, failed, pending: num(/(\d+) pending/) });
    });
  });
}

async function main(): Promise<number> {
  fs.mkdirSync(path.join(REPO_ROOT, 'test-output'), { recursive: true });
  const host = await hostSuite();
  console.log(`extension-host: ${host.passed} passed, ${host.failed} failed`);
  const sm = await smoke();
  console.log(`smoke: ${sm.passed} passed, ${sm.failed} failed`);
  if (host.measurements) {
    fs.writeFileSync(path.join(REPO_ROOT, 'test-output', 'e2e-measurements.json'), JSON.stringify(host.measurements, null, 2));
  }
  const passed = host.passed + sm.passed;
  const failed = host.failed + sm.failed;
  const skipped = host.pending + sm.pending;
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.stack : err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
