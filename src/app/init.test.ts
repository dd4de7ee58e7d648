import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initPlan, initWorkspace, samplePostText } from './init';
import { Workspace } from '../core/workspace';
import { DEFAULT_PLAYBOOK_DIR } from '../core/playbook';
import { tempDir } from '../../test/helpers';

const shippedNames = () =>
  fs
    .readdirSync(DEFAULT_PLAYBOOK_DIR)
    .filter((n) => n.endsWith('.md'))
    .sort();

describe('use case: init', () => {
  it('writes the shipped playbook and a sample post that lints without errors', () => {
    const dir = tempDir();
    const r = initWorkspace(dir);
    assert.equal(r.kind, 'done');
    if (r.kind !== 'done') return;
    assert.deepEqual(
      r.created.map((f) => path.relative(dir, f)),
      [...shippedNames().map((n) => `playbooks/${n}`), 'posts/welcome.md'],
    );
    const result = Workspace.open(dir).lintText(path.join(dir, 'posts/welcome.md'), samplePostText());
    assert.deepEqual(
      result.findings.filter((f) => f.severity === 'error'),
      [],
    );
  });

  it('is idempotent: a second run changes nothing and says so', () => {
    const dir = tempDir();
    initWorkspace(dir);
    const again = initWorkspace(dir);
    assert.equal(again.kind, 'done');
    if (again.kind === 'done')
      assert.deepEqual([again.created, again.replaced, again.unchanged.length], [[], [], shippedNames().length + 1]);
  });

  it('adds no sample among real posts', () => {
    const dir = tempDir({ 'posts/2026/ours.md': '---\ntitle: Ours\nchannels: [outbox]\n---\nHi.\n' });
    assert.ok(!initPlan(dir).some((p) => p.to.endsWith('welcome.md')));
    const r = initWorkspace(dir);
    assert.ok(r.kind === 'done' && !fs.existsSync(path.join(dir, 'posts/welcome.md')));
  });

  it('refuses to overwrite a file that differs, changing nothing; force keeps a .bak', () => {
    const dir = tempDir({ 'playbooks/voice.md': 'mine' });
    const refused = initWorkspace(dir);
    assert.deepEqual(refused, { kind: 'differ', files: [path.join(dir, 'playbooks/voice.md')] });
    assert.equal(fs.readFileSync(path.join(dir, 'playbooks/voice.md'), 'utf8'), 'mine');
    assert.equal(fs.existsSync(path.join(dir, 'playbooks/channels.md')), false, 'nothing else written either');
    const forced = initWorkspace(dir, { force: true });
    assert.ok(forced.kind === 'done' && forced.replaced.length === 1);
    assert.equal(fs.readFileSync(path.join(dir, 'playbooks/voice.md.bak'), 'utf8'), 'mine');
  });

  it('never writes through a symbolic link', () => {
    const outside = tempDir();
    const dir = tempDir();
    fs.symlinkSync(outside, path.join(dir, 'playbooks'));
    const r = initWorkspace(dir, { force: true });
    assert.deepEqual(r, { kind: 'links', files: [path.join(dir, 'playbooks')] });
    assert.deepEqual(fs.readdirSync(outside), []);
  });
});
