import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import type { Root } from 'mdast';
import { isPlainBlock, plainBlockRoot, splitBlocks, parseBlocks, proseOfBlocks, extractProse } from './markdown';
import { splitThread } from './post';

const remark = unified().use(remarkParse);
const strip = (root: Root) => JSON.stringify(root, (k, v) => (k === 'position' ? undefined : v));

describe('markdown blocks', () => {
  it('property: a block judged plain parses exactly as remark-parse parses it (tree and positions)', () => {
    const piece = fc.constantFrom(
      'word',
      'Bus',
      ' ',
      '  ',
      '\n',
      ' \n ',
      '.',
      ',',
      '!',
      '?',
      "'",
      '’',
      '“',
      '”',
      '(',
      ')',
      ':',
      '/',
      '@sam',
      '#news',
      'https://x.org/a',
      '1',
      '2.',
      '-',
      '*',
      '_',
      '#',
      '>',
      '=',
      '`',
      '[',
      ']',
      '<',
      '&amp;',
      '\\',
      '    ',
      '~',
      '|',
      '\t',
      'é',
      '👍',
      '\r\n',
    );
    let plain = 0;
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 40 }), (arr) => {
        const text = arr.join('');
        if (!isPlainBlock(text)) return true;
        plain++;
        const expected = remark.parse(text);
        const got = plainBlockRoot(text);
        return (
          strip(got) === strip(expected) &&
          JSON.stringify(got.children[0].position) === JSON.stringify(expected.children[0].position) &&
          JSON.stringify(got.position) === JSON.stringify(expected.position)
        );
      }),
      { numRuns: 20000 },
    );
    assert.ok(plain > 200, `only ${plain} plain samples`);
  });
  it('plain-block prose equals the prose extracted from remark-parse', () => {
    for (const text of ['Going forward we are pleased.', 'See https://x.org/a now, ok.\nSecond line here', '@sam thanks! #news']) {
      assert.ok(isPlainBlock(text), text);
      const fast = proseOfBlocks(parseBlocks(text));
      const slow = extractProse(remark.parse(text), text);
      assert.deepEqual(fast.links, slow.links);
      assert.equal(fast.segments[0].text.replace(/\s+/g, ' ').trim(), slow.segments[0].text.replace(/\s+/g, ' ').trim());
    }
  });
  it('splits at blank lines and thread breaks, not inside fences or comments', () => {
    const t = 'a\nb\n\n---\nc\n\n```\nx\n\ny\n```\n\n<!-- one\n\ntwo -->\nd';
    assert.deepEqual(
      splitBlocks(t).map((b) => t.slice(b.start, b.end)),
      ['a\nb', 'c', '```\nx\n\ny\n```', '<!-- one\n\ntwo -->\nd'],
    );
  });
  it('a fence line inside a comment is comment text: blocks and thread parts agree on the break after it', () => {
    const t = 'a\n<!-- note\n```\n-->\n---\nb';
    assert.deepEqual(
      splitBlocks(t).map((b) => t.slice(b.start, b.end)),
      ['a\n<!-- note\n```\n-->', 'b'],
    );
    assert.deepEqual(
      splitThread(t, 0).map((p) => p.text.trim()),
      ['a\n<!-- note\n```\n-->', 'b'],
    );
  });
  it('property: every block lies inside one thread part (one line scanner for both)', () => {
    const piece = fc.constantFrom('a', 'b c', '\n', '\n\n', '---', '```', '~~~', '<!--', '-->', ' ', '\r\n');
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 30 }), (arr) => {
        const t = arr.join('');
        const parts = splitThread(t, 0);
        return splitBlocks(t).every((b) => parts.some((p) => p.offset <= b.start && b.end <= p.endOffset));
      }),
      { numRuns: 5000 },
    );
  });
});
