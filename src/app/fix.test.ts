import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixAllEdits, fixFile, fixText, lintTextWithFixes, lintWithFixes, writeFix } from './fix';
import { Workspace } from '../core/workspace';
import { DEFAULT_PLAYBOOK_DIR } from '../core/playbook';
import { post, tempDir } from '../../test/helpers';

function shippedWorkspace(files: Record<string, string> = {}): { dir: string; ws: Workspace } {
  const pb: Record<string, string> = {};
  for (const n of fs.readdirSync(DEFAULT_PLAYBOOK_DIR).filter((x) => x.endsWith('.md')))
    pb[`playbooks/${n}`] = fs.readFileSync(path.join(DEFAULT_PLAYBOOK_DIR, n), 'utf8');
  const dir = tempDir({ ...pb, ...files });
  return { dir, ws: Workspace.open(dir) };
}

describe('use case: lint with fixes', () => {
  const body = 'Arrive prior to nine. The bus kept going forward through the flood.\n';

  it('selects for the editor exactly the fixes --fix applies in its first pass', () => {
    const { dir, ws } = shippedWorkspace();
    const file = path.join(dir, 'posts/a.md');
    const text = post(body);
    const edits = fixAllEdits(ws.lintText(file, text).findings);
    assert.deepEqual(
      edits.map((e) => text.slice(e.edit.offset, e.edit.endOffset)),
      ['prior to'],
      '"going forward" is not marked (auto-fix): left for the writer',
    );
    assert.equal(fixText(ws, file, text).text, post(body.replace('prior to', 'before')));
  });

  it('fixes a file on disk keeping its byte-order mark, and reports nothing when there is nothing to fix', () => {
    const { dir, ws } = shippedWorkspace({ 'posts/a.md': '\ufeff' + post(body), 'posts/clean.md': post('The hall opens at nine.\n') });
    const fix = fixFile(ws, path.join(dir, 'posts/a.md'));
    assert.ok(fix);
    assert.equal(fix.applied, 1);
    writeFix(fix);
    assert.equal(fs.readFileSync(path.join(dir, 'posts/a.md'), 'utf8'), '\ufeff' + post(body.replace('prior to', 'before')));
    assert.equal(fixFile(ws, path.join(dir, 'posts/clean.md')), undefined);
  });

  it('lintWithFixes reports the findings of the fixed text, and writes the file only when asked', () => {
    const { dir, ws } = shippedWorkspace({ 'posts/a.md': post(body), 'posts/clean.md': post('The hall opens at nine.\n') });
    const a = path.join(dir, 'posts/a.md');
    const files = [a, path.join(dir, 'posts/clean.md')];
    const before = ws.lintFiles(files);
    assert.ok(before[0].findings.some((f) => f.fix));

    const dry = lintWithFixes(ws, files, { fix: true, write: false });
    assert.deepEqual(
      dry.fixes.map((f) => [f.file, f.applied]),
      [[a, 1]],
    );
    assert.equal(fs.readFileSync(a, 'utf8'), post(body), 'a dry run leaves the file alone');
    assert.deepEqual(dry.results[0].findings, ws.lintText(a, post(body.replace('prior to', 'before'))).findings);

    const plain = lintWithFixes(ws, files, { fix: false, write: false });
    assert.deepEqual(plain.fixes, []);

    const real = lintWithFixes(ws, files, { fix: true, write: true });
    assert.equal(real.fixes.length, 1);
    assert.equal(fs.readFileSync(a, 'utf8'), post(body.replace('prior to', 'before')));
    assert.deepEqual(lintWithFixes(ws, files, { fix: true, write: true }).fixes, [], 'nothing left to fix');
  });

  it('lintTextWithFixes fixes a text not on disk, as the CLI does for --stdin', () => {
    const { dir, ws } = shippedWorkspace();
    const file = path.join(dir, 'posts/stdin.md');
    const out = lintTextWithFixes(ws, file, post(body), { fix: true });
    assert.equal(out.fix?.after, post(body.replace('prior to', 'before')));
    assert.equal(out.fix?.applied, 1);
    assert.equal(lintTextWithFixes(ws, file, post(body), { fix: false }).fix, undefined);
  });
});
