/** Edge cases of linting: positions through Markdown, threads, burst counting, hostile files, playbook parsing, SARIF URIs. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lint, lintRaw, only, tempWorkspace, REPO_ROOT, post } from '../helpers';
import { parsePost } from '../../src/core/post';
import { PostIndex } from '../../src/core/post-index';
import { loadPlaybookSync } from '../../src/core/engine';

const BIN = path.join(REPO_ROOT, 'bin', 'unscripted.js');

/** The text a finding covers must be exactly the phrase, wherever Markdown moved it. */
function covered(body: string, ruleId = 'authority-voice') {
  const text = post(body);
  const f = only(lint(body), ruleId);
  return f.map((x) => text.slice(x.offset, x.endOffset));
}

describe('lint edge cases', () => {
  it('maps positions exactly through list continuations, character references and escapes', () => {
    assert.deepEqual(covered('- first item here\n  and it continues going forward'), ['going forward']);
    assert.deepEqual(covered('Tom &amp; Jerry say going forward a lot.'), ['going forward']);
    assert.deepEqual(covered('Hi &mdash; &mdash; &mdash; we are pleased to announce it.\nsecond line going forward'), [
      'we are pleased to announce',
      'going forward',
    ]);
    assert.deepEqual(covered('> quoted\n\nA \\*star\\* then going forward.'), ['going forward']);
  });

  it('gives no mechanical edit for a match that straddles markup', () => {
    const f = only(lint('**We are pleased** to announce it.'), 'authority-voice');
    assert.equal(f.length, 1);
    assert.ok(f[0].suggestions.length > 0);
    assert.ok(f[0].suggestions.every((s) => s.edit === undefined));
    assert.doesNotMatch(f[0].message, /\*/);
  });

  it('splits threads the same with CRLF as with LF, and not inside a multi-line comment', () => {
    const crlf = '---\r\ntitle: t\r\nchannels: [outbox]\r\nstatus: draft\r\n---\r\nThis is huge.\r\n---\r\nMore here.\r\n';
    assert.equal(only(lintRaw(crlf), 'context-free').length, 1);
    assert.equal(parsePost('/x.md', crlf).parts.length, 2);
    const commented = '---\ntitle: t\n---\nHello there.\n\n<!-- note:\n---\nremember -->\n\nStill part one.';
    assert.equal(parsePost('/x.md', commented).parts.length, 1);
  });

  it('counts already-published posts in the burst window, as publish --due does', () => {
    const idx = new PostIndex();
    for (const [i, h] of [6, 7, 8].entries()) {
      idx.set(
        `/ws/posts/p${i}.md`,
        `---\ntitle: p\nchannels: [outbox]\nstatus: published\npublished:\n  - channel: outbox\n    id: x${i}\n    at: 2026-03-05T0${h}:00:00Z\n---\nHi ${i}.`,
      );
    }
    const f = only(
      lint('Hi.', {
        front: 'title: t\nchannels: [outbox]\nstatus: scheduled\npublish_at: 2026-03-05T09:30:00Z',
        index: idx,
        now: new Date('2026-03-05T08:30:00Z'),
      }),
      'schedule-burst',
    );
    assert.equal(f.length, 1);
  });

  it('contains a pathological file instead of crashing the run', () => {
    const ws = tempWorkspace({ 'posts/deep.md': post('>'.repeat(5000) + ' going forward'), 'posts/ok.md': post('Going forward.') });
    const r = spawnSync(process.execPath, [BIN, 'lint', '--format', 'json'], { cwd: ws, encoding: 'utf8' });
    const out = JSON.parse(r.stdout) as { file: string; messages: { ruleId: string }[] }[];
    assert.equal(out.find((x) => x.file === 'posts/ok.md')!.messages[0].ruleId, 'authority-voice');
    assert.ok(out.find((x) => x.file === 'posts/deep.md'));
  });

  it('follows symlinked posts, skips build folders only at the top, and strips a BOM', () => {
    const ws = tempWorkspace({
      'elsewhere/a.md': post('Going forward.'),
      'posts/out/b.md': post('Going forward.'),
      'posts/bom.md': '\uFEFF' + post('Going forward.'),
    });
    fs.symlinkSync(path.join(ws, 'elsewhere', 'a.md'), path.join(ws, 'posts', 'link.md'));
    const r = spawnSync(process.execPath, [BIN, 'lint', '--format', 'json'], { cwd: ws, encoding: 'utf8' });
    const files = (JSON.parse(r.stdout) as { file: string; messages: { line: number; column: number }[] }[]).map((x) => x.file);
    assert.ok(files.includes('posts/link.md'), files.join());
    assert.ok(files.includes('posts/out/b.md'), files.join());
    const bom = (JSON.parse(r.stdout) as { file: string; messages: { line: number; column: number }[] }[]).find(
      (x) => x.file === 'posts/bom.md',
    )!;
    assert.deepEqual([bom.messages[0].line, bom.messages[0].column], [6, 1]);
  });

  it('lets disable-next-line above a long part switch off channel-length', () => {
    const body = '<!-- unscripted-disable-next-line channel-length -->\n' + 'word '.repeat(30) + '\n' + 'more '.repeat(40);
    const front = 'title: t\nchannels: [bluesky]\nstatus: draft';
    assert.deepEqual(only(lint(body, { front }), 'channel-length'), []);
    assert.equal(only(lint(body.split('\n').slice(1).join('\n'), { front }), 'channel-length').length, 1);
  });

  it('reports unknown rule ids in rules: overrides and accepts the voice/ alias', () => {
    const ws = tempWorkspace();
    const file = path.join(ws, 'playbooks', 'schedule.md');
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace('paused: false', 'paused: false\nrules: { contxt-free: off, voice/authority-voice: info }'),
    );
    const pb = loadPlaybookSync({ workspaceRoot: ws });
    assert.equal(pb.errors.length, 1);
    assert.match(pb.errors[0].message, /unknown rule "contxt-free"/);
    assert.equal(pb.rules.get('authority-voice')!.severity, 'info');
  });

  it('reads Severity without a blank line, wrapped phrase items, and H1 rule sections', () => {
    const ws = tempWorkspace({
      'playbooks/voice.md': '---\nkind: voice\n---\n# Jargon\nSeverity: error\nWe say it plainly.\n\n- "leverage" → "use",\n  "lean on"\n',
    });
    const pb = loadPlaybookSync({ workspaceRoot: ws });
    assert.deepEqual(pb.errors, []);
    const rule = pb.rules.get('voice/jargon')!;
    assert.equal(rule.severity, 'error');
    assert.equal(rule.rationale, 'We say it plainly.');
    assert.deepEqual(rule.phrases[0].suggestions, ['use', 'lean on']);
  });

  it('flags an empty ready post and a reviewed_at in the future', () => {
    assert.match(
      only(lintRaw('---\ntitle: t\nchannels: [outbox]\nstatus: ready\n---\n\n---\n'), 'front-matter')[0].message,
      /no text to publish/,
    );
    const f = only(
      lint('Hi.', { front: 'title: t\nchannels: [outbox]\nstatus: draft\nreviewed_at: 2027-03-01T00:00:00Z' }),
      'front-matter',
    );
    assert.match(f[0].message, /in the future/);
  });

  it('does not lint text in other quotation styles or bare domains with a path', () => {
    assert.deepEqual(only(lint('He called it ‘going forward’ and laughed.'), 'authority-voice'), []);
    assert.deepEqual(only(lint('It is on council.gov.uk/going-forward today.'), 'authority-voice'), []);
  });

  it('leaves qualified-by-time blind statements and photo introductions alone', () => {
    assert.deepEqual(only(lint("You can't park on the high street during the works."), 'blind-statement'), []);
    assert.deepEqual(only(lint('This is Dave. Dave fixed the boiler.'), 'context-free'), []);
    assert.deepEqual(only(lint('These are the new library cards.'), 'context-free'), []);
    assert.equal(only(lint('This is huge.'), 'context-free').length, 1);
  });

  it('percent-encodes SARIF artifact URIs', () => {
    const ws = tempWorkspace({ 'posts/my post.md': post('Going forward.') });
    const r = spawnSync(process.execPath, [BIN, 'lint', '--format', 'sarif'], { cwd: ws, encoding: 'utf8' });
    assert.equal(JSON.parse(r.stdout).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'posts/my%20post.md');
  });
});
