import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { describePlaybook } from './playbook-description';
import { DEFAULT_PLAYBOOK_DIR } from './playbook';
import { loadPlaybookSync } from './engine';
import { lint, tempDir } from '../../test/helpers';

describe('describePlaybook', () => {
  const ws = tempDir({
    'playbooks/voice.md': [
      '---',
      'kind: voice',
      'rules:',
      '  blind-statement: off',
      '---',
      '# Voice',
      '',
      '## Authority voice',
      'Severity: warning',
      '',
      '- "stakeholders" → "people"',
      '- "we are pleased to announce" → "here\'s" (auto-fix)',
      '',
      '## Words we never use',
      'Severity: error',
      '',
      'Say who you mean.',
      '',
      '- "stakeholders" → "residents"',
      '- "prior to" → "before" (auto-fix)',
      '',
    ].join('\n'),
    'playbooks/channels.md':
      '---\nkind: channels\n---\n| id | platform | account | limit |\n| --- | --- | --- | --- |\n| news | mastodon | @news | 500 |\n| tweets | x | @us | |\n',
  });
  const pb = loadPlaybookSync({ workspaceRoot: ws });
  const d = describePlaybook(pb);
  const voice = path.join(ws, 'playbooks', 'voice.md');

  it('names the folder and which files stand in from the shipped default', () => {
    assert.equal(d.dir, path.join(ws, 'playbooks'));
    assert.equal(d.isDefault, false);
    assert.deepEqual(
      d.files.filter((f) => !f.fromDefault).map((f) => path.basename(f.file)),
      ['channels.md', 'voice.md'],
    );
    assert.deepEqual(
      d.files
        .filter((f) => f.fromDefault)
        .map((f) => path.basename(f.file))
        .sort(),
      ['schedule.md', 'talking-points.md'],
    );
    assert.ok(d.files.filter((f) => f.fromDefault).every((f) => f.file.startsWith(DEFAULT_PLAYBOOK_DIR)));
  });

  it('lists every rule with severity, phrase counts and the heading line it comes from', () => {
    const byId = new Map(d.rules.map((r) => [r.id, r]));
    assert.deepEqual(byId.get('authority-voice'), {
      id: 'authority-voice',
      title: 'Authority voice',
      severity: 'warning',
      origin: 'built-in',
      phraseCount: 2,
      autoFixCount: 1,
      definedAt: { file: voice, line: 8 },
      fromDefault: false,
    });
    assert.deepEqual(byId.get('voice/words-we-never-use'), {
      id: 'voice/words-we-never-use',
      title: 'Words we never use',
      severity: 'error',
      origin: 'playbook',
      phraseCount: 2,
      autoFixCount: 1,
      definedAt: { file: voice, line: 14 },
      fromDefault: false,
    });
    assert.equal(byId.get('blind-statement')?.severity, 'off');
    assert.equal(byId.get('schedule-horizon')?.phraseCount, 0);
    assert.equal(byId.get('schedule-horizon')?.definedAt, undefined);
  });

  it('lists channels with their line and whether they can publish; schedule and talking points with their files', () => {
    assert.deepEqual(d.channels, [
      {
        id: 'news',
        platform: 'mastodon',
        account: '@news',
        limit: 500,
        publishable: true,
        definedAt: { file: path.join(ws, 'playbooks', 'channels.md'), line: 6 },
      },
      {
        id: 'tweets',
        platform: 'x',
        account: '@us',
        publishable: false,
        definedAt: { file: path.join(ws, 'playbooks', 'channels.md'), line: 7 },
      },
    ]);
    assert.equal(d.schedule.file, path.join(DEFAULT_PLAYBOOK_DIR, 'schedule.md'));
    assert.ok(d.schedule.horizonDays > 0 && typeof d.schedule.lines.horizon === 'number');
    assert.ok(d.talkingPoints.campaigns.length > 0);
    const tp = d.talkingPoints.campaigns[0].points[0];
    assert.ok(tp.definedAt.file.endsWith('talking-points.md') && tp.definedAt.line > 1 && tp.text.split(' ').length >= 4);
  });

  it('the team rule wins over the built-in list for the same phrase', () => {
    const f = lint('Our stakeholders came.', { playbook: pb }).filter(
      (x) => x.ruleId.startsWith('voice/') || x.ruleId === 'authority-voice',
    );
    assert.deepEqual(
      f.map((x) => [x.ruleId, x.severity, x.suggestions.map((s) => s.text)]),
      [['voice/words-we-never-use', 'error', ['residents']]],
    );
  });
});
