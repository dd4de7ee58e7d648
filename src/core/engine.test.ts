import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { checkRuleOverrides, lintPost, loadPlaybookSync } from './engine';
import { readPlaybook } from './playbook';
import { PostIndex, EMPTY_INDEX, type WorkspaceIndex } from './post-index';
import { reportPhraseMatches, type Rule, type RuleContext } from './rule-contract';
import { BUILTIN_RULES } from './rules';
import { fixturePlaybook, NOW, post, tempWorkspace } from '../../test/helpers';

const FILE = '/ws/posts/a.md';

function rule(id: string, run: (ctx: RuleContext) => void): Rule {
  return { id, description: id, defaultSeverity: 'warning', category: 'structure', run };
}

/** A shared helper two rules report through: it cannot know which rule called it. */
function flagFirstWord(ctx: RuleContext): void {
  const t = ctx.segmentTokens[0]?.tokens[0];
  if (t) ctx.report({ offset: t.start, endOffset: t.end, message: 'first word' });
}

describe('runner: the rule contract', () => {
  it('stamps each report with the id of the rule that ran, whatever helper it went through', () => {
    const text = post('We are pleased to announce the opening.');
    const rules = [
      rule('helper-a', flagFirstWord),
      rule('helper-b', flagFirstWord),
      // Reports another rule's phrase matches: the reports are still this rule's.
      rule('borrows-phrases', (ctx) => reportPhraseMatches(ctx, 'authority-voice', (q) => `${q}: borrowed`)),
    ];
    const findings = lintPost({ file: FILE, text, playbook: fixturePlaybook(), rules, now: NOW });
    const by = (id: string) => findings.filter((f) => f.ruleId === id);
    assert.equal(by('helper-a').length, 1);
    assert.equal(by('helper-b').length, 1);
    assert.deepEqual([by('helper-a')[0].offset, by('helper-b')[0].offset], [text.indexOf('We are'), text.indexOf('We are')]);
    assert.equal(by('borrows-phrases').length, 1, JSON.stringify(findings.map((f) => f.ruleId)));
    assert.match(by('borrows-phrases')[0].message, /^“We are pleased to announce”: borrowed$/);
    // authority-voice runs too (as the playbook's own phrase rule here) and files its match under its own id.
    assert.deepEqual(
      by('authority-voice').map((f) => f.offset),
      [by('borrows-phrases')[0].offset],
    );
  });

  it('a phrase finding carries its match as data (adapters never read the wording)', () => {
    const text = post('We are pleased to announce the opening.');
    const rules = [
      rule('borrows-phrases', (ctx) => reportPhraseMatches(ctx, 'authority-voice', (q) => `${q}: borrowed`)),
      rule('plain', flagFirstWord),
    ];
    const findings = lintPost({ file: FILE, text, playbook: fixturePlaybook(), rules, now: NOW });
    const borrowed = findings.find((f) => f.ruleId === 'borrows-phrases');
    assert.deepEqual(borrowed?.phrase, { text: 'We are pleased to announce', suggestionsInMessage: false });
    assert.equal(findings.find((f) => f.ruleId === 'plain')?.phrase, undefined);
  });

  it('a report goes to the rule whose context made it, not to whichever rule is running', () => {
    let kept: RuleContext | undefined;
    const rules = [
      rule('first', (ctx) => void (kept = ctx)),
      // Reports through the first rule's context while it runs itself: no shared "current rule".
      rule('second', () => kept!.report({ offset: 0, endOffset: 1, message: 'through first' })),
    ];
    const f = lintPost({ file: FILE, text: post('Hello there.'), playbook: fixturePlaybook(), rules, now: NOW });
    assert.deepEqual(
      f.map((x) => [x.ruleId, x.message]),
      [['first', 'through first']],
    );
  });

  it('hands every rule the workspace index through its context', () => {
    const index = new PostIndex();
    index.set(
      '/ws/posts/other.md',
      post('Another post.', 'title: Other\nchannels: [outbox]\nstatus: scheduled\npublish_at: 2026-03-02T09:00:00Z'),
    );
    const seen: WorkspaceIndex[] = [];
    const files: string[][] = [];
    const reader = rule('reads-index', (ctx) => {
      seen.push(ctx.index);
      files.push([...ctx.index.all()].map((p) => p.file));
    });
    lintPost({ file: FILE, text: post('Hello.'), playbook: fixturePlaybook(), rules: [reader], now: NOW, index });
    assert.equal(seen[0], index);
    assert.deepEqual(files[0], ['/ws/posts/other.md']);
    // Linted on its own, a post is linted against the empty index (never undefined).
    lintPost({ file: FILE, text: post('Hello.'), playbook: fixturePlaybook(), rules: [reader], now: NOW });
    assert.equal(seen[1], EMPTY_INDEX);
    assert.deepEqual(files[1], []);
  });

  it('the cross-post rules read the index it is given: a pasted sentence is flagged only with the other posts', () => {
    const sentence = 'The new library opens its doors to every reader in town this spring.';
    const index = new PostIndex();
    for (const f of ['b', 'c']) index.set(`/ws/posts/${f}.md`, post(sentence));
    const text = post(sentence);
    index.set(FILE, text);
    const alone = lintPost({ file: FILE, text, playbook: fixturePlaybook(), rules: BUILTIN_RULES, now: NOW });
    const withIndex = lintPost({ file: FILE, text, playbook: fixturePlaybook(), rules: BUILTIN_RULES, now: NOW, index });
    assert.equal(alone.filter((f) => /pasted in/.test(f.message)).length, 0);
    assert.equal(withIndex.filter((f) => f.ruleId === 'talking-point' && /pasted in 3 posts/.test(f.message)).length, 1);
  });
});

describe('runner: playbook rule overrides', () => {
  const schedule = (rules: string) => `---\nkind: schedule\nrules:\n${rules}\n---\n`;

  it('reports an unknown rule id under rules: at its file and line, with a did-you-mean', () => {
    const ws = tempWorkspace({ 'playbooks/schedule.md': schedule('  context-free: off\n  blind-statment: error') });
    const pb = loadPlaybookSync({ workspaceRoot: ws });
    const errs = pb.errors.filter((e) => /unknown rule/.test(e.message));
    assert.equal(errs.length, 1, JSON.stringify(pb.errors));
    assert.equal(path.basename(errs[0].file), 'schedule.md');
    assert.equal(errs[0].line, 5);
    assert.match(errs[0].message, /^rules: unknown rule "blind-statment": did you mean "blind-statement"\?/);
    assert.equal(pb.overrides.get('context-free'), 'off');
    assert.equal(pb.overrides.has('blind-statment'), false);
  });

  it('the playbook layer only records the ids; the runner checks them against the rules it runs, once', () => {
    const ws = tempWorkspace({ 'playbooks/schedule.md': schedule('  house-style: error\n  nonsense: off') });
    const raw = readPlaybook({ workspaceRoot: ws });
    assert.deepEqual(
      raw.ruleRefs.map((r) => [r.id, path.basename(r.file), r.line]),
      [
        ['house-style', 'schedule.md', 4],
        ['nonsense', 'schedule.md', 5],
      ],
    );
    assert.equal(raw.errors.filter((e) => /unknown rule/.test(e.message)).length, 0);
    // A team's own rule, run beside the built-ins, is a known id.
    const houseStyle = rule('house-style', () => {});
    checkRuleOverrides(raw, [...BUILTIN_RULES, houseStyle]);
    checkRuleOverrides(raw, [...BUILTIN_RULES, houseStyle]);
    assert.deepEqual(
      raw.errors.filter((e) => /unknown rule/.test(e.message)).map((e) => e.message.replace(/ \(rules:.*/, '')),
      ['rules: unknown rule "nonsense"'],
    );
    assert.equal(raw.overrides.get('house-style'), 'error');
    const f = lintPost({
      file: FILE,
      text: post('Hi.'),
      playbook: raw,
      rules: [rule('house-style', (ctx) => ctx.report({ offset: 0, endOffset: 1, message: 'x' }))],
      now: NOW,
    });
    assert.deepEqual(
      f.map((x) => [x.ruleId, x.severity]),
      [['house-style', 'error']],
    );
  });
});
