import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_PLAYBOOK_DIR, parsePhraseItem, parseDuration } from './playbook';
import { loadPlaybookSync } from './engine';
import { tempDir, tempWorkspace, FIXTURE_PLAYBOOK, REPO_ROOT } from '../../test/helpers';

describe('playbook parser', () => {
  it('reads the fixture playbook: rules, talking points, channels, schedule', () => {
    const pb = loadPlaybookSync({ workspaceRoot: REPO_ROOT, playbookDir: FIXTURE_PLAYBOOK });
    assert.deepEqual(pb.errors, []);
    assert.deepEqual([...pb.rules.keys()].sort(), [
      'authority-voice',
      'blind-statement',
      'deflection',
      'hierarchy',
      'non-apology',
      'voice/banned-words',
    ]);
    const av = pb.rules.get('authority-voice')!;
    assert.equal(av.severity, 'warning');
    assert.equal(av.definedAt.line, 8);
    assert.equal(av.phrases[0].phrase, 'we are pleased to announce');
    assert.deepEqual(av.phrases[0].suggestions, ["we've launched", "here's"]);
    assert.equal(pb.rules.get('non-apology')!.severity, 'error');
    assert.equal(pb.talkingPoints.length, 1);
    assert.equal(pb.talkingPoints[0].campaign, 'spring-opening');
    assert.equal(pb.channels.get('short')!.limit, 40);
    assert.equal(pb.channels.get('bluesky')!.platform, 'bluesky');
    assert.deepEqual(pb.schedule.burst, { max: 2, windowHours: 6 });
    assert.equal(pb.schedule.horizonDays, 14);
  });

  it('reports every mistake with file and line, and keeps the rest', () => {
    const ws = tempDir({
      'playbooks/voice.md':
        '---\nkind: voice\n---\n## Jargon\nSeverity: loud\n\n- "synergy" → "working together"\n- going forward\n- "a {b c}"\n- "synergy"\n',
      'playbooks/channels.md':
        '---\nkind: channels\n---\n| id | platform | limit |\n| -- | -- | -- |\n| ok | bluesky | |\n| bad | myspace | |\n| ok | mastodon | |\n| lim | x | lots |\n',
      'playbooks/schedule.md': '---\nkind: schedule\nhorizon: soon\nburst: many\npaused: yes\ncolour: red\n---\n',
      'playbooks/talking-points.md': '---\nkind: talking-points\n---\n- orphan point without a campaign here\n## c1\n- too short\n',
      'playbooks/other.md': '---\nkind: strategy\n---\n',
      'playbooks/broken.md': '---\nkind: [voice\n---\n',
    });
    const pb = loadPlaybookSync({ workspaceRoot: ws });
    const errs = pb.errors.map((e) => `${path.basename(e.file)}:${e.line}: ${e.message}`);
    const expect = (re: RegExp) =>
      assert.ok(
        errs.some((e) => re.test(e)),
        `missing ${re} in\n${errs.join('\n')}`,
      );
    expect(/^voice\.md:5: Severity must be error, warning or info, not "loud"/);
    expect(/^voice\.md:8: Jargon: Expected a quoted phrase/);
    expect(/^voice\.md:9: Jargon: A placeholder is one word/);
    expect(/^voice\.md:10: Jargon: "synergy" is listed twice/);
    expect(/^channels\.md:7: Channel "bad": unknown platform "myspace"/);
    expect(/^channels\.md:8: Channel "ok" is declared twice/);
    expect(/^channels\.md:9: Channel "lim": limit "lots"/);
    expect(/^schedule\.md:3: horizon: "soon" is not a duration/);
    expect(/^schedule\.md:4: burst: "many"/);
    expect(/^schedule\.md:5: paused must be true or false/);
    expect(/^schedule\.md:6: Unknown schedule setting "colour"/);
    expect(/^talking-points\.md:4: Talking point outside a campaign/);
    expect(/^talking-points\.md:6: A talking point needs at least four words/);
    expect(/^other\.md:2: Unknown playbook kind "strategy"/);
    expect(/^broken\.md:[23]: Front matter:/);
    // What was right still applies.
    assert.equal(pb.rules.get('voice/jargon')!.phrases.length, 1);
    assert.ok(pb.channels.has('ok'));
  });

  it('falls back to the shipped default, per kind, for what the workspace does not define', () => {
    const ws = tempWorkspace();
    fs.rmSync(path.join(ws, 'playbooks', 'voice.md'));
    const pb = loadPlaybookSync({ workspaceRoot: ws });
    assert.ok(pb.files.includes(path.join(DEFAULT_PLAYBOOK_DIR, 'voice.md')));
    assert.ok(pb.files.includes(path.join(ws, 'playbooks', 'channels.md')));
    assert.ok(pb.rules.get('authority-voice')!.phrases.length >= 150);
    const none = loadPlaybookSync({ workspaceRoot: tempDir() });
    assert.equal(none.isDefault, true);
  });

  it('reads unsaved editor text from an overlay instead of the disk, keeping real file names', () => {
    const ws = tempWorkspace();
    const voice = path.join(ws, 'playbooks', 'voice.md');
    const overlay = new Map([
      [voice, fs.readFileSync(voice, 'utf8').replace('## Banned words', '## Banned words\n\n- "blue-sky thinking" → "ideas"\n')],
    ]);
    const pb = loadPlaybookSync({ workspaceRoot: ws, overlay });
    const rule = pb.rules.get('voice/banned-words')!;
    assert.ok(rule.phrases.some((p) => p.phrase === 'blue-sky thinking'));
    assert.equal(rule.definedAt.file, voice);
    assert.ok(
      !loadPlaybookSync({ workspaceRoot: ws })
        .rules.get('voice/banned-words')!
        .phrases.some((p) => p.phrase === 'blue-sky thinking'),
    );
  });

  it('reports a --playbook folder that does not exist', () => {
    const pb = loadPlaybookSync({ workspaceRoot: tempDir(), playbookDir: 'nope' });
    assert.match(pb.errors[0].message, /Playbook folder not found/);
  });

  it('parses phrase items and durations', () => {
    assert.deepEqual(parsePhraseItem('- "we are pleased" → "we\'re glad", “here’s”'), {
      phrase: 'we are pleased',
      suggestions: ["we're glad", 'here’s'],
    });
    assert.deepEqual(parsePhraseItem('- "leverage" -> "use"'), { phrase: 'leverage', suggestions: ['use'] });
    assert.ok('error' in parsePhraseItem('- "x" → unquoted'));
    assert.ok('error' in parsePhraseItem('- "on behalf of {a}" → "{b}"'));
    assert.equal(parseDuration('14 days'), 336);
    assert.equal(parseDuration('48h'), 48);
    assert.equal(parseDuration('2 weeks'), 336);
    assert.equal(parseDuration('soon'), undefined);
  });

  it('ships a default playbook with 150+ authority-voice entries, mostly with suggestions, and no mistakes', () => {
    const pb = loadPlaybookSync({ workspaceRoot: REPO_ROOT });
    assert.deepEqual(pb.errors, []);
    const av = pb.rules.get('authority-voice')!;
    assert.ok(av.phrases.length >= 150, `${av.phrases.length} entries`);
    assert.ok(av.phrases.filter((p) => p.suggestions.length).length / av.phrases.length > 0.6);
    for (const id of ['non-apology', 'deflection', 'hierarchy', 'blind-statement']) assert.ok(pb.rules.get(id)?.phrases.length, id);
  });
});
