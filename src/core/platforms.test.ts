import { strict as assert } from 'node:assert';
import { countLength, mastodonLength, platformLimit, platformName } from './platforms';

describe('platforms: one counter per platform, as the platform counts', () => {
  it('Bluesky: graphemes, limit 300 (app.bsky.feed.post text: maxGraphemes 300), links in full', () => {
    assert.equal(platformLimit('bluesky'), 300);
    assert.equal(countLength('👨‍👩‍👧 e\u0301 🇬🇧', 'bluesky'), 5);
    const url = `https://example.org/${'p'.repeat(40)}`;
    assert.equal(countLength(url, 'bluesky'), url.length);
  });

  it("Mastodon: StatusLengthValidator's each_grapheme_cluster.size, URL_PLACEHOLDER of 23, mentions by their local part", () => {
    assert.equal(platformLimit('mastodon'), 500);
    // app/validators/status_length_validator.rb (mastodon/mastodon): graphemes, not code points.
    assert.equal(countLength('👨‍👩‍👧', 'mastodon'), 1);
    assert.equal(countLength('👍🏽 e\u0301', 'mastodon'), 3);
    // Every URL is 'x' * 23, short or long.
    assert.equal(countLength('see https://a.io', 'mastodon'), 4 + 23);
    assert.equal(countLength(`see https://example.org/${'p'.repeat(100)}`, 'mastodon'), 4 + 23);
    // A remote mention counts as "@" + the screen name's part before its first "@".
    assert.equal(countLength('hi @sam@example.social', 'mastodon'), 3 + '@sam'.length);
    assert.equal(countLength('hi @sam', 'mastodon'), 3 + '@sam'.length);
    // An instance may reserve another width per URL (/api/v2/instance characters_reserved_per_url).
    assert.equal(mastodonLength('see https://a.io', 30), 4 + 30);
  });

  it('X: twitter-text weighted length (CJK and emoji weigh 2, every URL 23)', () => {
    assert.equal(platformLimit('x'), 280);
    assert.equal(countLength('abc', 'x'), 3);
    assert.equal(countLength('漢字', 'x'), 4);
    assert.equal(countLength('👍', 'x'), 2);
    assert.equal(countLength(`https://example.org/${'p'.repeat(60)}`, 'x'), 23);
  });

  it('LinkedIn: characters (code points), 3000', () => {
    assert.equal(platformLimit('linkedin'), 3000);
    assert.equal(countLength('👍🏽', 'linkedin'), 2);
  });

  it('names every platform once, as people write it', () => {
    assert.deepEqual((['outbox', 'feed', 'bluesky', 'mastodon', 'x', 'linkedin', 'webhook'] as const).map(platformName), [
      'Outbox',
      'Feed',
      'Bluesky',
      'Mastodon',
      'X',
      'LinkedIn',
      'Webhook',
    ]);
    assert.equal(platformName('myspace'), 'myspace');
  });
});
