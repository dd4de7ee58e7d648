/**
 * The `unscripted` VS Code task without VS Code: the command line a task definition becomes, the
 * CLI it finds, and that command line's real output read by the `$unscripted` problem matcher.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findCli, taskArgs, taskLabel } from '../../src/extension/task-args';
import { buildPrRepo, NOW } from './review-fixtures';

const ROOT = path.resolve(__dirname, '..', '..', '..');

describe('review: the unscripted task type', function () {
  this.timeout(30000);

  it('turns a task definition into CLI arguments', () => {
    assert.deepEqual(taskArgs({ type: 'unscripted' }), ['lint', '--format', 'compact']);
    assert.deepEqual(
      taskArgs({ type: 'unscripted', command: 'lint', changedSince: 'origin/main', playbook: 'pb', paths: ['posts/a.md', '-odd.md'] }),
      ['lint', '--format', 'compact', '--changed-since', 'origin/main', '--playbook', 'pb', 'posts/a.md', './-odd.md'],
    );
    assert.deepEqual(taskArgs({ type: 'unscripted', command: 'review' }), ['review', '--base', 'origin/main', '--format', 'markdown']);
    assert.deepEqual(
      taskArgs({ type: 'unscripted', command: 'publish' as 'lint' }).slice(0, 1),
      ['lint'],
      'only lint and review run as tasks',
    );
    assert.equal(taskLabel({ type: 'unscripted' }), 'Lint Workspace');
    assert.equal(taskLabel({ type: 'unscripted', changedSince: 'main' }), 'Lint Changed Lines since main');
  });

  it('finds the bundled CLI, a development build, or the workspace install', () => {
    const ext = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-ext-'));
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-folder-'));
    try {
      assert.equal(findCli(ext, folder), undefined);
      const local = path.join(folder, 'node_modules', 'unscripted', 'bin', 'unscripted.js');
      fs.mkdirSync(path.dirname(local), { recursive: true });
      fs.writeFileSync(local, '');
      assert.equal(findCli(ext, folder), local);
      fs.mkdirSync(path.join(ext, 'bin'));
      fs.writeFileSync(path.join(ext, 'bin', 'unscripted.js'), '');
      assert.equal(findCli(ext, folder), local, 'bin/ without a compiled out/ is not a CLI');
      fs.mkdirSync(path.join(ext, 'out', 'src', 'cli'), { recursive: true });
      fs.writeFileSync(path.join(ext, 'out', 'src', 'cli', 'main.js'), '');
      assert.equal(findCli(ext, folder), path.join(ext, 'bin', 'unscripted.js'));
      fs.mkdirSync(path.join(ext, 'dist'));
      fs.writeFileSync(path.join(ext, 'dist', 'cli.js'), '');
      assert.equal(findCli(ext, folder), path.join(ext, 'dist', 'cli.js'));
      assert.equal(findCli(ROOT), path.join(ROOT, fs.existsSync(path.join(ROOT, 'dist', 'cli.js')) ? 'dist/cli.js' : 'bin/unscripted.js'));
    } finally {
      fs.rmSync(ext, { recursive: true, force: true });
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it("the task's command line prints what the $unscripted matcher reads", () => {
    const repo = buildPrRepo();
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
      const matcher = pkg.contributes.problemMatchers.find((m: { name: string }) => m.name === 'unscripted');
      const re = new RegExp(matcher.pattern.regexp);
      const cli = findCli(ROOT)!;
      const args = [...taskArgs({ type: 'unscripted', changedSince: 'main', args: ['--now', NOW.toISOString()] })];
      const res = spawnSync(process.execPath, [cli, ...args], { cwd: repo.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      assert.equal(res.status, 1, res.stderr);
      const lines = res.stdout.trimEnd().split('\n');
      assert.ok(lines.length > 0);
      for (const line of lines) {
        const m = re.exec(line);
        assert.ok(m, `the matcher does not read: ${line}`);
        assert.match(m[matcher.pattern.file], /^posts\/(edited|moved|new|status|park)\.md$/);
        assert.match(m[matcher.pattern.severity], /^(error|warning|info)$/);
      }
    } finally {
      repo.cleanup();
    }
  });
});
