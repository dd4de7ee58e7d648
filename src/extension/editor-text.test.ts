import { strict as assert } from 'node:assert';
import { findingCounts, firstSentence, publishedNote, timeToGo } from './editor-text';

describe('publishedNote: the code lens over a published post', () => {
  it('is absent for a post neither published nor sent anywhere', () => {
    assert.equal(publishedNote({ status: 'draft', published: [] }), undefined);
    assert.equal(publishedNote({ published: [] }), undefined);
  });
  it('names each channel once, and says "that channel" for one', () => {
    assert.equal(
      publishedNote({ status: 'scheduled', published: [{ channel: 'bluesky' }, { channel: 'bluesky' }] }),
      '$(globe) Published to bluesky: edits here are not sent — publishing again skips that channel',
    );
    assert.equal(
      publishedNote({ status: 'published', published: [{ channel: 'bluesky' }, { channel: 'mastodon' }] }),
      '$(globe) Published to bluesky, mastodon: edits here are not sent — publishing again skips those channels',
    );
  });
  it('still warns for a post marked published with no ledger entries', () => {
    assert.equal(
      publishedNote({ status: 'published', published: [] }),
      '$(globe) Published: edits here are not sent — publishing again skips those channels',
    );
  });
});

describe('timeToGo: a scheduled post in the Playbook view', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
  it('says how long until the post goes out', () => {
    assert.equal(timeToGo(at(25), now), 'in 25 min');
    assert.equal(timeToGo(at(25 * 60), now), 'in 1 d 1 h');
    assert.equal(timeToGo(at((3 * 24 + 4) * 60), now), 'in 3 d 4 h');
    assert.equal(timeToGo(now, now), 'in 0 min');
  });
  it('says how overdue a post past its time is', () => {
    assert.equal(timeToGo(at(-120), now), 'overdue by 2 h');
    assert.equal(timeToGo(at(-95), now), 'overdue by 1 h 35 min');
  });
});

describe('findingCounts: a post tooltip in words', () => {
  it('counts each severity, singular and plural, and is empty with no findings', () => {
    assert.equal(findingCounts({ errors: 1, warnings: 2, infos: 3 }), '1 error, 2 warnings, 3 info');
    assert.equal(findingCounts({ errors: 2, warnings: 0, infos: 0 }), '2 errors');
    assert.equal(findingCounts({ errors: 0, warnings: 1, infos: 0 }), '1 warning');
    assert.equal(findingCounts({ errors: 0, warnings: 0, infos: 0 }), '');
  });
});

describe('firstSentence: the one line of rationale the hover shows', () => {
  it('cuts after the first sentence and says there is more', () => {
    assert.deepEqual(firstSentence('Readers trust plain words more.  They also\nread them faster.'), {
      line: 'Readers trust plain words more.',
      more: true,
    });
  });
  it('keeps a short or single sentence whole, with its whitespace folded', () => {
    assert.deepEqual(firstSentence('  One sentence,\n  wrapped over lines. '), { line: 'One sentence, wrapped over lines.', more: false });
    // "e.g. the" is not a sentence end: the next word is lower case.
    assert.deepEqual(firstSentence('Say what you mean, e.g. the hours. Then stop.'), {
      line: 'Say what you mean, e.g. the hours.',
      more: true,
    });
    // Under 20 characters is not a sentence worth cutting at.
    assert.deepEqual(firstSentence('Be brief. Readers skim posts.'), { line: 'Be brief. Readers skim posts.', more: false });
  });
});
