import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from './workspace';
import { post, tempWorkspace } from '../../test/helpers';

describe('Workspace.lintFile: a file from disk (file problems as findings), for the CLI and the editor', () => {
  it('lints a readable post like its text', () => {
    const dir = tempWorkspace({ 'posts/ok.md': post('Going forward, the hall opens at nine.\n') });
    const ws = Workspace.open(dir);
    const file = path.join(dir, 'posts/ok.md');
    assert.deepEqual(ws.lintFile(file).findings, ws.lintText(file, fs.readFileSync(file, 'utf8')).findings);
  });

  it('turns a binary, oversized or missing file into one error at 1:1 instead of throwing', () => {
    const dir = tempWorkspace({ 'posts/bin.md': Buffer.from([0x2d, 0x00, 0x01]), 'posts/huge.md': 'a'.repeat(1024 * 1024 + 10) });
    const ws = Workspace.open(dir);
    for (const [name, message] of [
      ['bin.md', /binary/],
      ['huge.md', /too large/],
      ['gone.md', /Cannot read/],
    ] as const) {
      const r = ws.lintFile(path.join(dir, 'posts', name));
      assert.equal(r.findings.length, 1, name);
      const [f] = r.findings;
      assert.deepEqual([f.ruleId, f.severity, f.line, f.column], ['file', 'error', 1, 1]);
      assert.match(f.message, message);
    }
  });
});
