import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { graphemeCount, countLength } from './platforms';
import { channelLimit, renderChannel, renderMarkdown } from './render';
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
