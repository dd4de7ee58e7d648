import { strict as assert } from 'node:assert';
import { lint, only, FIXTURE_PLAYBOOK, tempWorkspace } from '../../../test/helpers';
import { loadPlaybookSync } from '../engine';
import * as fs from 'node:fs';
import { PostIndex } from '../post-index';
import * as path from 'node:path';

describe('rule talking-point', () => {
  it('flags a talking point reproduced verbatim, pointing at its playbook line', () => {
    const f = only(lint('The new riverside library opens on Saturday with longer opening hours for everyone.'), 'talking-point');
    assert.equal(f.length, 1);
    assert.equal(f[0].definedAt?.file, path.join(FIXTURE_PLAYBOOK, 'talking-points.md'));
    assert.equal(f[0].definedAt?.line, 9);
    assert.match(f[0].message, /own words/);
  });
  it('marks only the parroted words, not the voice formula in front of them', () => {
    const body = 'We are pleased to announce that the new riverside library opens on Saturday with longer opening hours for everyone.';
    const all = lint(body);
    const [tp] = only(all, 'talking-point');
    const [av] = only(all, 'authority-voice');
    assert.ok(tp && av);
    assert.equal(
      body.slice(tp.column - 1, tp.endColumn - 1),
      'the new riverside library opens on Saturday with longer opening hours for everyone',
    );
    assert.ok(av.endOffset <= tp.offset, 'the two squiggles do not overlap');
  });
  it('is robust to small edits', () => {
    assert.equal(
      only(lint('Our new riverside library opens this Saturday, with longer opening hours for everyone!'), 'talking-point').length,
      1,
    );
  });
  it('accepts the same point in other words', () => {
    assert.deepEqual(
      only(lint("From Saturday the library by the river stays open till 8 on weekdays — that's what you asked for."), 'talking-point'),
      [],
    );
  });
  it('flags a sentence pasted across more posts than the playbook allows', () => {
    const idx = new PostIndex();
    const s = 'Our drivers are working hard to keep every route running through the storm.';
    idx.set('/ws/posts/a.md', `---\ntitle: a\n---\n${s}`);
    idx.set('/ws/posts/b.md', `---\ntitle: b\n---\n${s}`);
    const f = only(lint(`Update. ${s}`, { index: idx, file: '/ws/posts/c.md' }), 'talking-point');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /pasted in 3 posts \(also a\.md, b\.md\)/);
    // Two copies are within max_repeats: 2.
    idx.delete('/ws/posts/b.md');
    assert.deepEqual(only(lint(`Update. ${s}`, { index: idx, file: '/ws/posts/c.md' }), 'talking-point'), []);
  });
  it("finds the pasted sentence after a sentence that ends with a link (the link's https: is no colon of the prose)", () => {
    const idx = new PostIndex();
    const s = 'Our drivers are working hard to keep every route running through the storm.';
    for (const name of ['a', 'b'])
      idx.set(`/ws/posts/${name}.md`, `---\ntitle: ${name}\n---\nSee [the notice](https://example.org/${name}). ${s}`);
    const f = only(lint(`Read [the update](https://example.org/c). ${s}`, { index: idx, file: '/ws/posts/c.md' }), 'talking-point');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /pasted in 3 posts/);
    // The colon of the prose itself still joins: "Update: …" is one sentence with what follows.
    const joined = only(lint(`Update: ${s}`, { index: idx, file: '/ws/posts/c.md' }), 'talking-point');
    assert.equal(joined.length, 0);
  });
  it('reports both kinds at the severity the talking-points playbook sets', () => {
    const ws = tempWorkspace();
    const file = path.join(ws, 'playbooks', 'talking-points.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('max_repeats: 2', 'max_repeats: 1\nseverity: error'));
    const pb = loadPlaybookSync({ workspaceRoot: ws });
    const idx = new PostIndex();
    const s = 'Our drivers are working hard to keep every route running through the storm.';
    idx.set('/ws/posts/a.md', `---\ntitle: a\n---\n${s}`);
    const f = only(
      lint(`The new riverside library opens on Saturday with longer opening hours for everyone. ${s}`, {
        playbook: pb,
        index: idx,
        file: '/ws/posts/c.md',
      }),
      'talking-point',
    );
    assert.deepEqual(
      f.map((x) => [x.severity, /pasted/.test(x.message)]),
      [
        ['error', false],
        ['error', true],
      ],
    );
  });
});
