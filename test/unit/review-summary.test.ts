import * as assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { buildReview, type ReviewSummary } from '../../src/review/summary';
import { renderReviewMarkdown, mdText, mdCode } from '../../src/review/summary-output';
import { run } from '../../src/cli/review';
import { buildPrRepo, NOW, post, schedule, TempRepo, VOICE_BASE } from './review-fixtures';

function collect(): { stream: Writable; text: () => string } {
  let buf = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      buf += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => buf };
}

describe('review: the pull-request summary', function () {
  this.timeout(30000);
  let repo: TempRepo;
  let s: ReviewSummary;
  before(async () => {
    repo = buildPrRepo();
    s = await buildReview({ cwd: repo.dir, base: 'main', now: NOW });
  });
  after(() => repo.cleanup());

  it('compares with the merge base of the ref', () => {
    assert.equal(s.base.ref, 'main');
    assert.equal(s.base.mode, 'merge-base');
    assert.equal(s.base.commit, repo.git('rev-parse', 'main').trim());
    assert.equal(s.nothingToReport, false);
  });

  it('lists posts added, changed (renames included) and removed', () => {
    assert.deepEqual(
      s.posts.added.map((p) => [p.file, p.title, p.status, p.publishAt]),
      [['posts/new.md', 'Gala', 'scheduled', '2026-03-06T09:00:00+00:00']],
    );
    assert.deepEqual(s.posts.changed.map((p) => p.file).sort(), ['posts/edited.md', 'posts/moved.md', 'posts/park.md', 'posts/status.md']);
    assert.equal(s.posts.changed.find((p) => p.file === 'posts/park.md')?.renamedFrom, 'posts/renamed.md');
    assert.deepEqual(
      s.posts.removed.map((p) => [p.file, p.title]),
      [['posts/removed.md', 'Old news']],
    );
  });

  it('reports status changes', () => {
    assert.deepEqual(s.statusChanges, [{ file: 'posts/status.md', title: 'Choir', from: 'draft', to: 'ready' }]);
  });

  it('reports schedule changes: newly scheduled, moved, how far ahead, inside the pause, unscheduled', () => {
    const byFile = new Map(s.scheduleChanges.map((c) => [c.file, c]));
    const added = byFile.get('posts/new.md');
    assert.ok(added);
    assert.equal(added.kind, 'newly-scheduled');
    assert.equal(added.aheadMinutes, 5 * 24 * 60, 'five days ahead of the clock');
    assert.equal(added.inPause, true);
    assert.equal(added.pauseReason, 'Election period');
    const moved = byFile.get('posts/moved.md');
    assert.ok(moved);
    assert.equal(moved.kind, 'moved');
    assert.equal(moved.from, '2026-03-03T09:00:00Z');
    assert.equal(moved.to, '2026-03-04T09:00:00Z');
    assert.equal(moved.shiftMinutes, 24 * 60);
    assert.equal(moved.aheadMinutes, 3 * 24 * 60);
    assert.equal(moved.inPause, true);
    const removed = byFile.get('posts/removed.md');
    assert.equal(removed?.kind, 'unscheduled');
    assert.equal(byFile.has('posts/status.md'), false, 'a draft becoming ready is not a schedule change');
  });

  it('matches findings by rule, message and text, not line: new, fixed and unchanged per post', () => {
    const edited = s.findings.posts.find((p) => p.file === 'posts/edited.md');
    assert.ok(edited);
    assert.equal(edited.change, 'changed');
    assert.deepEqual(
      edited.fixed.map((f) => [f.ruleId, f.text, f.cause]),
      [['authority-voice', 'Please be advised', 'post']],
    );
    assert.deepEqual(
      edited.new.map((f) => [f.ruleId, f.text, f.cause]),
      [['authority-voice', 'at this time', 'playbook']],
    );
    assert.equal(edited.unchanged, 1, 'the apology moved down two lines and is still the same finding');
    const total = s.findings.posts.reduce((n, p) => n + p.new.length, 0);
    assert.equal(s.findings.totals.new, total);
    assert.ok(s.findings.totals.unchanged >= 1);
  });

  it('does not count the findings of removed posts as fixed', () => {
    assert.equal(
      s.findings.posts.some((p) => p.file === 'posts/removed.md'),
      false,
    );
  });

  it('lists playbook changes: files, rules, talking points, channels, schedule settings', () => {
    const pb = s.playbook;
    assert.equal(pb.changed, true);
    assert.deepEqual(pb.files, [
      { file: 'playbooks/channels.md', change: 'modified' },
      { file: 'playbooks/schedule.md', change: 'modified' },
      { file: 'playbooks/talking-points.md', change: 'modified' },
      { file: 'playbooks/voice.md', change: 'modified' },
    ]);
    const rules = new Map(pb.rules.map((r) => [r.id, r]));
    assert.deepEqual(rules.get('authority-voice')?.phrasesAdded, ['at this time']);
    assert.deepEqual(rules.get('authority-voice')?.phrasesRemoved, ['going forward']);
    assert.deepEqual(rules.get('non-apology')?.severity, { from: 'warning', to: 'error' });
    assert.equal(rules.get('voice/jargon-watch')?.change, 'added');
    assert.equal(rules.get('voice/jargon-watch')?.phraseCount, 1);
    assert.deepEqual(
      pb.talkingPoints.added.map((t) => t.campaign),
      ['spring'],
    );
    assert.deepEqual(pb.talkingPoints.removed, []);
    assert.deepEqual(
      pb.channels.map((c) => [c.id, c.change]),
      [['mastodon', 'added']],
    );
    assert.deepEqual(pb.schedule, [{ setting: 'paused', from: 'no', to: 'yes (Election period)' }]);
    assert.deepEqual(pb.errors, []);
  });

  it('shows what the playbook change flags and clears across posts, changed or not', () => {
    const flagged = new Map(s.playbook.impact.newlyFlagged.map((e) => [e.file, e]));
    const untouched = flagged.get('posts/untouched.md');
    assert.ok(untouched, 'a post the pull request did not touch is newly flagged by the new phrases');
    assert.equal(untouched.postChanged, false);
    assert.deepEqual(untouched.findings.map((f) => [f.ruleId, f.text]).sort(), [
      ['authority-voice', 'at this time'],
      ['voice/jargon-watch', 'touch base'],
    ]);
    assert.equal(
      flagged.get('posts/moved.md')?.findings.some((f) => f.ruleId === 'paused'),
      true,
      'the pause flags scheduled posts',
    );
    assert.equal(flagged.get('posts/edited.md')?.postChanged, true);
    const cleared = new Map(s.playbook.impact.cleared.map((e) => [e.file, e]));
    assert.deepEqual(
      cleared.get('posts/cleared.md')?.findings.map((f) => [f.ruleId, f.text]),
      [['authority-voice', 'Going forward']],
    );
    assert.equal(cleared.get('posts/cleared.md')?.postChanged, false);
    // The same finding, seen per post, is attributed to the playbook.
    const clearedPost = s.findings.posts.find((p) => p.file === 'posts/cleared.md');
    assert.deepEqual(
      clearedPost?.fixed.map((f) => f.cause),
      ['playbook'],
    );
  });

  it('renders every section as Markdown', () => {
    const md = renderReviewMarkdown(s);
    assert.match(md, /^<!-- unscripted-review -->\n## Unscripted review/);
    for (const heading of [
      '### Posts',
      '### Status changes',
      '### Schedule changes',
      '### Findings',
      '### Playbook',
      '#### Impact across the workspace',
    ]) {
      assert.ok(md.includes(heading), `missing ${heading}`);
    }
    assert.match(md, /\| `posts\/new\.md` \(Gala\) \| added \| scheduled \| `2026-03-06T09:00:00\+00:00` \|/);
    assert.match(md, /\| `posts\/park\.md` \(Park\) \| renamed from `posts\/renamed\.md` \|/);
    assert.match(md, /\| `posts\/removed\.md` \(Old news\) \| removed \|/);
    assert.match(md, /`posts\/status\.md` \(Choir\): draft → \*\*ready\*\*/);
    assert.match(
      md,
      /`posts\/moved\.md` \(Market day\): moved 24 hours later, `2026-03-03T09:00:00Z` → `2026-03-04T09:00:00Z`, 3 days ahead — \*\*inside the pause\*\* \(Election period\)/,
    );
    assert.match(
      md,
      /`posts\/new\.md` \(Gala\): newly scheduled for `2026-03-06T09:00:00\+00:00`, 5 days ahead — \*\*inside the pause\*\*/,
    );
    assert.match(md, /`posts\/removed\.md` \(Old news\): no longer scheduled/);
    assert.match(md, /\| `posts\/edited\.md` \(Pool hours\) \| 1 \| 1 \| 1 \|/);
    assert.match(md, /fixed: warning `authority-voice` line \d+: .* — “Please be advised”/);
    assert.match(md, /`non-apology` Non-apology: severity warning → error/);
    assert.match(md, /`voice\/jargon-watch` Jargon watch: added \(warning\), 1 phrase/);
    assert.match(md, /\+1 phrase \(“at this time”\); −1 phrase \(“going forward”\)/);
    assert.match(md, /paused: no → \*\*yes \(Election period\)\*\*/);
    assert.match(md, /\*\*Newly flagged by the playbook change:\*\* \d+ findings in \d+ posts \(\d+ not changed in this pull request\)/);
    assert.match(md, /`posts\/untouched\.md` \(Council visit\) \*\(not changed\)\*/);
    assert.match(md, /\*\*Cleared by the playbook change:\*\* 1 finding in 1 post/);
  });

  it('prints Markdown and JSON from the CLI', async () => {
    const out = collect();
    const err = collect();
    const code = await run(['--base', 'main', '--now', NOW.toISOString(), '--format', 'json'], {
      cwd: repo.dir,
      stdout: out.stream,
      stderr: err.stream,
    });
    assert.equal(code, 0, err.text());
    const json = JSON.parse(out.text()) as ReviewSummary;
    assert.deepEqual(
      json.posts.added.map((p) => p.file),
      ['posts/new.md'],
    );
    assert.equal(json.findings.totals.new, s.findings.totals.new);

    const md = collect();
    assert.equal(
      await run(['--base', 'main', '--now', NOW.toISOString()], { cwd: repo.dir, stdout: md.stream, stderr: collect().stream }),
      0,
    );
    assert.equal(md.text(), renderReviewMarkdown(s));
  });
});

describe('review: edge cases', function () {
  this.timeout(30000);
  let repo: TempRepo;
  beforeEach(() => {
    repo = TempRepo.init('unscripted-review-edge-');
    repo.write('playbooks/voice.md', VOICE_BASE);
    repo.write('playbooks/schedule.md', schedule(false));
    repo.write('posts/a.md', post({ title: 'A', channels: '[outbox]', status: 'draft' }, 'Going forward we open at 9.\n'));
    repo.commitAll('base');
  });
  afterEach(() => repo.cleanup());

  it('says "nothing to report" in one line', async () => {
    const s = await buildReview({ cwd: repo.dir, base: 'HEAD', now: NOW });
    assert.equal(s.nothingToReport, true);
    const md = renderReviewMarkdown(s);
    const lines = md
      .trimEnd()
      .split('\n')
      .filter((l) => !l.startsWith('<!--'));
    assert.equal(lines.length, 1);
    assert.match(lines[0], /nothing to report/);
  });

  it('counts uncommitted work unless asked for commits only', async () => {
    repo.write('posts/a.md', post({ title: 'A', channels: '[outbox]', status: 'draft' }, 'We open at 9.\n'));
    const s = await buildReview({ cwd: repo.dir, base: 'HEAD', now: NOW });
    assert.deepEqual(
      s.posts.changed.map((p) => p.file),
      ['posts/a.md'],
    );
    assert.equal(s.findings.totals.fixed, 1);
    const committed = await buildReview({ cwd: repo.dir, base: 'HEAD', now: NOW, includeWorkingTree: false });
    assert.equal(committed.posts.changed.length, 0);
  });

  it('leaves out posts git ignores', async () => {
    repo.write('.gitignore', 'posts/scratch/\n');
    repo.commitAll('ignore scratch');
    repo.write('posts/scratch/idea.md', post({ title: 'Idea', channels: '[outbox]', status: 'draft' }, 'Going forward, maybe.\n'));
    repo.write('posts/real.md', post({ title: 'Real', channels: '[outbox]', status: 'draft' }, 'A real draft.\n'));
    const s = await buildReview({ cwd: repo.dir, base: 'HEAD', now: NOW });
    assert.deepEqual(
      s.posts.added.map((p) => p.file),
      ['posts/real.md'],
    );
  });

  it('reports mistakes in the head playbook', async () => {
    repo.write('playbooks/schedule.md', schedule(false).replace('horizon: 14 days', 'horizon: soon-ish'));
    const s = await buildReview({ cwd: repo.dir, base: 'HEAD', now: NOW });
    assert.equal(s.playbook.changed, true);
    assert.equal(s.playbook.errors.length > 0, true);
    assert.equal(s.playbook.errors[0].file, 'playbooks/schedule.md');
    assert.match(renderReviewMarkdown(s), /\*\*Playbook mistakes\*\*/);
  });

  it('fails with exit 2 and a clear message for a missing ref or a bad option', async () => {
    const err = collect();
    assert.equal(await run(['--base', 'origin/nope'], { cwd: repo.dir, stdout: collect().stream, stderr: err.stream }), 2);
    assert.match(err.text(), /git ref "origin\/nope" was not found/);
    const err2 = collect();
    assert.equal(await run([], { cwd: repo.dir, stdout: collect().stream, stderr: err2.stream }), 2);
    assert.match(err2.text(), /--base REF is required/);
    const err3 = collect();
    assert.equal(await run(['--base', 'HEAD', '--format', 'sarif'], { cwd: repo.dir, stdout: collect().stream, stderr: err3.stream }), 2);
    assert.match(err3.text(), /unknown format "sarif"/);
  });

  it('escapes post titles so they cannot break the table or inject HTML', () => {
    assert.equal(mdText('a | b <img src=x> *c*'), 'a \\| b &lt;img src=x&gt; \\*c\\*');
    assert.equal(mdCode('has `tick`'), '`` has `tick` ``');
  });
});
