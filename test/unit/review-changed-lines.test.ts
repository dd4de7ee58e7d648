import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  changedLinesSince,
  filterToChangedLines,
  findingLines,
  mergeRanges,
  NotAGitRepositoryError,
  RefNotFoundError,
  type ChangedLines,
} from '../../src/review/changed-lines';
import { unquoteGitPath } from '../../src/review/git';
import { numbered, sh, TempRepo } from './review-fixtures';

function ranges(changed: ChangedLines, repo: TempRepo, rel: string) {
  const c = changed.files.get(repo.path(rel));
  assert.ok(c, `${rel} should be listed as changed; got ${[...changed.files.keys()].join(', ')}`);
  return c;
}

describe('review: changed lines since a ref', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = TempRepo.init();
  });
  afterEach(() => repo.cleanup());

  it('lists added and changed lines, not deleted ones, against the base commit', async () => {
    repo.write('posts/a.md', numbered(10));
    repo.write('posts/b.md', numbered(5));
    repo.write('posts/gone.md', 'bye\n');
    repo.commitAll('base');
    repo.git('checkout', '-q', '-b', 'feature');
    // a.md: change line 3, insert two lines after line 6, delete line 9
    const a = numbered(10).split('\n');
    a[2] = 'line 3 edited';
    a.splice(6, 0, 'new A', 'new B');
    a.splice(10, 1); // old line 9 (now at index 10)
    repo.write('posts/a.md', a.join('\n'));
    // b.md: only a deletion
    repo.write('posts/b.md', numbered(5).replace('line 4\n', ''));
    repo.remove('posts/gone.md');
    repo.write('posts/new.md', 'hello\nworld\n');
    repo.commitAll('head');

    const changed = await changedLinesSince(repo.dir, 'main');
    assert.equal(changed.baseMode, 'merge-base');
    assert.equal(changed.base, repo.git('rev-parse', 'main').trim());
    assert.deepEqual(ranges(changed, repo, 'posts/a.md').ranges, [
      { start: 3, end: 3 },
      { start: 7, end: 8 },
    ]);
    const b = ranges(changed, repo, 'posts/b.md');
    assert.equal(b.status, 'modified');
    assert.deepEqual(b.ranges, [], 'a deletion marks no line');
    const n = ranges(changed, repo, 'posts/new.md');
    assert.equal(n.status, 'added');
    assert.equal(n.whole, true);
    assert.equal(changed.files.has(repo.path('posts/gone.md')), false, 'deleted files are not listed as changed');
    assert.deepEqual(changed.deleted, ['posts/gone.md']);
    assert.deepEqual(changed.notes, []);
  });

  it('starts at the merge base: changes that landed on the base meanwhile do not count', async () => {
    repo.write('posts/a.md', numbered(6));
    repo.write('posts/other.md', numbered(3));
    repo.commitAll('base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('posts/a.md', numbered(6).replace('line 2\n', 'line 2 by the writer\n'));
    repo.commitAll('writer edit');
    repo.git('checkout', '-q', 'main');
    repo.write('posts/other.md', numbered(3).replace('line 1\n', 'line 1 on main\n'));
    repo.write('posts/a.md', numbered(6).replace('line 5\n', 'line 5 on main\n'));
    repo.commitAll('main moves on');
    repo.git('checkout', '-q', 'feature');

    const changed = await changedLinesSince(repo.dir, 'main');
    assert.equal(changed.baseMode, 'merge-base');
    assert.deepEqual([...changed.files.keys()], [repo.path('posts/a.md')]);
    assert.deepEqual(ranges(changed, repo, 'posts/a.md').ranges, [{ start: 2, end: 2 }]);
  });

  it('counts staged, unstaged and untracked work by default, and not when asked for commits only', async () => {
    repo.write('posts/a.md', numbered(4));
    repo.write('.gitignore', 'scratch/\n');
    repo.commitAll('base');
    repo.write('posts/a.md', numbered(4).replace('line 4\n', 'line 4 unstaged\n'));
    repo.write('posts/staged.md', 'staged\n');
    repo.git('add', 'posts/staged.md');
    repo.write('posts/untracked draft.md', 'one\ntwo\n');
    repo.write('scratch/ignored.md', 'ignored\n');

    const changed = await changedLinesSince(repo.dir, 'HEAD');
    assert.deepEqual(ranges(changed, repo, 'posts/a.md').ranges, [{ start: 4, end: 4 }]);
    assert.equal(ranges(changed, repo, 'posts/staged.md').whole, true);
    const u = ranges(changed, repo, 'posts/untracked draft.md');
    assert.equal(u.status, 'untracked');
    assert.equal(u.whole, true);
    assert.equal(changed.files.has(repo.path('scratch/ignored.md')), false, 'ignored files do not count');

    const committedOnly = await changedLinesSince(repo.dir, 'HEAD', { includeWorkingTree: false });
    assert.equal(committedOnly.files.size, 0);
  });

  it('treats a pure rename as unchanged and a rename with edits by its edited lines', async () => {
    repo.write('posts/old-name.md', numbered(20, 'a fairly long line so rename detection has content'));
    repo.write('posts/moved.md', numbered(20, 'another fairly long line of the second post'));
    repo.commitAll('base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.git('mv', 'posts/old-name.md', 'posts/new-name.md');
    fs.mkdirSync(repo.path('posts/sub'));
    repo.git('mv', 'posts/moved.md', 'posts/sub/moved.md');
    repo.write(
      'posts/sub/moved.md',
      numbered(20, 'another fairly long line of the second post').replace(
        'another fairly long line of the second post 7\n',
        'an edited line\n',
      ),
    );
    repo.commitAll('rename');
    const changed = await changedLinesSince(repo.dir, 'main');
    const renamed = ranges(changed, repo, 'posts/new-name.md');
    assert.equal(renamed.status, 'renamed');
    assert.equal(renamed.oldRelPath, 'posts/old-name.md');
    assert.equal(renamed.whole, false);
    assert.deepEqual(renamed.ranges, []);
    const moved = ranges(changed, repo, 'posts/sub/moved.md');
    assert.equal(moved.status, 'renamed');
    assert.deepEqual(moved.ranges, [{ start: 7, end: 7 }]);
  });

  it('keeps paths with spaces, quotes and non-ASCII letters', async () => {
    repo.write('posts/café "quoted".md', numbered(3));
    repo.commitAll('base');
    repo.write('posts/café "quoted".md', numbered(3).replace('line 2\n', 'changed\n'));
    repo.commitAll('head');
    const changed = await changedLinesSince(repo.dir, 'HEAD~1');
    assert.deepEqual(ranges(changed, repo, 'posts/café "quoted".md').ranges, [{ start: 2, end: 2 }]);
  });

  it('works from a subfolder of the repository', async () => {
    repo.write('posts/a.md', numbered(3));
    repo.commitAll('base');
    repo.write('posts/a.md', numbered(3).replace('line 3\n', 'x\n'));
    const changed = await changedLinesSince(path.join(repo.dir, 'posts'), 'HEAD');
    assert.equal(changed.repoRoot, repo.dir);
    assert.deepEqual(ranges(changed, repo, 'posts/a.md').ranges, [{ start: 3, end: 3 }]);
  });

  it('says clearly when the ref is missing', async () => {
    repo.write('a.md', 'a\n');
    repo.commitAll('base');
    await assert.rejects(changedLinesSince(repo.dir, 'origin/nope'), (e: unknown) => {
      assert.ok(e instanceof RefNotFoundError);
      assert.match(e.message, /git ref "origin\/nope" was not found/);
      assert.match(e.message, /fetch/);
      return true;
    });
    await assert.rejects(changedLinesSince(repo.dir, '--output=/tmp/x'), RefNotFoundError, 'option-like refs are refused');
  });

  it('says clearly when the folder is not a git repository', async () => {
    const plain = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-nogit-')));
    try {
      await assert.rejects(changedLinesSince(plain, 'main'), (e: unknown) => {
        assert.ok(e instanceof NotAGitRepositoryError);
        assert.match(e.message, /not inside a git repository/);
        return true;
      });
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });
});

describe('review: changed lines in a shallow clone', () => {
  let origin: TempRepo;
  let cloneDir: string;
  beforeEach(() => {
    origin = TempRepo.init('unscripted-origin-');
    origin.write('posts/a.md', numbered(5));
    origin.commitAll('one');
    origin.write('posts/b.md', numbered(2));
    origin.commitAll('two');
    origin.git('checkout', '-q', '-b', 'feature');
    origin.write('posts/a.md', numbered(5).replace('line 5\n', 'line 5 edited\n'));
    origin.commitAll('feature edit');
    origin.write('posts/c.md', 'new\n');
    origin.commitAll('feature add');
    cloneDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-shallow-')));
    sh(os.tmpdir(), ['clone', '-q', '--depth=1', '--branch', 'feature', `file://${origin.dir}`, cloneDir]);
  });
  afterEach(() => {
    origin.cleanup();
    fs.rmSync(cloneDir, { recursive: true, force: true });
  });

  it('tells the user to fetch the base when it is not there', async () => {
    await assert.rejects(changedLinesSince(cloneDir, 'origin/main'), (e: unknown) => {
      assert.ok(e instanceof RefNotFoundError);
      assert.match(e.message, /shallow clone/);
      assert.match(e.message, /git fetch --depth=1 origin main/);
      return true;
    });
  });

  it('compares with the fetched base when the merge base is out of reach', async () => {
    sh(cloneDir, ['fetch', '-q', '--depth=1', 'origin', 'main:refs/remotes/origin/main']);
    const changed = await changedLinesSince(cloneDir, 'origin/main');
    assert.equal(changed.baseMode, 'ref');
    assert.match(changed.notes.join('\n'), /shallow clone/);
    assert.deepEqual([...changed.files.keys()].sort(), [path.join(cloneDir, 'posts/a.md'), path.join(cloneDir, 'posts/c.md')]);
    assert.deepEqual(changed.files.get(path.join(cloneDir, 'posts/a.md'))!.ranges, [{ start: 5, end: 5 }]);
    assert.equal(changed.files.get(path.join(cloneDir, 'posts/c.md'))!.whole, true);
  });

  it('uses the merge base once enough history is fetched', async () => {
    sh(cloneDir, ['fetch', '-q', '--depth=3', 'origin', 'main:refs/remotes/origin/main', 'feature']);
    const changed = await changedLinesSince(cloneDir, 'origin/main');
    assert.equal(changed.baseMode, 'merge-base');
    assert.deepEqual(changed.notes, []);
  });
});

describe('review: filterToChangedLines', () => {
  const root = path.join(os.tmpdir(), 'unscripted-filter-root');
  const changed: ChangedLines = {
    repoRoot: root,
    ref: 'main',
    base: '0'.repeat(40),
    baseMode: 'merge-base',
    includesWorkingTree: true,
    notes: [],
    deleted: [],
    files: new Map([
      [
        path.join(root, 'posts/a.md'),
        {
          file: path.join(root, 'posts/a.md'),
          relPath: 'posts/a.md',
          status: 'modified',
          whole: false,
          ranges: [
            { start: 3, end: 4 },
            { start: 10, end: 10 },
          ],
        },
      ],
      [
        path.join(root, 'posts/new.md'),
        { file: path.join(root, 'posts/new.md'), relPath: 'posts/new.md', status: 'added', whole: true, ranges: [] },
      ],
    ]),
  };
  const f = (line: number, endLine = line, endColumn = 5) => ({ ruleId: 'r', line, endLine, column: 1, endColumn });

  it('keeps findings that touch changed lines, all findings of new files, and drops unchanged files', () => {
    const results = [
      { file: path.join(root, 'posts/a.md'), findings: [f(1), f(2, 3), f(4), f(5), f(9), f(10), f(11), f(1, 12)] },
      { file: path.join(root, 'posts/new.md'), findings: [f(1), f(99)] },
      { file: path.join(root, 'posts/untouched.md'), findings: [f(3)] },
    ];
    const out = filterToChangedLines(results, changed);
    assert.deepEqual(
      out.map((r) => [path.basename(r.file), r.findings.map((x) => `${x.line}-${x.endLine}`)]),
      [
        ['a.md', ['2-3', '4', '10', '1-12'].map((s) => (s.includes('-') ? s : `${s}-${s}`))],
        ['new.md', ['1-1', '99-99']],
      ],
    );
    assert.equal(results[0].findings.length, 8, 'the input is not mutated');
  });

  it('does not count an end at column 1 of the next line as touching that line', () => {
    assert.deepEqual(findingLines({ line: 2, endLine: 3, endColumn: 1 }), [2, 2]);
    assert.deepEqual(findingLines({ line: 2, endLine: 3, endColumn: 2 }), [2, 3]);
    const out = filterToChangedLines([{ file: path.join(root, 'posts/a.md'), findings: [f(2, 3, 1)] }], changed);
    assert.deepEqual(out[0].findings, []);
  });

  it('finds a file given by a relative path', () => {
    const rel = path.relative(process.cwd(), path.join(root, 'posts/new.md'));
    const out = filterToChangedLines([{ file: rel, findings: [f(1)] }], changed);
    assert.equal(out.length, 1);
  });
});

describe('review: helpers', () => {
  it('merges overlapping and adjacent ranges', () => {
    assert.deepEqual(
      mergeRanges([
        { start: 5, end: 6 },
        { start: 1, end: 2 },
        { start: 3, end: 3 },
        { start: 9, end: 9 },
      ]),
      [
        { start: 1, end: 3 },
        { start: 5, end: 6 },
        { start: 9, end: 9 },
      ],
    );
  });
  it('unquotes git C-style paths', () => {
    assert.equal(unquoteGitPath('"posts/caf\\303\\251 \\"q\\".md"'), 'posts/café "q".md');
    assert.equal(unquoteGitPath('"a\\tb"'), 'a\tb');
    assert.equal(unquoteGitPath('plain.md'), 'plain.md');
  });
});
