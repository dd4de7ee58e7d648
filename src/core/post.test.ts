import { strict as assert } from 'node:assert';
import { parsePost, parseIsoWithOffset, splitThread } from './post';

describe('post parser', () => {
  it('reads front matter and splits a thread at lines holding only ---', () => {
    const text =
      '---\ntitle: T\nchannels: [a, b]\nstatus: scheduled\npublish_at: 2026-03-01T09:00:00+01:00\n---\nOne.\n\n---\n\nTwo.\n---\nThree.\n';
    const p = parsePost('/x.md', text);
    assert.deepEqual(p.meta.channels, ['a', 'b']);
    assert.equal(p.meta.publishAt?.toISOString(), '2026-03-01T08:00:00.000Z');
    assert.deepEqual(
      p.parts.map((x) => x.text.trim()),
      ['One.', 'Two.', 'Three.'],
    );
    assert.equal(text.slice(p.parts[1].offset, p.parts[1].endOffset).trim(), 'Two.');
  });
  it('does not split inside fenced code, and drops empty parts', () => {
    assert.deepEqual(
      splitThread('A\n```\n---\n```\n\n---\n\n---\nB', 0).map((p) => p.text.trim()),
      ['A\n```\n---\n```', 'B'],
    );
  });
  it('accepts only ISO 8601 date-times with an offset that exist', () => {
    assert.ok(parseIsoWithOffset('2026-03-01T09:00:00Z'));
    assert.ok(parseIsoWithOffset('2026-03-01T09:00+05:30'));
    assert.equal(parseIsoWithOffset('2026-03-01T09:00:00'), undefined);
    assert.equal(parseIsoWithOffset('2026-02-29T09:00:00Z'), undefined);
    assert.equal(parseIsoWithOffset('next tuesday'), undefined);
    assert.equal(parseIsoWithOffset(20260301), undefined);
  });
  it('survives a post with no front matter', () => {
    const p = parsePost('/x.md', 'Just words.');
    assert.equal(p.frontMatter, undefined);
    assert.deepEqual(p.meta.channels, []);
    assert.equal(p.parts.length, 1);
  });
});
