/**
 * Entry point of the extension-host suite (`extensionTestsPath`), for both runners:
 * test/e2e/run-code-server.ts (code-server + Chromium) and test/suite/run-electron.ts
 * (@vscode/test-electron). Runs every `*.test.js` beside this file with mocha, prints the
 * spec report, and, when $UNSCRIPTED_TEST_REPORT is set, writes the results there as JSON
 * (the code-server runner prints them, since the extension host's console is not its stdout).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** Measurements the tests record (activation time, keystroke-to-diagnostics time …). */
export const extra: Record<string, unknown> = ((globalThis as Record<string, unknown>).__unscriptedExtra ??= {}) as Record<string, unknown>;

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  const grep = process.env.UNSCRIPTED_TEST_GREP;
  if (grep) mocha.grep(grep);

  const lines: string[] = [];
  const stats = { tests: 0, passes: 0, failures: 0, pending: 0, durationMs: 0 };
  const started = Date.now();
  const depthOf = (t: Mocha.Runnable | Mocha.Suite) => {
    let d = 0;
    for (let s = t.parent; s && !s.root; s = s.parent) d++;
    return d;
  };
  return new Promise((resolve, reject) => {
    let runner: Mocha.Runner;
    try {
      runner = mocha.run((failures) => {
        stats.durationMs = Date.now() - started;
        lines.push('');
        lines.push(`  ${stats.passes} passing (${(stats.durationMs / 1000).toFixed(1)}s)`);
        if (stats.pending) lines.push(`  ${stats.pending} pending`);
        if (stats.failures) lines.push(`  ${stats.failures} failing`);
        const report = process.env.UNSCRIPTED_TEST_REPORT;
        if (report) fs.writeFileSync(report, JSON.stringify({ stats, lines, extra }, null, 2));
        if (failures > 0) reject(new Error(`${failures} tests failed.`));
        else resolve();
      });
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    runner.on('suite', (s) => {
      if (!s.root) lines.push(`${'  '.repeat(depthOf(s) + 1)}${s.title}`);
    });
    runner.on('pass', (t) => {
      stats.tests++;
      stats.passes++;
      lines.push(`${'  '.repeat(depthOf(t) + 1)}✔ ${t.title} (${t.duration ?? 0} ms)`);
    });
    runner.on('pending', (t) => {
      stats.tests++;
      stats.pending++;
      lines.push(`${'  '.repeat(depthOf(t) + 1)}- ${t.title}`);
    });
    runner.on('fail', (t, err: Error) => {
      stats.tests++;
      stats.failures++;
      lines.push(`${'  '.repeat(depthOf(t) + 1)}✘ ${t.fullTitle()}`);
      for (const l of String(err?.stack ?? err)
        .split('\n')
        .slice(0, 12))
        lines.push(`${'  '.repeat(depthOf(t) + 3)}${l}`);
    });
  });
}
