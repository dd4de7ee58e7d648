/**
 * Runs an extension's mocha suite inside a real VS Code extension host (code-server on Node 24),
 * the way VS Code tests its own web workbench: the `payload` URL carries extensionDevelopmentPath
 * and extensionTestsPath, `--vscode-option enable-smoke-test-driver` makes the workbench honour
 * them, and it calls `codeAutomationExit(code)` when the suite's `run()` settles.
 *
 *   node out/test/e2e/run-code-server.js [--extension DIR] [--tests FILE] [--workspace DIR]
 *                                        [--no-copy] [--timeout MS] [--screenshot FILE] [--grep TEXT]
 *
 * Defaults: this repository as the extension, out/test/suite/index.js as the tests, and a fresh
 * temporary copy of test/suite/fixture-workspace as the workspace. Prints the suite's mocha
 * output and counts; exits with the suite's exit code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, copyDir, launchBrowser, mkTemp, startCodeServer, testPayloadUrl } from './code-server';

export interface RunOptions {
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  workspace: string;
  /** Extra variables for the extension host (extensionEnvironment). */
  env?: Record<string, string>;
  timeoutMs?: number;
  screenshot?: string;
  log?: (line: string) => void;
}

export interface RunResult {
  exitCode: number;
  report?: SuiteReport;
  ms: number;
}

/** What test/suite/index.ts writes to $UNSCRIPTED_TEST_REPORT. */
export interface SuiteReport {
  stats: { tests: number; passes: number; failures: number; pending: number; durationMs: number };
  lines: string[];
  extra?: Record<string, unknown>;
}

export async function runExtensionTests(opts: RunOptions): Promise<RunResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const started = Date.now();
  const reportFile = path.join(mkTemp('unscripted-report-'), 'report.json');
  const cs = await startCodeServer({ workspace: opts.workspace });
  log(`[run-code-server] code-server ${cs.origin} (pid ${cs.process.pid}), workspace ${opts.workspace}`);
  const browser = await launchBrowser();
  let exitCode = 1;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const exit = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => {
        resolve(Number(code));
      });
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      if (process.env.UNSCRIPTED_E2E_VERBOSE) log(`[host ${type}] ${JSON.stringify(args)}`);
    });
    page.on('pageerror', (err: Error) => {
      if (process.env.UNSCRIPTED_E2E_VERBOSE) log(`[page error] ${err.message}`);
    });
    const url = testPayloadUrl(cs.origin, opts.workspace, opts.extensionDevelopmentPath, opts.extensionTestsPath, {
      ...(opts.env ?? {}),
      UNSCRIPTED_TEST_REPORT: reportFile,
      // Where VS Code writes the output channels' text (logs/…/output_logging_…/N-Unscripted.log): the suites read it back.
      UNSCRIPTED_TEST_USER_DATA: cs.userDataDir,
    });
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    const timeoutMs = opts.timeoutMs ?? 300_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        log(`[run-code-server] timed out after ${timeoutMs} ms waiting for codeAutomationExit`);
        resolve(124);
      }, timeoutMs);
    });
    exitCode = await Promise.race([exit, timeout]);
    clearTimeout(timer);
    if (opts.screenshot) {
      fs.mkdirSync(path.dirname(opts.screenshot), { recursive: true });
      await page.screenshot({ path: opts.screenshot }).catch(() => undefined);
    }
  } finally {
    await browser.close().catch(() => undefined);
    await cs.stop();
  }
  let report: SuiteReport | undefined;
  if (fs.existsSync(reportFile)) {
    report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as SuiteReport;
    for (const line of report.lines) log(line);
    if (report.extra && Object.keys(report.extra).length) log(`[measurements] ${JSON.stringify(report.extra)}`);
  } else {
    log('[run-code-server] the suite wrote no report; code-server output follows');
    log(cs.output());
  }
  if (exitCode !== 0 && report && report.stats.failures === 0) {
    // The suite passed but the workbench reported failure (e.g. an activation error).
    log(`[run-code-server] workbench exit code ${exitCode}`);
  }
  return { exitCode, report, ms: Date.now() - started };
}

function parseArgs(argv: string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const key = a.slice(2);
    if (key.startsWith('no-')) out[key.slice(3)] = false;
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[key] = argv[++i];
    else out[key] = true;
  }
  return out;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const extension = path.resolve(String(args.extension ?? REPO_ROOT));
  const tests = path.resolve(String(args.tests ?? path.join(REPO_ROOT, 'out', 'test', 'suite', 'index.js')));
  const source = path.resolve(String(args.workspace ?? path.join(REPO_ROOT, 'test', 'suite', 'fixture-workspace')));
  let workspace = source;
  if (args.copy !== false) {
    workspace = path.join(mkTemp('unscripted-ws-'), path.basename(source));
    copyDir(source, workspace);
  }
  const result = await runExtensionTests({
    extensionDevelopmentPath: extension,
    extensionTestsPath: tests,
    workspace,
    timeoutMs: args.timeout ? Number(args.timeout) : undefined,
    env: typeof args.grep === 'string' ? { UNSCRIPTED_TEST_GREP: args.grep } : undefined,
    screenshot: typeof args.screenshot === 'string' ? path.resolve(args.screenshot) : undefined,
  });
  const s = result.report?.stats;
  if (s) {
    console.log(`extension-host: ${s.passes} passed, ${s.failures} failed, ${s.pending} skipped`);
  } else {
    console.log('extension-host: 0 passed, 1 failed');
  }
  console.log(`[run-code-server] exit code ${result.exitCode} in ${(result.ms / 1000).toFixed(1)} s`);
  return result.exitCode;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.stack : err);
      process.exit(1);
    },
  );
}
