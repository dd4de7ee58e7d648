import { strict as assert } from 'node:assert';
import { diagnosticKey, findingRange, findingsByKey, ruleLink } from './diagnostic-data';
import type { Finding } from '../core/types';

const finding = (o: Partial<Finding> = {}): Finding => ({
  ruleId: 'authority-voice',
  severity: 'warning',
  message: '“going forward” sounds like an institution',
  line: 3,
  column: 5,
  endLine: 3,
  endColumn: 18,
  offset: 40,
  endOffset: 53,
  suggestions: [],
  ...o,
});

describe('editor: diagnostics from findings (pure part)', () => {
  it('maps one-based finding positions to zero-based ranges', () => {
    assert.deepEqual(findingRange(finding()), { startLine: 2, startCharacter: 4, endLine: 2, endCharacter: 17 });
  });

  it('finds a finding again from the range, rule id and message of its diagnostic', () => {
    const a = finding();
    const b = finding({ ruleId: 'deflection', message: 'Another' });
    const c = finding({ line: 4, endLine: 4 });
    const map = findingsByKey([a, b, c]);
    assert.equal(
      map.get(diagnosticKey({ startLine: 2, startCharacter: 4, endLine: 2, endCharacter: 17 }, 'authority-voice', a.message)),
      a,
    );
    assert.equal(map.get(diagnosticKey({ startLine: 2, startCharacter: 4, endLine: 2, endCharacter: 17 }, 'deflection', 'Another')), b);
    assert.equal(
      map.get(diagnosticKey({ startLine: 3, startCharacter: 4, endLine: 3, endCharacter: 17 }, 'authority-voice', a.message)),
      c,
    );
    assert.equal(
      map.get(diagnosticKey({ startLine: 2, startCharacter: 4, endLine: 2, endCharacter: 17 }, 'authority-voice', 'edited message')),
      undefined,
    );
  });

  it('links a built-in rule to its bundled page, a playbook rule to its file: URL', () => {
    const pages = (id: string) => (id === 'deflection' ? '/ext/dist/rules/deflection.md' : undefined);
    assert.deepEqual(ruleLink({ ruleId: 'deflection', docsUrl: 'https://example.org/deflection' }, pages), {
      file: '/ext/dist/rules/deflection.md',
    });
    assert.deepEqual(ruleLink({ ruleId: 'deflection', docsUrl: 'file:///ws/playbooks/voice.md' }, pages), {
      url: 'file:///ws/playbooks/voice.md',
    });
    assert.deepEqual(ruleLink({ ruleId: 'other', docsUrl: 'https://example.org/other' }, pages), { url: 'https://example.org/other' });
    assert.equal(ruleLink({ ruleId: 'other' }, pages), undefined);
  });
});
