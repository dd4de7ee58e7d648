import { strict as assert } from 'node:assert';
import { lintRaw, only } from '../../../test/helpers';

describe('rule front-matter', () => {
  it('reports an unknown channel at its list item, with a did-you-mean fix', () => {
    const f = only(lintRaw('---\ntitle: t\nchannels: [outbox, blusky]\nstatus: draft\n---\nHi.'), 'front-matter');
    assert.equal(f.length, 1);
    assert.equal(f[0].line, 3);
    assert.equal(f[0].column, 20);
    assert.match(f[0].message, /Unknown channel "blusky": did you mean "bluesky"\?/);
    assert.equal(f[0].suggestions[0].edit?.text, 'bluesky');
  });
  it('reports a bad date and a date without offset at the value', () => {
    let f = only(
      lintRaw('---\ntitle: t\nchannels: [outbox]\nstatus: scheduled\npublish_at: 2026-02-30T09:00:00Z\n---\nHi.'),
      'front-matter',
    );
    assert.equal(f.length, 1);
    assert.equal(f[0].line, 5);
    assert.match(f[0].message, /not an ISO 8601 date-time/);
    f = only(lintRaw('---\ntitle: t\nchannels: [outbox]\nstatus: scheduled\npublish_at: 2026-03-02T09:00\n---\nHi.'), 'front-matter');
    assert.match(f[0].message, /no time zone offset/);
  });
  it('requires publish_at on a scheduled post', () => {
    const f = only(lintRaw('---\ntitle: t\nchannels: [outbox]\nstatus: scheduled\n---\nHi.'), 'front-matter');
    assert.equal(f.length, 1);
    assert.equal(f[0].line, 4);
    assert.match(f[0].message, /needs publish_at/);
  });
  it('reports an unknown status', () => {
    const f = only(lintRaw('---\ntitle: t\nchannels: [outbox]\nstatus: done\n---\nHi.'), 'front-matter');
    assert.match(f[0].message, /Unknown status "done"/);
  });
  it('reports malformed YAML at its line without crashing', () => {
    const f = only(lintRaw('---\ntitle: t\nchannels: [outbox\nstatus: draft\n---\nHi.'), 'front-matter');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'error');
    // yaml reports an unclosed flow list where the next key shows it cannot go on.
    assert.deepEqual([f[0].line, f[0].column], [4, 1]);
    assert.match(f[0].message, /^Front matter: Flow sequence .* end with a \]/);
  });
  it('reports unclosed front matter', () => {
    const f = only(lintRaw('---\ntitle: t\nchannels: [outbox]\n'), 'front-matter');
    assert.ok(f.some((x) => /not closed/.test(x.message)));
  });
  it('reports a missing front matter and unknown keys', () => {
    assert.match(only(lintRaw('Just text.'), 'front-matter')[0].message, /No front matter/);
    const f = only(lintRaw('---\ntitle: t\nchanels: [outbox]\nchannels: [outbox]\nstatus: draft\n---\nHi.'), 'front-matter');
    assert.equal(f[0].severity, 'warning');
    assert.match(f[0].message, /did you mean "channels"/);
  });
  it('accepts the publisher\'s ledger keys (an in-flight intent must never get a "did you mean" fix)', () => {
    assert.deepEqual(
      only(
        lintRaw('---\ntitle: t\nchannels: [outbox]\nstatus: ready\npublishing:\n  - channel: outbox\n    key: abc\n---\nHi.'),
        'front-matter',
      ),
      [],
    );
  });
  it('accepts a valid post', () => {
    assert.deepEqual(
      only(
        lintRaw(
          '---\ntitle: t\nchannels: [outbox, bluesky]\nstatus: scheduled\npublish_at: 2026-03-02T09:00:00+01:00\nreviewed_at: 2026-03-01T10:00:00Z\noccasion: false\n---\nHi.',
        ),
        'front-matter',
      ),
      [],
    );
  });
});
