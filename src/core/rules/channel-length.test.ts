import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { lint, lintRaw, only, post } from '../../../test/helpers';
import { fixturePlaybook, NOW } from '../../../test/helpers';
import { countLength } from '../platforms';
import { parsePost } from '../post';
import { EMPTY_INDEX } from '../post-index';
import { PostProse } from '../prose';
import { RuleContext } from '../rule-contract';
import { renderChannels, renderMarkdown } from '../render';
import { cutCandidates, splitPoint } from './channel-length';

const front = (channels: string) => `title: t\nchannels: [${channels}]\nstatus: draft`;

describe('rule channel-length', () => {
  it('counts Bluesky in graphemes: 300 family emoji pass, 301 fail', () => {
    const family = '👨‍👩‍👧';
    assert.deepEqual(only(lint(family.repeat(300), { front: front('bluesky') }), 'channel-length'), []);
    const f = only(lint(family.repeat(301), { front: front('bluesky') }), 'channel-length');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'error');
    assert.match(f[0].message, /^This post is 301\/300 characters on Bluesky: 1 over/);
    assert.match(f[0].rationale ?? '', /graphemes/, 'the hover explains how Bluesky counts');
  });
  it('counts every Mastodon URL as 23 characters', () => {
    const url = 'https://example.com/' + 'a'.repeat(200);
    const body = 'x'.repeat(477) + ' ' + url; // 477 + 1 + 23 = 501
    const f = only(lint(body, { front: front('mastodon') }), 'channel-length');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /501\/500/);
    assert.deepEqual(only(lint('x'.repeat(476) + ' ' + url, { front: front('mastodon') }), 'channel-length'), []);
  });
  it('weights X as twitter-text does (CJK counts double)', () => {
    assert.equal(only(lint('漢'.repeat(141), { front: front('x') }), 'channel-length').length, 1);
    assert.deepEqual(only(lint('漢'.repeat(140), { front: front('x') }), 'channel-length'), []);
    assert.deepEqual(only(lint('a'.repeat(280), { front: front('x') }), 'channel-length'), []);
  });
  it('checks each thread part on its own and names the part', () => {
    const body = 'a'.repeat(200) + '\n\n---\n\n' + 'b'.repeat(310);
    const f = only(lint(body, { front: front('bluesky') }), 'channel-length');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /^Part 2 is 310\/300/);
    assert.equal(f[0].line, 10);
  });
  it('uses the limit override from the channels table', () => {
    const f = only(lint('This sentence is longer than forty graphemes, surely.', { front: front('short') }), 'channel-length');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /\/40 /);
    assert.ok(f[0].definedAt);
  });
  it('counts the rendered text, not the Markdown', () => {
    // 300 graphemes of text inside emphasis: 304 characters of Markdown, 300 as posted.
    const body = '**' + 'a'.repeat(300) + '**';
    assert.deepEqual(only(lint(body, { front: front('bluesky') }), 'channel-length'), []);
    assert.equal(only(lint('**' + 'a'.repeat(301) + '**', { front: front('bluesky') }), 'channel-length').length, 1);
  });
  it('offers to split into a thread after the last sentence that fits, as the platform counts', () => {
    const first = 'The reading room opens at nine. ' + 'Every shelf is back in its place after the move and we have more seats. '.repeat(3);
    const body =
      first +
      "The children's corner has new books, and the garden is open on sunny days for anyone who wants to read outside with a coffee from the kiosk.";
    const f = only(lint(body, { front: front('bluesky') }), 'channel-length');
    assert.equal(f.length, 1);
    const split = f[0].suggestions.find((s) => s.label === 'Split into a thread here');
    assert.ok(split?.edit, 'a split suggestion with an edit');
    assert.equal(split.edit.text, '\n\n---\n\n');
    // Applied, the post becomes a thread whose parts all fit.
    const src = post(body, front('bluesky'));
    assert.ok(src.slice(0, split.edit.offset).endsWith('.'), 'cuts after a sentence end');
    const fixed = src.slice(0, split.edit.offset) + split.edit.text + src.slice(split.edit.endOffset);
    assert.deepEqual(only(lintRaw(fixed), 'channel-length'), []);
  });
  it('cuts where rendering the whole text up to each cut says, in long multi-block posts (property)', () => {
    // The rule renders only the block a cut falls in and skips blocks that cannot fit; the plain
    // definition renders the part's whole text up to each cut. Both must pick the same cut (or none).
    const sentence = fc.constantFrom(
      'The room opens at nine.',
      'Bring a **friend** along.',
      'See [the page](https://example.org/a/very/long/path/for/the/page).',
      'Tickets are free!',
      '*Really*?',
      'Ask at the desk — we help.',
      'Coffee is on us.',
      'Café & *bar* «open».',
    );
    const block = fc.oneof(
      fc.array(sentence, { minLength: 1, maxLength: 8 }).map((s) => s.join(' ')),
      fc.array(sentence, { minLength: 1, maxLength: 3 }).map((s) => s.map((x) => `- ${x} More here.`).join('\n')),
      fc.array(sentence, { minLength: 1, maxLength: 4 }).map((s) => `> ${s.join(' ')}`),
      fc.array(sentence, { minLength: 1, maxLength: 4 }).map((s) => s.join('\n')),
    );
    const playbook = fixturePlaybook();
    let cuts = 0;
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 6 }), fc.constantFrom('bluesky', 'mastodon', 'short'), (blocks, ch) => {
        const src = post(blocks.join(ch === 'short' ? '\n\n---\n\n' : '\n\n'), front(ch));
        const parsed = parsePost('/p.md', src);
        const ctx = new RuleContext(new PostProse(parsed, playbook), NOW, EMPTY_INDEX, () => {});
        for (const r of renderChannels(parsed, playbook.channels))
          for (const part of r.parts) {
            if (part.limit === undefined || part.length <= part.limit) continue;
            const got = splitPoint(ctx, part, r.platform, part.limit)?.edit?.offset;
            let want: number | undefined;
            for (const c of cutCandidates(ctx, part))
              if (countLength(renderMarkdown(src.slice(part.offset, c.at)), r.platform) <= part.limit) want = c.at;
            assert.equal(got, want);
            if (got !== undefined) cuts++;
          }
      }),
      { seed: 7, numRuns: 200 },
    );
    assert.ok(cuts > 50, `the property saw cuts (${cuts})`);
  });
});
