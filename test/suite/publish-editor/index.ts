/**
 * Extension-host entry for the editor publishing spec (publish-editor.spec.ts), run in a real
 * VS Code (code-server) by the e2e runner:
 *
 *   npm run build && npm run build:ext && bash scripts/setup-e2e.sh
 *   node out/test/e2e/run-code-server.js --tests out/test/suite/publish-editor/index.js \
 *        --workspace test/fakes/publish-workspace
 *
 * Not a `*.test.js`, so the plain mocha run (no VS Code) does not load it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  mocha.addFile(path.join(__dirname, 'publish-editor.spec.js'));
  const lines: string[] = [];
  const stats = { tests: 0, passes: 0, failures: 0, pending: 0, durationMs: 0 };
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      stats.durationMs = Date.now() - started;
      lines.push(`  ${stats.passes} passing, ${stats.failures} failing`);
      const out = process.env.UNSCRIPTED_TEST_REPORT;
      if (out) fs.writeFileSync(out, JSON.stringify({ stats, lines }));
      if (failures) reject(new Error(`${failures} publish editor test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => {
      stats.tests++;
      stats.passes++;
      lines.push(`  ✔ ${t.fullTitle()}`);
    });
    runner.on('fail', (t, err) => {
      stats.tests++;
      stats.failures++;
      lines.push(
        `  ✖ ${t.fullTitle()}\n    ${String((err as Error)?.stack ?? err)
          .split('\n')
          .slice(0, 6)
          .join('\n    ')}`,
      );
    });
  });
}
