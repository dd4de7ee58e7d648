/**
 * Issue 9: the CLI in a team's own repo, run as a user runs it (the real bin, a real git repo
 * in a temp folder), from the root and from subfolders.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, tempDir } from '../helpers';

const BIN = path.join(REPO_ROOT, 'bin', 'unscripted.js');
const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-cache-'));

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, UNSCRIPTED_CACHE_DIR: CACHE, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh git repo where `unscripted init` has run, plus the given files. */
function teamRepo(files: Record<string, string> = {}): string {
  const dir = tempDir();
  spawnSync('git', ['init', '-q'], { cwd: dir });
  const r = run(['init'], dir);
  assert.equal(r.code, 0, r.stderr);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const POST = (body: string, channels = '[outbox]') => `---\ntitle: t\nchannels: ${channels}\nstatus: draft\n---\n${body}`;

describe('CLI in your own repo: finding the playbook', () => {
  it('lints from a subfolder with the same findings as from the root', () => {
    const repo = teamRepo({ 'posts/2026/march/bus.md': POST('Going forward, the 42 runs prior to nine.\n') });
    const fromRoot = run(['lint', '-f', 'json'], repo);
    const fromPosts = run(['lint', '-f', 'json'], path.join(repo, 'posts'));
    const fromDeep = run(['lint', '-f', 'json', 'bus.md'], path.join(repo, 'posts', '2026', 'march'));
    const ids = (out: string) =>
      (JSON.parse(out) as { file: string; messages: { ruleId: string; line: number; column: number }[] }[])
        .filter((x) => x.file.endsWith('bus.md'))
        .flatMap((x) => x.messages.map((m) => `${m.ruleId}@${m.line}:${m.column}`));
    assert.ok(ids(fromRoot.stdout).length >= 2, fromRoot.stdout);
    assert.deepEqual(ids(fromPosts.stdout), ids(fromRoot.stdout));
    assert.deepEqual(ids(fromDeep.stdout), ids(fromRoot.stdout));
    assert.equal(JSON.parse(fromPosts.stdout).length, 2, 'from posts/ every post: bus.md and welcome.md');
    fs.mkdirSync(path.join(repo, 'docs'));
    fs.writeFileSync(path.join(repo, 'docs', 'notes.md'), '# Notes\n\nGoing forward, notes.\n');
    const fromDocs = run(['lint', '-f', 'json'], path.join(repo, 'docs'));
    assert.deepEqual(
      JSON.parse(fromDocs.stdout).map((x: { file: string }) => x.file),
      ['../posts/2026/march/bus.md', '../posts/welcome.md'],
      'a folder of notes is not posts',
    );
    assert.deepEqual(ids(fromDocs.stdout), ids(fromRoot.stdout));
  });

  it("uses the team's own channel from a subfolder (not the shipped default)", () => {
    const repo = teamRepo({ 'posts/partners.md': POST('The hall opens at nine.\n', '[partners]') });
    fs.appendFileSync(path.join(repo, 'playbooks', 'channels.md'), '| partners | outbox |  |  |  |\n');
    const r = run(['lint', 'partners.md'], path.join(repo, 'posts'));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, '✔ 1 post, no problems\nPlaybook: ../playbooks/\n');
  });

  it('says "(shipped default)" when no playbooks/ is found up to the git root, and does not look above it', () => {
    const outer = tempDir({ 'playbooks/voice.md': '---\nkind: voice\n---\n## Banned\n\n- "hall" → "room"\n' });
    const repo = path.join(outer, 'repo');
    fs.mkdirSync(path.join(repo, 'posts'), { recursive: true });
    spawnSync('git', ['init', '-q'], { cwd: repo });
    fs.writeFileSync(path.join(repo, 'posts', 'a.md'), POST('The hall opens at nine.\n'));
    const r = run(['lint'], path.join(repo, 'posts'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^✔ 1 post, no problems\nPlaybook: \(shipped default\)/);
  });

  it('no posts under a named path, or in the workspace, is exit 2 with a message', () => {
    const repo = teamRepo();
    fs.mkdirSync(path.join(repo, 'empty'));
    let r = run(['lint', 'empty'], repo);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^unscripted: no posts found under empty\n$/);
    r = run(['lint', 'posts/**/*.txt'], repo);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no posts found under posts\/\*\*\/\*\.txt/);
  });

  it('expands globs, quoted or not', () => {
    const repo = teamRepo({ 'posts/a/one.md': POST('Hi.\n'), 'posts/b/two.md': POST('Hello.\n'), 'notes/x.md': POST('Going forward.\n') });
    const files = (args: string[]) =>
      (JSON.parse(run(['lint', '-f', 'json', ...args], repo).stdout) as { file: string }[]).map((x) => x.file);
    assert.deepEqual(files(['posts/**/*.md']), ['posts/a/one.md', 'posts/b/two.md', 'posts/welcome.md']);
    assert.deepEqual(files(['posts/*/t*.md']), ['posts/b/two.md']);
    assert.deepEqual(files(['posts/a/one.md', 'posts/b/two.md']), ['posts/a/one.md', 'posts/b/two.md']);
  });

  it('a glob walks as a folder path does: no link out of the workspace, no node_modules', () => {
    const repo = teamRepo({ 'posts/a/one.md': POST('Hi.\n'), 'posts/node_modules/dep.md': POST('Dep.\n') });
    const outside = tempDir({ 'x.md': POST('Outside.\n') });
    fs.symlinkSync(outside, path.join(repo, 'posts', 'ext'));
    const files = (args: string[]) =>
      (JSON.parse(run(['lint', '-f', 'json', ...args], repo).stdout) as { file: string }[]).map((x) => x.file);
    assert.deepEqual(files(['posts/**/*.md']), ['posts/a/one.md', 'posts/welcome.md']);
  });
});

describe('CLI in your own repo: --fix', () => {
  it('applies only the (auto-fix) entries, never "kept going forward" → "kept from now on"', () => {
    const body = 'The bus kept going forward through the flood, arriving prior to nine.\n';
    const repo = teamRepo({ 'posts/bus.md': POST(body) });
    const dry = run(['lint', '--fix-dry-run', 'posts/bus.md'], repo);
    assert.match(dry.stdout, /^--- a\/posts\/bus\.md\n\+\+\+ b\/posts\/bus\.md\n/m);
    assert.match(dry.stdout, /^-The bus kept going forward through the flood, arriving prior to nine\.$/m);
    assert.match(dry.stdout, /^\+The bus kept going forward through the flood, arriving before nine\.$/m);
    assert.match(dry.stdout, /Would fix 1 finding in 1 post\./);
    assert.equal(fs.readFileSync(path.join(repo, 'posts/bus.md'), 'utf8'), POST(body), 'dry run changes nothing');

    const r = run(['lint', '--fix', 'posts/bus.md'], repo);
    assert.equal(
      fs.readFileSync(path.join(repo, 'posts/bus.md'), 'utf8'),
      POST('The bus kept going forward through the flood, arriving before nine.\n'),
    );
    assert.match(r.stdout, /Fixed 1 finding in 1 post\./);
    assert.match(r.stdout, /“going forward”/i, 'what is left is still reported');
    assert.doesNotMatch(r.stdout, /prior to/);
  });

  it('applies the same edits as the editor fix-all (one use case: app/fix)', () => {
    const repo = teamRepo({ 'posts/a.md': POST('In regards to the pool: arrive prior to nine.\n') });
    run(['lint', '--fix'], repo);
    assert.equal(fs.readFileSync(path.join(repo, 'posts/a.md'), 'utf8'), POST('About the pool: arrive before nine.\n'));
    const src = fs.readFileSync(path.join(REPO_ROOT, 'src', 'extension', 'actions.ts'), 'utf8');
    assert.match(src, /fixAllEdits\(findings\)/, 'the editor fix-all calls the fix use case (src/app/fix.ts), as lint --fix does');
  });
});

describe('CLI: errors a person can act on', () => {
  const repo = teamRepo();
  it('unknown option: one line with did-you-mean, one line pointing at --help', () => {
    const r = run(['lint', '--formt', 'json'], repo);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'unscripted lint: unknown option --formt; did you mean --format?\nRun `unscripted lint --help` for the options.\n',
    );
    assert.equal(r.stdout, '');
  });
  it('unknown command and unknown format say did-you-mean', () => {
    assert.equal(
      run(['lnit'], repo).stderr,
      'unscripted: unknown command "lnit"; did you mean init?\nRun `unscripted --help` for the options.\n',
    );
    assert.match(run(['lint', '-f', 'jsno'], repo).stderr, /unknown format "jsno"; did you mean json\?/);
    assert.match(run(['playbok'], repo).stderr, /did you mean playbook\?/);
  });
  it('--playbook nope is exit 2 and lints nothing', () => {
    const r = run(['lint', '--playbook', 'nope'], repo);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /--playbook nope: no such folder/);
  });
  it('each command has its own --help listing every option; --version and -V', () => {
    const h = run(['lint', '--help'], repo);
    assert.equal(h.code, 0);
    for (const o of [
      '--format',
      '-f,',
      '--playbook',
      '--fix',
      '--fix-dry-run',
      '--max-warnings',
      '-q,',
      '--quiet',
      '--stdin',
      '--stdin-filename',
      '--now',
      '--changed-since',
      '--color',
      '--no-color',
      'FORCE_COLOR',
      'NO_COLOR',
    ]) {
      assert.ok(h.stdout.includes(o), o);
    }
    assert.match(run(['init', '--help'], repo).stdout, /--force/);
    assert.match(run(['playbook', '--help'], repo).stdout, /--format/);
    assert.match(run(['help', 'lint'], repo).stdout, /--fix-dry-run/);
    const version = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version;
    assert.equal(run(['--version'], repo).stdout, `${version}\n`);
    assert.equal(run(['-V'], repo).stdout, `${version}\n`);
  });
  it('FORCE_COLOR turns colour on without a terminal; --no-color and NO_COLOR turn it off', () => {
    fs.writeFileSync(path.join(repo, 'posts', 'c.md'), POST('Going forward.\n'));
    assert.match(run(['lint', 'posts/c.md'], repo, { NO_COLOR: undefined, FORCE_COLOR: '1' }).stdout, /\x1b\[/);
    assert.doesNotMatch(run(['lint', 'posts/c.md', '--no-color'], repo, { NO_COLOR: undefined, FORCE_COLOR: '1' }).stdout, /\x1b\[/);
    assert.match(run(['lint', 'posts/c.md', '--color'], repo).stdout, /\x1b\[/);
    assert.doesNotMatch(run(['lint', 'posts/c.md'], repo).stdout, /\x1b\[/);
    fs.rmSync(path.join(repo, 'posts', 'c.md'));
  });
});

describe('CLI: the team playbook, explained and never stale', () => {
  it('a team rule wins over the shipped default for the same phrase', () => {
    const repo = teamRepo({ 'posts/s.md': POST('We met our stakeholders.\n') });
    fs.appendFileSync(
      path.join(repo, 'playbooks', 'voice.md'),
      '\n## Words we never use\nSeverity: error\n\nSay who.\n\n- "stakeholders" → "residents"\n',
    );
    const r = run(['lint', '-f', 'json', 'posts/s.md'], repo);
    const m = JSON.parse(r.stdout)[0].messages.filter((x: { ruleId: string }) => x.ruleId !== 'context-free');
    assert.deepEqual(
      m.map((x: { ruleId: string; severity: string; suggestions: string[] }) => [x.ruleId, x.severity, x.suggestions]),
      [['voice/words-we-never-use', 'error', ['Residents'.toLowerCase()]]],
    );
    assert.equal(r.code, 1);
  });

  it('`unscripted playbook` prints rules, channels, schedule and talking points with file:line', () => {
    const repo = teamRepo();
    const r = run(['playbook'], path.join(repo, 'posts'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Playbook: \.\.\/playbooks\/\n/);
    assert.match(r.stdout, /^ {2}authority-voice +warning +\d+ phrases \(\d+ auto-fix\) +\.\.\/playbooks\/voice\.md:\d+$/m);
    assert.match(r.stdout, /^ {2}outbox +outbox +\.\.\/playbooks\/channels\.md:\d+$/m);
    assert.match(r.stdout, /^ {2}horizon +2 weeks +\.\.\/playbooks\/schedule\.md:3$/m);
    assert.match(r.stdout, /^ {2}spring-opening: 2 talking points$/m);
    const j = JSON.parse(run(['playbook', '-f', 'json'], repo).stdout);
    assert.equal(j.dir, 'playbooks');
    assert.ok(j.rules.find((x: { id: string }) => x.id === 'authority-voice').phraseCount > 100);
  });

  it('the compiled-playbook cache never serves a stale playbook', () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-cache-'));
    const repo = teamRepo({ 'posts/s.md': POST('Our new gizmo is here.\n') });
    const env = { UNSCRIPTED_CACHE_DIR: cache };
    assert.equal(run(['lint', 'posts/s.md'], repo, env).code, 0);
    assert.equal(run(['lint', 'posts/s.md'], repo, env).code, 0);
    assert.equal(
      fs.readdirSync(cache).filter((n) => n.startsWith('playbook-') && n.endsWith('.json')).length,
      1,
      'one cached playbook, reused',
    );
    fs.appendFileSync(path.join(repo, 'playbooks', 'voice.md'), '\n## Words we never use\nSeverity: error\n\n- "gizmo" → "app"\n');
    const r = run(['lint', 'posts/s.md'], repo, env);
    assert.equal(r.code, 1, 'the edit is seen on the very next run');
    assert.match(r.stdout, /voice\/words-we-never-use/);
    // Same size, same mtime second, different text: still seen (the key is the content).
    const voice = path.join(repo, 'playbooks', 'voice.md');
    const st = fs.statSync(voice);
    fs.writeFileSync(voice, fs.readFileSync(voice, 'utf8').replace('"gizmo"', '"gadgt"'));
    fs.utimesSync(voice, st.atime, st.mtime);
    assert.equal(run(['lint', 'posts/s.md'], repo, env).code, 0);
  });
});

describe('CLI: init in your own repo', () => {
  it('refuses to overwrite an edited file; --force says Replaced: and keeps a backup; no unpublishable channels', () => {
    const repo = teamRepo();
    const ch = path.join(repo, 'playbooks', 'channels.md');
    assert.doesNotMatch(fs.readFileSync(ch, 'utf8'), /^\| *(x|linkedin) *\|/m);
    fs.appendFileSync(ch, '| partners | outbox | | | |\n');
    let r = run(['init'], repo);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /playbooks\/channels\.md/);
    assert.match(fs.readFileSync(ch, 'utf8'), /partners/);
    r = run(['init', '--force'], repo);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Replaced:\n {2}playbooks\/channels\.md/m);
    assert.doesNotMatch(r.stdout, /Created:/);
    assert.match(fs.readFileSync(`${ch}.bak`, 'utf8'), /partners/);
  });

  it('lint warns at the channel row that x and linkedin cannot publish yet', () => {
    const repo = teamRepo();
    fs.appendFileSync(path.join(repo, 'playbooks', 'channels.md'), '| tweets | x | @us | | |\n');
    const r = run(['lint'], repo);
    assert.equal(r.code, 0);
    const line =
      fs
        .readFileSync(path.join(repo, 'playbooks', 'channels.md'), 'utf8')
        .split('\n')
        .findIndex((l) => l.startsWith('| tweets')) + 1;
    assert.match(
      r.stderr,
      new RegExp(`^playbooks/channels\\.md:${line}:1: playbook warning: Channel "tweets": Unscripted has no publisher for x yet`, 'm'),
    );
  });
});

describe('CLI: lint --changed-since and review agree on "new"', () => {
  it('an old finding on an edited line is not new for either; a phrase added to it is new for both', () => {
    const repo = teamRepo({ 'posts/lib.md': POST('Going forward, the library opens at nine.\nSecond line stays.\n') });
    const git = (...a: string[]) => spawnSync('git', a, { cwd: repo, encoding: 'utf8' });
    git('add', '-A');
    git('-c', 'user.email=a@b.c', '-c', 'user.name=A', 'commit', '-qm', 'base');
    const file = path.join(repo, 'posts', 'lib.md');
    const lintNew = () => {
      const r = run(['lint', '--changed-since', 'HEAD', '-f', 'json'], repo);
      const text = fs.readFileSync(file, 'utf8');
      return (JSON.parse(r.stdout) as { file: string; messages: { ruleId: string; offset: number; endOffset: number }[] }[])
        .filter((x) => x.file === 'posts/lib.md')
        .flatMap((x) => x.messages.map((m) => `${m.ruleId}:${text.slice(m.offset, m.endOffset)}`));
    };
    const reviewNew = () => {
      const r = run(['review', '--base', 'HEAD', '--format', 'json'], repo);
      const s = JSON.parse(r.stdout) as { findings: { posts: { file: string; new: { ruleId: string; text: string }[] }[] } };
      return s.findings.posts.filter((p) => p.file === 'posts/lib.md').flatMap((p) => p.new.map((f) => `${f.ruleId}:${f.text}`));
    };
    // Edit the line that holds "Going forward": the finding is old.
    fs.writeFileSync(file, POST('Going forward, the library opens at ten.\nSecond line stays.\n'));
    assert.deepEqual(lintNew(), []);
    assert.deepEqual(reviewNew(), []);
    // Add a phrase on that line: only the phrase is new, in both.
    fs.writeFileSync(file, POST('Going forward, the library opens at ten, prior to the market.\nSecond line stays.\n'));
    assert.deepEqual(lintNew(), ['authority-voice:prior to']);
    assert.deepEqual(reviewNew(), ['authority-voice:prior to']);
  });
});

describe('CLI: publishing from your own repo', () => {
  const long = `${'The riverside library opens on Saturday with longer hours for everyone in town. '.repeat(5)}\n`;
  it('a dry run of a post with lint errors still shows its parts; the gate judges only the channels published', () => {
    const repo = teamRepo({ 'posts/long.md': `---\ntitle: Long\nchannels: [outbox, bluesky]\nstatus: ready\n---\n${long}` });
    const dry = run(['publish', 'posts/long.md', '--dry-run'], repo);
    assert.equal(dry.code, 1);
    assert.match(dry.stderr, /has lint errors:[\s\S]*characters on Bluesky: \d+ over/);
    assert.match(
      dry.stdout,
      /posts\/long\.md → bluesky \(bluesky\): cannot publish — part 1 is \d+ characters; bluesky allows 300\n {2}--- part 1\/1 · \d+\/300 characters, \d+ over ---\n {2}The riverside/,
    );
    assert.match(dry.stdout, /The riverside library opens on Saturday/);
    // Only outbox: the Bluesky length error is not this publish's business.
    const outbox = run(['publish', 'posts/long.md', '--channel', 'outbox', '--yes'], repo);
    assert.equal(outbox.code, 0, outbox.stdout + outbox.stderr);
    assert.match(outbox.stdout, /✔ posts\/long\.md → outbox: published/);
    // A channel the post does not list: usage error, exit 2, with a did-you-mean.
    const typo = run(['publish', 'posts/long.md', '--channel', 'blusky'], repo);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /does not list channel "blusky"; did you mean bluesky\?/);
  });

  it('a draft or a post scheduled for later, by name, is refused without --yes, naming why', () => {
    const later = new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const repo = teamRepo({
      'posts/draft.md': '---\ntitle: D\nchannels: [outbox]\nstatus: draft\n---\nThe pool opens at nine.\n',
      'posts/later.md': `---\ntitle: L\nchannels: [outbox]\nstatus: scheduled\npublish_at: ${later}\nreviewed_at: ${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')}\n---\nThe pool opens at nine.\n`,
    });
    let r = run(['publish', 'posts/draft.md'], repo, {}, '');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /nothing sent: posts\/draft\.md is a draft \(status: draft\); .*add --yes to publish it now/);
    r = run(['publish', 'posts/later.md'], repo, {}, '');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /posts\/later\.md is scheduled for \S+, (3 days|2 days 23 hours) from now/);
    assert.equal(fs.existsSync(path.join(repo, 'outbox')), false);
    r = run(['publish', 'posts/draft.md', '--yes'], repo);
    assert.equal(r.code, 0, r.stderr);
  });
});

describe('CLI: did-you-mean in posts and the playbook', () => {
  it('rule ids in inline comments and rules:, channel ids and statuses', () => {
    const repo = teamRepo({
      'posts/t.md': '---\ntitle: T\nchannels: [outbx]\nstatus: redy\n---\nHello there. <!-- unscripted-disable-line authority-vioce -->\n',
    });
    const voice = path.join(repo, 'playbooks', 'voice.md');
    fs.writeFileSync(voice, fs.readFileSync(voice, 'utf8').replace(/^kind: voice$/m, 'kind: voice\nrules:\n  blind-statment: off'));
    const r = run(['lint', '-f', 'json', 'posts/t.md'], repo);
    const messages = (JSON.parse(r.stdout)[0].messages as { message: string }[]).map((m) => m.message).join('\n');
    assert.match(messages, /Unknown channel "outbx": did you mean "outbox"\?/);
    assert.match(messages, /Unknown status "redy": did you mean "ready"\?/);
    assert.match(messages, /Unknown rule "authority-vioce" in an unscripted-disable-line comment: did you mean "authority-voice"\?/);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^playbooks\/voice\.md:\d+:\d+: playbook error: rules: unknown rule "blind-statment": did you mean "blind-statement"\?/m,
    );
  });
});

describe('CLI: review counts a team rule that shadows the default', () => {
  it("the impact of adding a team heading for a default phrase is the team rule's finding", () => {
    const repo = teamRepo({ 'posts/s.md': POST('We met our stakeholders.\n') });
    const git = (...a: string[]) => spawnSync('git', a, { cwd: repo, encoding: 'utf8' });
    git('add', '-A');
    git('-c', 'user.email=a@b.c', '-c', 'user.name=A', 'commit', '-qm', 'base');
    fs.appendFileSync(
      path.join(repo, 'playbooks', 'voice.md'),
      '\n## Words we never use\nSeverity: error\n\n- "stakeholders" → "residents"\n',
    );
    const r = run(['review', '--base', 'HEAD', '--format', 'json'], repo);
    const s = JSON.parse(r.stdout) as {
      playbook: {
        impact: {
          newlyFlagged: { file: string; findings: { ruleId: string; severity: string }[] }[];
          cleared: { findings: { ruleId: string }[] }[];
        };
      };
    };
    const flagged = s.playbook.impact.newlyFlagged.flatMap((e) => e.findings.map((f) => `${f.ruleId}:${f.severity}`));
    const cleared = s.playbook.impact.cleared.flatMap((e) => e.findings.map((f) => f.ruleId));
    assert.deepEqual(flagged, ['voice/words-we-never-use:error']);
    assert.deepEqual(cleared, ['authority-voice'], 'the default warning it replaces is cleared');
  });
});
