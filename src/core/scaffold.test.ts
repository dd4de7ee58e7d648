import { strict as assert } from 'node:assert';
import { newPostText } from './scaffold';
import { parsePost } from './post';

describe('new post text', () => {
  it('writes flow-style front matter that reads back as written', () => {
    const text = newPostText({ title: 'Spring fair', channels: ['bluesky', 'mastodon'], campaign: 'launch' });
    assert.equal(text, '---\ntitle: Spring fair\nchannels: [bluesky, mastodon]\nstatus: draft\ncampaign: launch\n---\n\n');
  });
  it('quotes titles YAML would misread', () => {
    for (const title of ['Yes', 'Note: read this', '#1 fan', "It's 'quoted'", 'null', '- dash']) {
      const meta = parsePost('/x.md', newPostText({ title, channels: ['outbox'] })).meta;
      assert.equal(meta.title, title);
      assert.deepEqual(meta.channels, ['outbox']);
    }
  });
});
