import { strict as assert } from 'node:assert';
import { countLength } from '../core/platforms';
import { parsePost } from '../core/post';
import { fixturePlaybook } from '../../test/helpers';
import { cutPoint, previewHtml, previewModel } from './post-preview';

const post = (front: string, body: string) => parsePost('/ws/posts/spring.md', `---\n${front}\n---\n${body}`);

describe('cutPoint: where the platform cuts a part over its limit', () => {
  it('is the longest prefix that fits, as the platform counts', () => {
    assert.equal(cutPoint('abcdefghij', 'bluesky', 4), 4);
    assert.equal(cutPoint('abc', 'bluesky', 10), 3);
    assert.equal(cutPoint('abc', 'bluesky', 0), 0);
  });
  it('never splits a character: an emoji counts once on Bluesky and is two UTF-16 units', () => {
    const text = '👍🏽👍🏽👍🏽';
    const cut = cutPoint(text, 'bluesky', 2);
    assert.equal(text.slice(0, cut), '👍🏽👍🏽');
    assert.ok(countLength(text.slice(0, cut), 'bluesky') <= 2);
  });
  it('counts a link as X does (23 characters), so the cut falls after it', () => {
    const text = 'see https://example.org/a/very/long/path/indeed ok';
    const cut = cutPoint(text, 'x', 27);
    assert.equal(text.slice(0, cut), 'see https://example.org/a/very/long/path/indeed');
  });
});

describe('previewModel: the post as each channel shows it', () => {
  it('numbers thread parts, counts them and marks the cut of a part over the limit', () => {
    const long = 'word '.repeat(10).trim();
    const model = previewModel(
      post('title: Spring\nchannels: [short, outbox, nowhere]', `Short part.\n\n---\n\n${long}\n`),
      fixturePlaybook(),
    );
    assert.equal(model.title, 'Spring');
    assert.deepEqual(
      model.channels.map((c) => [c.id, c.label, c.known]),
      [
        ['short', 'Bluesky · us2', true],
        ['outbox', 'Outbox', true],
        ['nowhere', 'unknown channel', false],
      ],
    );
    assert.deepEqual(model.channels[0].parts, [
      { index: 0, text: 'Short part.', length: 11, limit: 40, over: false },
      { index: 1, text: long, length: 49, limit: 40, over: true, cut: 40 },
    ]);
    assert.equal(model.channels[1].parts[1].limit, undefined);
  });
  it('titles an untitled post by its file name, and has no channels when it names none', () => {
    const model = previewModel(post('status: draft', 'Hello.'), fixturePlaybook());
    assert.deepEqual(model, { title: 'spring.md', channels: [] });
  });
});

describe('previewHtml: the webview page', () => {
  const model = previewModel(
    post('title: <Spring> & "more"\nchannels: [short]', `${'word '.repeat(10).trim()}\n\n---\n\n1 < 2 & "3"\n`),
    fixturePlaybook(),
  );
  const html = previewHtml(model, 'vscode-resource:');

  it('allows no scripts, and styles only by a fresh nonce', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1];
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'none'/);
    const nonce = /style-src 'nonce-([^']+)'/.exec(csp)![1];
    assert.ok(html.includes(`<style nonce="${nonce}">`));
    assert.notEqual(/nonce-([^']+)'/.exec(previewHtml(model, 'vscode-resource:'))![1], nonce);
    assert.doesNotMatch(html, /<script/i);
  });
  it('escapes the post text and title', () => {
    assert.ok(html.includes('<title>&lt;Spring&gt; &amp; &quot;more&quot;</title>'), html);
    assert.ok(html.includes('1 &lt; 2 &amp; &quot;3&quot;'), html);
    assert.doesNotMatch(html, /1 < 2/);
  });
  it('numbers the parts with their counts and marks the cut in the part over the limit', () => {
    assert.match(
      html,
      /<article class="part over" data-part="1">\s*<header><span class="num">1\/2<\/span><span class="count">49\/40 — over the limit<\/span><\/header>/,
    );
    const over = model.channels[0].parts[0];
    assert.ok(html.includes(`${over.text.slice(0, over.cut)}<span class="cut"`));
    assert.ok(html.includes(`<span class="excess">${over.text.slice(over.cut)}</span>`));
    assert.match(html, /<article class="part" data-part="2">/);
  });
  it('says so when the post names no channels', () => {
    assert.match(previewHtml({ title: 'T', channels: [] }, 'x'), /This post names no channels/);
  });
});
