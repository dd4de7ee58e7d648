import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { applySafeFixes, applyEdits, phraseFixIsSafe, safeFixes } from './fixes';
import { DEFAULT_PLAYBOOK_DIR } from './playbook';
import { loadPlaybookSync } from './engine';
import { lintRaw, post, tempWorkspace } from '../../test/helpers';

const shipped = loadPlaybookSync({ workspaceRoot: path.dirname(DEFAULT_PLAYBOOK_DIR), playbookDir: DEFAULT_PLAYBOOK_DIR });

function fixWith(body: string, playbook = shipped): string {
  const text = post(body);
  return applySafeFixes(text, lintRaw(text, { playbook })).text.slice(text.length - body.length);
}

describe('unattended fixes (core/fixes)', () => {
  it('does not turn "kept going forward" into nonsense with the shipped playbook', () => {
    const body = 'The bus kept going forward through the flood.\n';
    const text = post(body);
    const findings = lintRaw(text, { playbook: shipped });
    assert.ok(
      findings.some((f) => /going forward/i.test(text.slice(f.offset, f.endOffset))),
      'the phrase is still reported for the writer',
    );
    assert.equal(fixWith(body), body);
  });

  it('applies the entries marked (auto-fix), keeping case, and nothing else', () => {
    assert.equal(
      fixWith('In regards to the pool, arrive prior to nine. The public are advised to stay in.\n'),
      'About the pool, arrive before nine. The public are advised to stay in.\n',
    );
  });

  it('leaves phrases with several suggestions to the writer', () => {
    const body = 'Members of the public can come.\n';
    const text = post(body);
    const f = lintRaw(text, { playbook: shipped }).filter((x) => /members/i.test(text.slice(x.offset, x.endOffset)));
    assert.ok(f.length === 1 && f[0].suggestions.length > 1);
    assert.equal(f[0].fix, undefined);
    assert.equal(fixWith(body), body);
  });

  it('decides per phrase entry: only a marked entry with one suggestion', () => {
    assert.equal(phraseFixIsSafe({ suggestions: ['from now on'] }), false);
    assert.equal(phraseFixIsSafe({ suggestions: ['from now on'], autoFix: true }), true);
    assert.equal(phraseFixIsSafe({ suggestions: ['please'], autoFix: false }), false);
    assert.equal(phraseFixIsSafe({ suggestions: ["here's", 'good news:'], autoFix: true }), false);
  });

  it('reads (auto-fix) and (no auto-fix) from a team playbook', () => {
    const ws = tempWorkspace({
      'playbooks/voice.md':
        '---\nkind: voice\n---\n## Plain words\n\n- "going forward" → "from now on" (auto-fix)\n- "please be advised that" → "note:" (no auto-fix)\n- "utilise" → "use", "make use of" (auto-fix)\n',
    });
    const pb = loadPlaybookSync({ workspaceRoot: ws });
    const rule = pb.rules.get('voice/plain-words')!;
    assert.deepEqual(
      rule.phrases.map((p) => [p.phrase, p.autoFix]),
      [
        ['going forward', true],
        ['please be advised that', false],
      ],
    );
    assert.equal(pb.errors.length, 1);
    assert.match(pb.errors[0].message, /auto-fix\) needs exactly one suggestion/);
    assert.equal(pb.errors[0].line, 8);
    assert.equal(
      fixWith('Going forward we open. Please be advised that we close.\n', pb),
      'From now on we open. Please be advised that we close.\n',
    );
  });

  it('never applies overlapping edits, and applyEdits refuses overlaps', () => {
    const f = (offset: number, endOffset: number, text: string) => ({
      ruleId: 'r',
      severity: 'warning' as const,
      message: '',
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      offset,
      endOffset,
      suggestions: [{ text, edit: { offset, endOffset, text } }],
      fix: { offset, endOffset, text },
    });
    const got = safeFixes([f(4, 8, 'B'), f(0, 5, 'A'), f(8, 9, 'C')]);
    assert.deepEqual(
      got.map((x) => x.edit.text),
      ['A', 'C'],
    );
    assert.equal(
      applyEdits(
        '0123456789',
        got.map((x) => x.edit),
      ),
      'A567C9',
    );
    assert.throws(() => applyEdits('0123456789', [f(0, 5, 'A').fix, f(4, 8, 'B').fix]), /Overlapping/);
  });
});
