import { strict as assert } from 'node:assert';
import { lint, only } from '../../test/helpers';

describe('inline control comments', () => {
  it('disable … enable switches a rule off for a stretch', () => {
    const body =
      '<!-- unscripted-disable authority-voice -->\nGoing forward we will.\n<!-- unscripted-enable authority-voice -->\n\nGoing forward again.';
    const f = only(lint(body), 'authority-voice');
    assert.equal(f.length, 1);
    assert.equal(f[0].line, 10);
  });
  it('disable with no ids switches every rule off', () => {
    assert.deepEqual(lint('<!-- unscripted-disable -->\nWe apologise for any inconvenience going forward.'), []);
  });
  it('disable-next-line affects the next line only', () => {
    const body = 'Going forward, one.\n<!-- unscripted-disable-next-line authority-voice -->\nGoing forward, two.\nGoing forward, three.';
    assert.deepEqual(
      only(lint(body), 'authority-voice').map((f) => f.line),
      [6, 9],
    );
  });
  it('works inline, and accepts voice/ ids for built-in rules', () => {
    const body = 'Going forward, one. <!-- unscripted-disable-line voice/authority-voice -->';
    assert.deepEqual(only(lint(body), 'authority-voice'), []);
  });
  it('leaves other rules on', () => {
    const body = '<!-- unscripted-disable authority-voice -->\nGoing forward, sorry you feel that way.';
    assert.equal(only(lint(body), 'non-apology').length, 1);
  });
  it('warns about an unknown rule id in a comment', () => {
    const f = only(lint('<!-- unscripted-disable authority-vioce -->\nHi.'), 'inline-control');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /Unknown rule "authority-vioce"/);
  });
  it('disables a playbook-defined rule by its id', () => {
    assert.equal(only(lint('Synergy!'), 'voice/banned-words').length, 1);
    assert.deepEqual(only(lint('<!-- unscripted-disable voice/banned-words -->\nSynergy!'), 'voice/banned-words'), []);
  });
  it('disable-line covers a finding broken over two lines, from the comment at the end of either line', () => {
    const split = 'We are pleased\nto announce the new hours.';
    assert.equal(only(lint(split), 'authority-voice').length, 1);
    assert.deepEqual(
      only(lint('We are pleased\nto announce the new hours. <!-- unscripted-disable-line authority-voice -->'), 'authority-voice'),
      [],
    );
    assert.deepEqual(
      only(lint('We are pleased <!-- unscripted-disable-line authority-voice -->\nto announce the new hours.'), 'authority-voice'),
      [],
    );
    // ... and not one on a line the finding does not touch.
    assert.equal(
      only(lint('We are pleased\nto announce the new hours.\nSee you. <!-- unscripted-disable-line authority-voice -->'), 'authority-voice')
        .length,
      1,
    );
  });
});
