import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { graphemeCount, countLength } from './platforms';
import { channelLimit, paragraphTextBefore, renderBlocksCut, renderChannel, renderMarkdown } from './render';
import { parseBlocks, splitBlocks } from './markdown';
import { parsePost } from './post';

const seg = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const reference = (t: string) => [...seg.segment(t)].length;

describe('render and count', () => {
  it('graphemeCount agrees with Intl.Segmenter on mixed text (property)', () => {
    const pieces = fc.constantFrom(
      'a',
      'Z',
      ' ',
      '\n',
      '\r\n',
      '\r',
      'é',
      'e\u0301',
      '👍',
      '👍🏽',
      '👨‍👩‍👧',
      '🇬🇧',
      '1️⃣',
      '漢',
      'ก่',
      '\u200d',
      '!',
      '’',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), (arr) => {
        const t = arr.join('');
        return graphemeCount(t) === reference(t);
      }),
      { numRuns: 2000 },
    );
  });
  it('graphemeCount agrees with Intl.Segmenter on ASCII text, line breaks and all (property)', () => {
    const pieces = fc.constantFrom('a', 'Z', ' ', '\t', '!', '\n', '\r\n', '\r', '\r\r\n', '\n\r', '\u007f', '\u0000');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), (arr) => {
        const t = arr.join('');
        return graphemeCount(t) === reference(t) && graphemeCount(`${t}é`) === reference(`${t}é`);
      }),
      { numRuns: 2000 },
    );
  });
  it('renders Markdown as platform text: emphasis dropped, links kept, lists bulleted', () => {
    assert.equal(
      renderMarkdown('**Big** news: see [our page](https://x.org/a) and https://y.org.\n\n- one\n- two'),
      'Big news: see our page (https://x.org/a) and https://y.org.\n\n• one\n• two',
    );
  });
  it('joins soft-wrapped lines with a space and keeps hard breaks', () => {
    assert.equal(renderMarkdown('one line\nwrapped here\\\nhard break'), 'one line wrapped here\nhard break');
  });
  it('counts LinkedIn in characters and Mastodon remote mentions as local', () => {
    assert.equal(countLength('hi @sam@example.social', 'mastodon'), '@sam'.length + 3);
    assert.equal(countLength('👍🏽', 'linkedin'), 2);
  });
});

describe('renderBlocksCut: a cut block read from its cached parse', () => {
  // Pieces that open, close or break Markdown's inline constructs, and sentence ends to cut at.
  const piece = fc.constantFrom(
    'word',
    'Two words',
    ' ',
    '. ',
    '! ',
    '? ',
    '… ',
    '." ',
    '.” ',
    '.) ',
    '.] ',
    '\n',
    '  \n',
    '\\\n',
    '*',
    '**',
    '_',
    '__',
    '`',
    '``',
    '[',
    ']',
    '(',
    ')',
    '](https://x.org/a)',
    '[a]',
    ': https://x.org/d',
    '<',
    '>',
    '<b>',
    '</b>',
    '<!--',
    '-->',
    '<https://x.org/b>',
    '&amp;',
    '&',
    '\\*',
    '"',
    'https://x.org/c. ',
    '#',
    '- ',
    '1. ',
    '> ',
    '=',
    '   ',
    '\t',
  );
  it('gives what parsing the text up to the cut gives, at every sentence end (property)', () => {
    let fast = 0;
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 30 }), (arr) => {
        const text = arr.join('');
        const blocks = parseBlocks(text);
        for (let k = 1; k <= blocks.length; k++) {
          const head = blocks.slice(0, k);
          const last = head[k - 1];
          for (let cut = last.start + 1; cut < last.end; cut++) {
            if (!/[.!?…"”’)\]]/.test(text[cut - 1]) || !/\s/.test(text[cut])) continue;
            const want = renderMarkdown(text.slice(head[0].start, cut));
            assert.equal(renderBlocksCut(head, text, cut), want, JSON.stringify({ text, cut }));
            const direct = paragraphTextBefore(last.entry, cut - last.start);
            if (direct !== undefined && splitBlocks(text, last.start, cut).length === 1) {
              assert.equal(direct, renderMarkdown(text.slice(last.start, cut)), JSON.stringify({ text, cut }));
              fast++;
            }
          }
        }
      }),
      { seed: 11, numRuns: 3000 },
    );
    assert.ok(fast > 500, `the property saw cuts read from the cached parse (${fast})`);
  });
  it('parses the cut block when its start would become a link reference definition', () => {
    const text = '[a]: https://x.org/d. More text';
    const [b] = parseBlocks(text);
    const cut = text.indexOf('d.') + 2;
    assert.equal(renderMarkdown(text), text, 'whole, it is a paragraph');
    assert.equal(paragraphTextBefore(b.entry, cut), undefined);
    assert.equal(renderBlocksCut([b], text, cut), '', 'cut, it is a definition');
  });
});

describe('channelLimit: one limit for rendering and the Playbook view', () => {
  it("takes the channel's own limit, else the platform's, else none", () => {
    assert.equal(channelLimit({ platform: 'bluesky', limit: 40 }), 40);
    assert.equal(channelLimit({ platform: 'bluesky' }), 300);
    assert.equal(channelLimit({ platform: 'mastodon' }), 500);
    assert.equal(channelLimit({ platform: 'outbox' }), undefined);
  });
  it('is the limit renderChannel counts against', () => {
    const post = parsePost('/ws/posts/a.md', '---\ntitle: A\nchannels: [short]\n---\n' + 'word '.repeat(10));
    const r = renderChannel(post, { id: 'short', platform: 'bluesky', limit: 40 });
    assert.equal(r.limit, 40);
    assert.equal(r.over, true);
    assert.equal(renderChannel(post, { id: 'b', platform: 'bluesky' }).over, false);
  });
});
