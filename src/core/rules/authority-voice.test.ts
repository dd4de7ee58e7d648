import { strict as assert } from 'node:assert';
import { lint, only, FIXTURE_PLAYBOOK } from '../../../test/helpers';
import * as path from 'node:path';

describe('rule authority-voice', () => {
  it('flags an institutional formula with position, suggestions as edits and the playbook line', () => {
    const f = only(lint('We are pleased to announce our new app.'), 'authority-voice');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].line, 6);
    assert.equal(f[0].column, 1);
    assert.equal(f[0].endLine, 6);
    assert.equal(f[0].endColumn, 27);
    assert.deepEqual(
      f[0].suggestions.map((s) => s.text),
      ["We've launched", "Here's"],
    );
    assert.deepEqual(f[0].suggestions[0].edit, { offset: f[0].offset, endOffset: f[0].endOffset, text: "We've launched" });
    assert.equal(f[0].definedAt?.file, path.join(FIXTURE_PLAYBOOK, 'voice.md'));
    assert.equal(f[0].definedAt?.line, 13);
    assert.match(f[0].rationale ?? '', /desk between us/);
  });

  it('matches across line breaks, extra spaces, curly apostrophes and contractions', () => {
    assert.equal(only(lint('We are\n   pleased to   announce it.'), 'authority-voice').length, 1);
    assert.equal(only(lint('We’re pleased to announce it.'), 'authority-voice').length, 1);
    assert.equal(only(lint("We're pleased to announce it."), 'authority-voice').length, 1);
    assert.equal(only(lint('WE ARE PLEASED TO ANNOUNCE IT'), 'authority-voice').length, 1);
  });

  it('binds a placeholder and reuses it in the suggestion', () => {
    const f = only(lint('We are closing early in line with Government advice.'), 'authority-voice');
    assert.equal(f.length, 1);
    assert.equal(f[0].suggestions[0].text, "following Government's advice");
  });

  it('does not lint front matter, code, URLs or block quotes', () => {
    const body = [
      '`going forward` is a phrase we ban.',
      '',
      '```',
      'going forward',
      '```',
      '',
      '> Going forward, the council will utilise new bins.',
      '',
      'See https://example.com/going-forward for more.',
    ].join('\n');
    assert.deepEqual(only(lint(body, { front: 'title: going forward\nchannels: [outbox]\nstatus: draft' }), 'authority-voice'), []);
  });

  it('does not flag words inside other words or across sentences', () => {
    assert.deepEqual(only(lint('We kept going. Forward is where the bus goes.'), 'authority-voice'), []);
    assert.deepEqual(only(lint('The utilisation report is out.'), 'authority-voice'), []);
  });

  it('leaves quoted speech of other people alone', () => {
    assert.deepEqual(only(lint('Our driver laughed: “going forward” is what buses do.'), 'authority-voice'), []);
  });
});
