import { strict as assert } from 'node:assert';
import { parsePost } from '../core/post';
import { fixturePlaybook } from '../../test/helpers';
import { channelLengths } from './channel-lengths';

const post = (channels: string, body: string) => parsePost('/ws/posts/a.md', `---\ntitle: A\nchannels: [${channels}]\n---\n${body}`);

describe('channelLengths: what the status bar counts', () => {
  const first = 'A'.repeat(30);
  const second = 'B'.repeat(45);
  const thread = `${first}\n\n---\n\n${second}\n`;

  it('gives each limited channel its longest part, every part, and whether one is over', () => {
    const lengths = channelLengths(post('outbox, mastodon, short', thread), fixturePlaybook());
    assert.deepEqual(lengths, [
      {
        channel: 'mastodon',
        platform: 'mastodon',
        label: 'Mastodon',
        length: 45,
        limit: 500,
        parts: [
          { index: 0, length: 30 },
          { index: 1, length: 45 },
        ],
        over: false,
      },
      {
        channel: 'short',
        platform: 'bluesky',
        label: 'Bluesky',
        length: 45,
        limit: 40,
        parts: [
          { index: 0, length: 30 },
          { index: 1, length: 45 },
        ],
        over: true,
      },
    ]);
  });
  it('leaves out channels without a limit and ones the playbook does not know', () => {
    assert.deepEqual(channelLengths(post('outbox, nowhere', first), fixturePlaybook()), []);
  });
  it('names the channel beside the platform when two channels share one', () => {
    const labels = channelLengths(post('bluesky, short', first), fixturePlaybook()).map((l) => l.label);
    assert.deepEqual(labels, ['Bluesky (bluesky)', 'Bluesky (short)']);
  });
});
