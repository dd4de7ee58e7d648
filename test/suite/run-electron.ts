/**
 * `npm run test:electron`: the same extension-host suite under @vscode/test-electron (desktop VS
 * Code, downloaded into .vscode-test/ on machines that can reach the download; this one cannot,
 * which is why test/e2e/run-code-server.ts exists). Same fixture workspace (a fresh copy), same
 * settings, same report file and closing line.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '..', '..', '..');

async function main(): Promise<number> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-electron-'));
  const workspace = path.join(tmp, 'fixture-workspace');
  fs.cpSync(path.join(ROOT, 'test', 'suite', 'fixture-workspace'), workspace, { recursive: true });
  const userDataDir = path.join(tmp, 'user');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'files.autoSave': 'off',
        'workbench.startupEditor': 'none',
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
      },
      null,
      2,
    ),
  );
  const report = path.join(tmp, 'report.json');
  let code = 0;
  try {
    await runTests({
      version: process.env.VSCODE_TEST_VERSION || 'stable',
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(ROOT, 'out', 'test', 'suite', 'index.js'),
      extensionTestsEnv: { UNSCRIPTED_TEST_REPORT: report },
      launchArgs: [
        workspace,
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        path.join(tmp, 'extensions'),
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--disable-gpu',
      ],
    });
  } catch (e) {
    console.error(`test-electron: ${(e as Error).message}`);
    code = 1;
  }
  if (fs.existsSync(report)) {
    const { stats } = JSON.parse(fs.readFileSync(report, 'utf8')) as { stats: { passes: number; failures: number; pending: number } };
    console.log(`extension-host (electron): ${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped`);
    if (stats.failures > 0) code = 1;
  } else {
    console.log('extension-host (electron): 0 passed, 1 failed');
    code = 1;
  }
  return code;
}

void main().then((code) => process.exit(code));
