import { strict as assert } from 'node:assert';
import { blocksOf, parsePost, parseIsoWithOffset, splitThread } from './post';
import { clearParseCache } from './markdown';

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

describe('parsed posts are cached by file and text', () => {
  const text = '---\ntitle: Cached\nchannels: [outbox]\n---\nOne block.\n\n---\n\nAnother **block**.\n';
  it('gives the index pass and the lint pass one ParsedPost, blocks and all', () => {
    const first = parsePost('/ws/posts/a.md', text);
    const again = parsePost('/ws/posts/a.md', `${text}`);
    assert.equal(again, first);
    assert.equal(blocksOf(again), blocksOf(first));
  });
  it('parses again for another file, another text, or after clearParseCache, to the same result', () => {
    const first = parsePost('/ws/posts/a.md', text);
    const other = parsePost('/ws/posts/b.md', text);
    assert.notEqual(other, first);
    assert.equal(other.file, '/ws/posts/b.md');
    assert.deepEqual({ ...other, file: first.file, frontMatter: undefined }, { ...first, frontMatter: undefined });
    const edited = parsePost('/ws/posts/a.md', text.replace('Cached', 'Edited'));
    assert.equal(edited.meta.title, 'Edited');
    assert.equal(parsePost('/ws/posts/a.md', text).meta.title, 'Cached');
    clearParseCache();
    const cold = parsePost('/ws/posts/a.md', text);
    assert.notEqual(cold, first);
    assert.deepEqual({ ...cold, frontMatter: undefined }, { ...first, frontMatter: undefined });
    assert.deepEqual(cold.parts, first.parts);
  });
});
