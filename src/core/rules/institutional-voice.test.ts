import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lint, only, tempWorkspace } from '../../../test/helpers';
import { loadPlaybookSync, Workspace } from '..';

const ID = 'institutional-voice';

/** Scripted posts written for this test, in formulas the phrase lists do not name. */
const SCRIPTED = [
  'Our commitment to the community remains unwavering as we continue to deliver high-quality services to all residents.',
  'The council is committed to ensuring that all residents have access to safe and sustainable transport options.',
  'Discrimination of any kind has no place in our society. Read our full statement here: https://example.org/statement',
  'Thank you for reaching out. Your query has been logged and a member of the team will respond within 5 working days.',
  'We are aware of the issue and our teams are working hard to resolve it. Further updates will follow.',
  'SERVICE UPDATE: Due to essential maintenance, services will be suspended between 10:00 and 14:00. Customers are advised to plan ahead.',
];

/** Plain, specific posts written for this test. */
const PLAIN = [
  'Ha, we wish! The ducks got there first this morning.',
  "I've just checked with Sam at the desk and your parcel is on the shelf, so pop in whenever suits.",
  "Honestly, the new bus timetable confused us too. Here's what changed: the 7:40 now leaves at 7:45.",
  'Loved seeing so many of you at the fair on Saturday, and the lemon cake sold out by noon!',
  'The library opens at 9 tomorrow. Bring your kids, the story hour starts at 10.',
  "It's freezing out there, so the pool is warmer than the car park today.",
  'We got it wrong with the bin collection dates last week. Sorry. The right dates are on the fridge magnet we posted.',
];

function playbookWith(files: Record<string, string>) {
  const root = tempWorkspace(files);
  return { root, playbook: loadPlaybookSync({ workspaceRoot: root }) };
}

describe('rule institutional-voice', () => {
  for (const text of SCRIPTED) {
    it(`flags a scripted post: ${text.slice(0, 60)}…`, () => {
      const f = only(lint(text), ID);
      assert.equal(f.length, 1, 'one finding per post');
      assert.equal(f[0].severity, 'warning');
      assert.match(
        f[0].message,
        /^Reads institutional \(0\.\d\d\): “[^”]+”.* carry most of it(?: \(and \d more sentences? like it\))? — say it as you would to a person$/,
      );
    });
  }
  for (const text of PLAIN) {
    it(`stays silent on a plain post: ${text.slice(0, 60)}…`, () => {
      assert.deepEqual(only(lint(text), ID), []);
    });
  }

  it('marks the sentence that carries the verdict, not the plain one beside it', () => {
    const plain = 'Sam from the front desk here.';
    const scripted = 'Our commitment to the community remains unwavering as we continue to deliver high-quality services to all residents.';
    const body = `${plain} ${scripted}`;
    const [f] = only(lint(body), ID);
    assert.ok(f, 'flagged');
    const text = `---\ntitle: Test\nchannels: [outbox]\nstatus: draft\n---\n${body}`;
    assert.equal(text.slice(f.offset, f.endOffset), scripted);
  });

  it('names in the message the words the explanation weighs most, with the same score', () => {
    const body = SCRIPTED[4];
    const [f] = only(lint(body), ID);
    assert.ok(f.explanation, 'carries an explanation');
    const e = f.explanation;
    assert.ok(e.score >= e.threshold && e.score <= 1);
    assert.ok(f.message.includes(`(${e.score.toFixed(2)})`));
    assert.ok(e.phrases.length >= 1 && e.phrases.length <= 3);
    for (const p of e.phrases) assert.ok(f.message.includes(`“${p.text}”`), `message names ${p.text}`);
    // Phrases are heaviest first and lie inside the marked sentences.
    for (let i = 1; i < e.phrases.length; i++) assert.ok(e.phrases[i - 1].weight >= e.phrases[i].weight);
    for (const p of e.phrases) assert.ok(e.sentences.some((s) => p.offset >= s.offset && p.endOffset <= s.endOffset));
  });

  it('steps aside where a phrase rule already flags the sentence (its fix is exact)', () => {
    const findings = lint('We apologise for any inconvenience this may cause.');
    assert.ok(findings.some((f) => f.ruleId === 'non-apology'));
    assert.deepEqual(only(findings, ID), []);
  });

  it('does not pin a verdict the phrase rules carry onto a plain sentence beside them', () => {
    const findings = lint('The pool closes early on Friday for a swimming gala. We apologise for any inconvenience.');
    assert.ok(findings.some((f) => f.ruleId === 'non-apology'));
    assert.deepEqual(only(findings, ID), []);
  });

  it('speaks for a sentence whose phrase rule the playbook switched off', () => {
    const text = 'Going forward, we remain committed to delivering excellence for all of our valued stakeholders across the region.';
    const off = playbookWith({
      'playbooks/schedule.md': `---\nkind: schedule\nhorizon: 14 days\nrules:\n  authority-voice: off\n---\n# Schedule\n`,
    });
    assert.deepEqual(off.playbook.errors, []);
    assert.deepEqual(only(lint(text), ID), [], 'with authority-voice on, its finding speaks for the sentence');
    assert.equal(only(lint(text, { playbook: off.playbook }), ID).length, 1);
  });

  it('reads a bare link as the model learned links (a placeholder), and marks no word across a sentence end', () => {
    const body = 'Building a better tomorrow, together. Read our full statement here: https://example.org/statement #FutureReady';
    const [f] = only(lint(body), ID);
    assert.ok(f, 'a slogan with a link reads institutional');
    const text = `---\ntitle: Test\nchannels: [outbox]\nstatus: draft\n---\n${body}`;
    for (const p of f.explanation!.phrases) assert.doesNotMatch(text.slice(p.offset, p.endOffset), /[.!?]\s/, p.text);
  });

  it('does not judge a post that is not in English (the model knows English only)', () => {
    const fr = 'Nous restons pleinement engagés à offrir des services de grande qualité à tous les habitants de la région.';
    assert.deepEqual(only(lint(fr), ID), []);
  });

  it('marks a very long sentence where it weighs most, not all of it', () => {
    const long = `${'Our commitment to the community remains unwavering as we continue to deliver high-quality services to all residents, '.repeat(12)}and beyond`;
    const [f] = only(lint(long), ID);
    assert.ok(f);
    assert.ok(f.endOffset - f.offset <= 80, `marked ${f.endOffset - f.offset} characters`);
  });

  it('does not judge a post of a few words', () => {
    assert.deepEqual(only(lint('Updates will follow.'), ID), []);
  });

  it('honours inline disable comments', () => {
    assert.deepEqual(only(lint(`<!-- unscripted-disable-next-line ${ID} -->\n${SCRIPTED[0]}`), ID), []);
    assert.deepEqual(only(lint(`<!-- unscripted-disable ${ID} -->\n\n${SCRIPTED[1]}`), ID), []);
  });

  describe('playbook control', () => {
    const rules = (yaml: string) => `---\nkind: schedule\nhorizon: 14 days\n${yaml}\n---\n# Schedule\n`;

    it('a higher threshold flags fewer posts; a lower one more; off switches it off', () => {
      const body = SCRIPTED[1];
      const score = only(lint(body), ID)[0].explanation!.score;
      const high = playbookWith({
        'playbooks/schedule.md': rules(`rules:\n  ${ID}:\n    threshold: ${Math.min(0.99, score + 0.02).toFixed(2)}`),
      });
      assert.deepEqual(high.playbook.errors, []);
      assert.deepEqual(only(lint(body, { playbook: high.playbook }), ID), []);
      const low = playbookWith({ 'playbooks/schedule.md': rules(`rules:\n  ${ID}:\n    threshold: 0.2\n    severity: error`) });
      assert.deepEqual(low.playbook.errors, []);
      const plainButFlagged = only(lint(PLAIN[4], { playbook: low.playbook }), ID);
      assert.equal(plainButFlagged.length, 1, 'at 0.2 even a plain post reads institutional');
      assert.equal(plainButFlagged[0].severity, 'error');
      const off = playbookWith({ 'playbooks/schedule.md': rules(`rules:\n  ${ID}: off`) });
      assert.deepEqual(only(lint(body, { playbook: off.playbook }), ID), []);
    });

    it('checks the options even when the severity beside them is wrong', () => {
      const { playbook } = playbookWith({ 'playbooks/schedule.md': rules(`rules:\n  ${ID}:\n    threshold: 0.01\n    severity: bogus`) });
      assert.deepEqual(
        playbook.errors.map((e) => e.message).sort(),
        [`rules.${ID}.threshold: 0.01 is outside 0.05–0.99`, `rules.${ID}: "bogus" is not off, error, warning or info`].sort(),
      );
      assert.equal(playbook.ruleOptions.get(ID)?.threshold, undefined, 'the out-of-range threshold is not applied');
      assert.deepEqual(only(lint(PLAIN[0], { playbook }), ID), []);
    });

    it('reports a bad option at its file and line, and keeps the default', () => {
      const { root, playbook } = playbookWith({
        'playbooks/schedule.md': rules(
          `rules:\n  ${ID}:\n    treshold: 0.8\n  channel-length:\n    threshold: 0.5\n  context-free:\n    severity: info\n    limit: "x"`,
        ),
      });
      const file = path.join(root, 'playbooks', 'schedule.md');
      const msgs = playbook.errors.map((e) => `${path.relative(root, e.file)}:${e.line} ${e.message}`);
      assert.ok(
        msgs.includes(`playbooks/schedule.md:5 rules.${ID}: unknown option "treshold" (options: threshold, severity)`),
        msgs.join('\n'),
      );
      assert.ok(
        msgs.includes('playbooks/schedule.md:7 rules.channel-length: unknown option "threshold" (this rule takes only a severity)'),
        msgs.join('\n'),
      );
      assert.ok(msgs.includes('playbooks/schedule.md:9 rules.context-free.limit: "x" is not a number'), msgs.join('\n'));
      assert.ok(playbook.errors.every((e) => e.file === file));
      assert.equal(playbook.overrides.get('context-free'), 'info');
      assert.equal(only(lint(SCRIPTED[1], { playbook }), ID).length, 1, 'default threshold still applies');
      const range = playbookWith({ 'playbooks/schedule.md': rules(`rules:\n  ${ID}:\n    threshold: 1.5`) });
      assert.deepEqual(
        range.playbook.errors.map((e) => e.message),
        [`rules.${ID}.threshold: 1.5 is outside 0.05–0.99`],
      );
    });
  });

  describe('the team teaches it by example (playbook kind: examples)', () => {
    const examples = (us: string[], notUs: string[]) =>
      `---\nkind: examples\n---\n# Examples\n\nPosts we wrote, sorted by how they sound.\n\n## Sounds like us\n\n${us.map((t) => `- ${t}`).join('\n')}\n\n## Not us\n\n${notUs.map((t) => `- ${t}`).join('\n')}\n`;

    it('a "Not us" example flags posts close to it and leaves unrelated posts alone', () => {
      const borderline = 'Bin collections move to Thursdays from next week across the borough.';
      assert.deepEqual(only(lint(borderline), ID), [], 'not flagged without examples');
      const { playbook } = playbookWith({
        'playbooks/examples.md': examples(
          [],
          ['Bin collections move to Thursdays from next week across the whole borough, as previously advised.'],
        ),
      });
      assert.deepEqual(playbook.errors, []);
      const [f] = only(lint(borderline, { playbook }), ID);
      assert.ok(f, 'flagged once the team says posts like it are not us');
      assert.match(f.message, /closest to your “Not us” example at playbooks\/examples\.md:\d+$/);
      assert.equal(f.explanation?.example?.side, 'not-us');
      for (const plain of PLAIN) assert.deepEqual(only(lint(plain, { playbook }), ID), [], plain);
    });

    it('a "Sounds like us" example clears posts close to it, and only those', () => {
      const scripted = SCRIPTED[4];
      const { playbook } = playbookWith({
        'playbooks/examples.md': examples(['We are aware of the issue and our teams are working on it right now. More soon.'], []),
      });
      assert.deepEqual(only(lint(scripted, { playbook }), ID), []);
      for (const other of SCRIPTED.filter((t) => t !== scripted)) assert.equal(only(lint(other, { playbook }), ID).length, 1, other);
    });

    it('reports mistakes in an examples file at file and line, and keeps the good examples', () => {
      const text = [
        '---',
        'kind: examples',
        '---',
        '- Orphan example before any section heading.',
        '',
        '## Sounds like us',
        '',
        '- Too short',
        '- The ducks got there first this morning, sorry!',
        '- The ducks got there first this morning, sorry!',
        '',
        '## Things we like',
        '',
        '- Something under an unknown heading.',
        '',
        '## Not us',
        '',
        '> Further updates will follow in due course via our official channels.',
        '',
        '- The ducks got there first this morning, sorry!',
        '',
      ].join('\n');
      const { root, playbook } = playbookWith({ 'playbooks/examples.md': text });
      const msgs = playbook.errors.map((e) => `${path.relative(root, e.file)}:${e.line} ${e.message}`);
      assert.deepEqual(msgs, [
        'playbooks/examples.md:4 Example outside a section: put it under a "## Sounds like us" or "## Not us" heading',
        'playbooks/examples.md:8 An example needs at least three words to teach anything: write the whole post',
        'playbooks/examples.md:10 This example is listed twice (first at line 9)',
        'playbooks/examples.md:12 Unknown section "Things we like": examples go under "## Sounds like us" or "## Not us"',
        'playbooks/examples.md:14 Example outside a section: put it under a "## Sounds like us" or "## Not us" heading',
        'playbooks/examples.md:20 This example is also under "Sounds like us" (line 9): keep it in one section',
      ]);
      assert.deepEqual(
        playbook.examples.map((e) => [e.side, e.line]),
        [
          ['us', 9],
          ['not-us', 18],
        ],
      );
    });

    it('an examples file with neither section is an error at line 1', () => {
      const { playbook } = playbookWith({ 'playbooks/examples.md': '---\nkind: examples\n---\n# Examples\n\nNothing yet.\n' });
      assert.deepEqual(
        playbook.errors.map((e) => [e.line, e.message]),
        [[1, 'An examples file needs a "## Sounds like us" or a "## Not us" section']],
      );
    });

    it('editing the examples changes the next lint in the same workspace', async () => {
      const root = tempWorkspace({
        'posts/a.md': `---\ntitle: A\nchannels: [outbox]\nstatus: draft\n---\nBin collections move to Thursdays from next week across the borough.\n`,
      });
      const ws = Workspace.open(root);
      const file = path.join(root, 'posts', 'a.md');
      assert.deepEqual(only(ws.lintFiles([file])[0].findings, ID), []);
      const ex = path.join(root, 'playbooks', 'examples.md');
      fs.writeFileSync(
        ex,
        examples([], ['Bin collections move to Thursdays from next week across the whole borough, as previously advised.']),
      );
      ws.reloadPlaybook();
      assert.equal(only(ws.lintFiles([file])[0].findings, ID).length, 1);
    });
  });
});
