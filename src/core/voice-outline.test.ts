import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { voiceOutline } from './voice-outline';
import { loadPlaybookSync } from './engine';
import { PACKAGE_ROOT } from './package-root';
import { tempDir } from '../../test/helpers';

/** The voice-derived parts of a playbook loaded from a folder holding one voice file. */
function voiceOf(text: string, fast: boolean, name = 'voice.md') {
  // Small stand-ins for the other kinds, so the shipped default's files are not parsed each time.
  const dir = tempDir({
    'playbooks/voice.md': '---\nkind: voice\n---\n',
    'playbooks/talking-points.md': '---\nkind: talking-points\n---\n',
    'playbooks/channels.md': '---\nkind: channels\n---\n| id | platform |\n| --- | --- |\n| outbox | outbox |\n',
    'playbooks/schedule.md': '---\nkind: schedule\n---\n',
    [`playbooks/${name}`]: text,
  });
  const before = process.env.UNSCRIPTED_NO_FAST_VOICE;
  if (fast) delete process.env.UNSCRIPTED_NO_FAST_VOICE;
  else process.env.UNSCRIPTED_NO_FAST_VOICE = '1';
  try {
    const pb = loadPlaybookSync({ workspaceRoot: dir });
    const rel = (f: string) => path.relative(dir, f);
    return {
      rules: [...pb.rules.values()].map((r) => ({
        ...r,
        definedAt: { ...r.definedAt, file: rel(r.definedAt.file) },
        phrases: r.phrases.map((p) => ({ ...p, file: rel(p.file) })),
      })),
      errors: pb.errors.map((e) => ({ ...e, file: rel(e.file) })),
      talkingPoints: pb.talkingPoints.map((t) => ({ ...t, file: rel(t.file) })),
      campaigns: [...pb.campaigns],
      talkingPointSeverity: pb.talkingPointSeverity,
      maxRepeats: pb.maxRepeats,
      overrides: [...pb.overrides],
    };
  } finally {
    if (before === undefined) delete process.env.UNSCRIPTED_NO_FAST_VOICE;
    else process.env.UNSCRIPTED_NO_FAST_VOICE = before;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const VOICE_FILES = ['playbooks/voice.md', 'test/fixtures/playbook/voice.md', 'test/suite/fixture-workspace/playbooks/voice.md'];

describe('voice outline: the fast voice parse gives the micromark result', () => {
  for (const f of VOICE_FILES) {
    it(`same playbook from ${f}, and the fast path is taken`, () => {
      const text = fs.readFileSync(path.join(PACKAGE_ROOT, f), 'utf8');
      assert.ok(voiceOutline(text), 'the fast path applies to this file');
      assert.deepEqual(voiceOf(text, true), voiceOf(text, false));
    });
  }

  for (const f of [
    'playbooks/talking-points.md',
    'test/fixtures/playbook/talking-points.md',
    'test/suite/fixture-workspace/playbooks/talking-points.md',
  ]) {
    it(`same talking points from ${f}, and the fast path is taken`, () => {
      const text = fs.readFileSync(path.join(PACKAGE_ROOT, f), 'utf8');
      assert.ok(voiceOutline(text), 'the fast path applies to this file');
      assert.deepEqual(voiceOf(text, true, 'talking-points.md'), voiceOf(text, false, 'talking-points.md'));
    });
  }

  it('same talking points on generated files', () => {
    const line = fc.constantFrom(
      '',
      '',
      '## spring-opening',
      '## Campaign: bus-timetable',
      '# Talking points',
      '- The new riverside library opens on Saturday.',
      '- "Every resident can borrow e-books for free."',
      '- too short',
      '  wrapped onto a second line here',
      'Some prose about the campaign.',
      '<!-- note -->',
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (ls) => {
        const text = '---\nkind: talking-points\nmax_repeats: 2\n---\n' + ls.join('\n') + '\n';
        if (!voiceOutline(text)) return true;
        assert.deepEqual(voiceOf(text, true, 'talking-points.md'), voiceOf(text, false, 'talking-points.md'), JSON.stringify(text));
        return true;
      }),
      { numRuns: 60 },
    );
  });

  it('falls back to micromark for shapes it does not model', () => {
    for (const t of [
      '# A\n\n    code\n',
      '# A\n\n```\n- "x"\n```\n',
      'Title\n=====\n',
      '> - "x"\n',
      '- a\n  - "nested"\n',
      '1. "x"\n',
      '| a |\n',
      '<div>\n',
      '---\nkind: voice\n',
    ]) {
      assert.equal(voiceOutline(t), undefined, JSON.stringify(t));
    }
  });

  it('same playbook on generated voice files (wrapped items, lazy lines, comments, CRLF, front matter)', () => {
    const line = fc.oneof(
      fc.constantFrom(
        '',
        '',
        '## Authority voice',
        '## Words we never use',
        '# Voice',
        '### Plain words ###',
        'Severity: error',
        'Severity: info',
        'Severity: loud',
        'Sources: somewhere',
      ),
      fc.constantFrom(
        '- "going forward" → "from now on"',
        '- "prior to" → "before" (auto-fix)',
        '* "utilise" → "use", "make use of"',
        '+ "x y z"',
        '- "a {who} b" → "{who} c"',
        '- unquoted item',
        '- "broken → "x"',
      ),
      fc.constantFrom(
        '  "wrapped", "more"',
        'lazy continuation text',
        '   three spaces',
        'Plain prose with **bold** and a [link](https://e.org).',
        '<!-- a comment -->',
        '<!--',
        'still comment',
        '-->',
        '#hashtag not a heading',
        '-not a list',
      ),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.boolean(), fc.boolean(), (ls, crlf, front) => {
        const body = ls.join(crlf ? '\r\n' : '\n') + '\n';
        const text = (front ? '---\nkind: voice\nrules:\n  context-free: off\n---\n' : '---\nkind: voice\n---\n') + body;
        if (!voiceOutline(text)) return true; // micromark parses it; nothing to compare
        assert.deepEqual(voiceOf(text, true), voiceOf(text, false), JSON.stringify(text));
        return true;
      }),
      { numRuns: 100 },
    );
  });
});
