/**
 * Property-based tests (fast-check) over the post parser, the playbook parser, inline control
 * and every rule, on random Markdown, front matter and Unicode. Properties: no exception; every
 * reported range inside the document and on grapheme boundaries; lint is deterministic; a fix
 * applies cleanly and adds no finding of its rule at the same place.
 * The suite runs a fixed seed; `npm run fuzz` runs many more (FUZZ_RUNS, FUZZ_SEED).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as path from 'node:path';
import { BUILTIN_RULES, lintPost, loadPlaybookSync, parsePost, PostIndex, renderParts, type Finding, type Playbook } from '../../src/core';
import { clearParseCache } from '../../src/core/markdown';
import { applySafeFixes } from '../../src/core/fixes';
import { parseControls } from '../../src/core/inline-control';
import { LineIndex } from '../../src/core/text';
import { DEFAULT_PLAYBOOK_DIR } from '../../src/core';
import { fixturePlaybook, NOW, tempDir } from '../helpers';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
/** The suite's seed is fixed; `npm run fuzz` (FUZZ_RUNS set) draws a new one unless FUZZ_SEED is given. */
const SEED = Number(process.env.FUZZ_SEED ?? (process.env.FUZZ_RUNS ? Date.now() % 2 ** 31 : 20261202));
const params = { numRuns: RUNS, seed: SEED, endOnFailure: true };

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
function boundaries(text: string): Set<number> {
  const b = new Set<number>([text.length]);
  for (const s of segmenter.segment(text)) b.add(s.index);
  return b;
}

/** Pieces of posts: words the playbooks flag, Markdown syntax, control comments, awkward Unicode. */
const piece = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'we',
      'are',
      'pleased',
      'to',
      'announce',
      'going',
      'forward',
      'any',
      'inconvenience',
      'for',
      'the',
      'library',
      'opens',
      'this',
      'He',
      'utilise',
      'synergy',
      'please',
      'be',
      'advised',
      'mistakes',
      'were',
      'made',
      "we're",
      'can’t',
      'in line with',
      'NHS',
      'advice',
      'Read more',
      'sorry you feel',
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      ' going forward ',
      ' We are pleased to announce ',
      ' utilise ',
      'Mistakes were made',
      ' in line with NHS advice ',
      ' synergy ',
      ' senior leadership has decided ',
      ' please be advised ',
      'going  forward',
      'Going\nforward',
      ' utilise utilise ',
    ),
  },
  {
    weight: 4,
    arbitrary: fc.constantFrom(' ', ' ', '\n', '\n\n', '\r\n', '\r', '\t', '.', ',', '!', '?', ':', ';', '“', '”', '"', "'", '’'),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '*',
      '**',
      '_',
      '`',
      '```\n',
      '[',
      '](https://x.org/a)',
      '> ',
      '- ',
      '1. ',
      '# ',
      '## ',
      '\n---\n',
      '|',
      '<br>',
      '&amp;',
      '\\',
      '    ',
      '~~',
      'https://example.org/x',
      '@sam@mastodon.social',
      '#news',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '<!-- unscripted-disable authority-voice -->',
      '<!-- unscripted-enable authority-voice -->',
      '<!-- unscripted-disable-next-line -->',
      '<!-- unscripted-disable-line non-apology -->',
      '<!-- unscripted-disable',
      '<!-- note -->',
      '-->',
      '<!-- unscripted-disable nosuchrule -->',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'é',
      'e\u0301',
      '👍🏽',
      '👨‍👩‍👧',
      '🇫🇷',
      '中文',
      'עברית',
      '\u200b',
      '\u200d',
      '\ufeff',
      '\u0000',
      '\ud83d',
      'ﬁ',
      'İ',
      'ß',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
);
const body = fc.array(piece, { maxLength: 60 }).map((a) => a.join(''));

const frontValue = fc.oneof(
  fc.constantFrom(
    '[outbox]',
    '[bluesky, mastodon]',
    'outbox, x',
    'draft',
    'scheduled',
    '2026-03-02T09:00:00Z',
    '2026-13-40T99:00:00Z',
    'yes',
    '~',
    '[[outbox]]',
    '{a: 1}',
    '&a [1]',
    '*a',
    '"unclosed',
    "'q'",
    '|\n  block',
    '!!binary aGk=',
    '1e400',
  ),
  fc.string({ maxLength: 12 }),
);
const frontKey = fc.constantFrom(
  'title',
  'channels',
  'status',
  'publish_at',
  'reviewed_at',
  'campaign',
  'author',
  'occasion',
  'published',
  'publishing',
  'unknown_key',
  'title',
);
const front = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(fc.tuple(frontKey, frontValue), { maxLength: 6 })
      .map((kv) => `---\n${kv.map(([k, v]) => `${k}: ${v}`).join('\n')}\n---\n`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '---\n',
      '---\ntitle: x\n',
      '\ufeff---\ntitle: A\n---\n',
      '---\r\ntitle: A\r\nchannels: [outbox]\r\n---\r\n',
      '---\n---\n',
    ),
  },
);
const postText = fc.tuple(front, body).map(([f, b]) => f + b);

function defaultPlaybook(): Playbook {
  return loadPlaybookSync({ workspaceRoot: path.dirname(DEFAULT_PLAYBOOK_DIR), playbookDir: DEFAULT_PLAYBOOK_DIR });
}
const playbooks = [fixturePlaybook(), defaultPlaybook()];

function lint(text: string, pb: Playbook, rules = BUILTIN_RULES, index?: PostIndex): Finding[] {
  return lintPost({ file: '/ws/posts/fuzz.md', text, playbook: pb, rules, now: NOW, index });
}

function checkRanges(text: string, findings: Finding[]): void {
  const b = boundaries(text);
  const lines = new LineIndex(text);
  for (const f of findings) {
    const where = `${f.ruleId} ${f.offset}-${f.endOffset} in ${JSON.stringify(text)}`;
    assert.ok(f.offset >= 0 && f.offset <= f.endOffset && f.endOffset <= text.length, `range outside the text: ${where}`);
    assert.ok(b.has(f.offset) && b.has(f.endOffset), `range splits a character: ${where}`);
    const s = lines.position(f.offset);
    assert.deepEqual([f.line, f.column], [s.line, s.column], `line/column disagree with the offset: ${where}`);
  }
}

describe(`fuzzing (fast-check, seed ${SEED}, ${RUNS} runs)`, function () {
  this.timeout(RUNS > 150 ? 0 : 120_000);

  it('post parser and every rule: no exception, ranges inside the text and on grapheme boundaries', () => {
    fc.assert(
      fc.property(postText, fc.integer({ min: 0, max: 1 }), (text, which) => {
        const pb = playbooks[which];
        checkRanges(text, lint(text, pb));
        // Each rule on its own too (a rule must not rely on another having run).
        for (const rule of BUILTIN_RULES) checkRanges(text, lint(text, pb, [rule]));
        const post = parsePost('/ws/posts/fuzz.md', text);
        for (const p of post.parts) assert.ok(p.offset >= 0 && p.offset <= p.endOffset && p.endOffset <= text.length);
        for (const platform of ['bluesky', 'mastodon', 'x', 'linkedin', 'outbox'] as const) renderParts(post, platform);
      }),
      params,
    );
  });

  it('lint is deterministic: the same text gives the same findings, cold or cached, alone or beside other posts', () => {
    fc.assert(
      fc.property(postText, postText, (text, other) => {
        const pb = playbooks[0];
        const a = lint(text, pb);
        clearParseCache();
        const b = lint(text, pb);
        assert.deepEqual(b, a);
        const index = new PostIndex();
        index.set('/ws/posts/other.md', other);
        index.set('/ws/posts/fuzz.md', text);
        const c = lint(text, pb, BUILTIN_RULES, index);
        const d = lint(text, pb, BUILTIN_RULES, index);
        assert.deepEqual(d, c);
      }),
      params,
    );
  });

  it('a fix applies cleanly and adds no finding of its rule at the same place', () => {
    let applied = 0;
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 1 }), (b, which) => {
        const pb = playbooks[which];
        const text = `---\ntitle: F\nchannels: [outbox]\nstatus: draft\n---\n${b}`;
        const findings = lint(text, pb);
        // --fix: every safe fix at once applies cleanly, and leaves no fix of the same rule where one was applied.
        const { text: fixedAll, applied: all } = applySafeFixes(text, findings);
        let shift = 0;
        const placed = all.map(({ finding, edit }) => {
          const start = edit.offset + shift;
          shift += edit.text.length - (edit.endOffset - edit.offset);
          return { ruleId: finding.ruleId, start, end: start + edit.text.length };
        });
        const afterAll = lint(fixedAll, pb);
        checkRanges(fixedAll, afterAll);
        for (const p of placed) {
          const again = afterAll.filter((g) => g.fix && g.ruleId === p.ruleId && g.offset < p.end && g.endOffset > p.start);
          assert.deepEqual(
            again.map((g) => g.message),
            [],
            `--fix left a ${p.ruleId} fix in what it wrote`,
          );
        }
        for (const f of findings) {
          if (f.fix) assert.ok(f.fix.offset >= f.offset && f.fix.endOffset <= f.endOffset, `a ${f.ruleId} fix lands outside its finding`);
          for (const s of f.suggestions) {
            if (!s.edit) continue;
            const { offset, endOffset, text: replacement } = s.edit;
            assert.ok(offset >= f.offset && endOffset <= f.endOffset, `a ${f.ruleId} edit lands outside its finding`);
            const fixed = text.slice(0, offset) + replacement + text.slice(endOffset);
            applied++;
            const after = lint(fixed, pb);
            checkRanges(fixed, after);
            const again = after.filter((g) => g.ruleId === f.ruleId && g.offset < offset + replacement.length && g.endOffset > offset);
            assert.deepEqual(
              again.map((g) => g.message),
              [],
              `fixing “${text.slice(offset, endOffset)}” with “${replacement}” leaves a ${f.ruleId} finding there`,
            );
          }
        }
      }),
      { ...params, numRuns: Math.max(20, Math.round(RUNS / 2)) },
    );
    assert.ok(applied >= 10, `only ${applied} fixes were tried`);
  });

  it('inline control: no exception, every problem inside the text, unclosed comments always reported', () => {
    const comment = fc.constantFrom(
      '<!-- unscripted-disable',
      '<!-- unscripted-disable authority-voice -->',
      '<!-- unscripted-enable -->',
      '<!-- unscripted-disable-line x y, z -->',
      '<!--',
      '<!-- -->',
      '<!-- unscripted-disable-next-line non-apology\n\n-->',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(comment, piece), { maxLength: 30 }), (arr) => {
        const text = `---\ntitle: C\nchannels: [outbox]\n---\n${arr.join('')}`;
        const findings = lint(text, playbooks[0]);
        checkRanges(text, findings);
        const lines = new LineIndex(text);
        const c = parseControls(
          [{ value: '<!-- unscripted-disable', start: 0, end: text.length, unclosed: true }],
          lines,
          new Set(['authority-voice']),
        );
        assert.equal(c.problems.length, 1);
      }),
      params,
    );
  });

  it('playbook parser: never throws; every error names a file and a line inside it', () => {
    const pbPiece = fc.oneof(
      piece,
      fc.constantFrom(
        '\n## Going forward\n',
        '\n- "going forward" → "from now on"\n',
        '- "x" → ',
        '"{a}"',
        '- "we are {who} to" → "{who}"\n',
        '\n| id | platform |\n| -- | -- |\n| a | outbox |\n',
        '\nSeverity: high\n',
        '## campaign: spring\n',
        'rules:\n  authority-voice: loud\n',
      ),
    );
    const kinds = ['voice', 'talking-points', 'channels', 'schedule', 'nonsense'];
    const kind = fc.constantFrom(...kinds);
    // Real files to overlay (the loader lists the folder, then reads unsaved text in place of a file).
    // Every kind present (small and valid), so the shipped defaults are not merged in on each run.
    const minimal: Record<string, string> = {
      'voice.md': '---\nkind: voice\n---\n# Voice\n',
      'talking-points.md': '---\nkind: talking-points\n---\n# Talking points\n',
      'channels.md': '---\nkind: channels\n---\n| id | platform |\n| -- | -- |\n| outbox | outbox |\n',
      'schedule.md': '---\nkind: schedule\n---\n# Schedule\n',
      'nonsense.md': '# Notes\n',
    };
    const dirs = new Map(kinds.map((k) => [k, tempDir(minimal)]));
    fc.assert(
      fc.property(
        kind,
        fc.array(fc.tuple(frontKey, frontValue), { maxLength: 4 }),
        fc.array(pbPiece, { maxLength: 40 }),
        (k, kv, parts) => {
          const text = `---\nkind: ${k}\n${kv.map(([a, v]) => `${a}: ${v}`).join('\n')}\n---\n${parts.join('')}`;
          const dir = dirs.get(k)!;
          const file = path.join(dir, `${k}.md`);
          const pb = loadPlaybookSync({ workspaceRoot: dir, playbookDir: dir, overlay: new Map([[file, text]]) });
          const lineCount = text.split('\n').length;
          for (const e of pb.errors) {
            assert.ok(e.file === file, `error names ${e.file}: ${e.message}`);
            assert.ok(e.line >= 1 && e.line <= lineCount, `error at line ${e.line} of ${lineCount}: ${e.message}`);
          }
          // The playbook it gives is usable.
          checkRanges(
            '---\ntitle: A\nchannels: [outbox]\n---\nGoing forward we are pleased to announce.\n',
            lint('---\ntitle: A\nchannels: [outbox]\n---\nGoing forward we are pleased to announce.\n', pb),
          );
        },
      ),
      { ...params, numRuns: Math.max(20, Math.round(RUNS / 3)) },
    );
  });
});
