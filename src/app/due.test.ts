import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { BurstAllowance, dueQueue } from './due';
import { parsePost } from '../core/post';
import { fixturePlaybook } from '../../test/helpers';

const root = '/ws';
const NOW = new Date('2026-03-05T10:00:00Z');
const at = (h: number) => `2026-03-05T${String(h).padStart(2, '0')}:00:00Z`;

function scheduled(name: string, publishAt: string, extra = ''): ReturnType<typeof parsePost> {
  return parsePost(
    path.join(root, 'posts', name),
    `---\ntitle: ${name}\nchannels: [outbox]\nstatus: scheduled\npublish_at: ${publishAt}\nreviewed_at: ${at(6)}\n${extra}---\nHi.\n`,
  );
}
function sentAt(name: string, when: string): ReturnType<typeof parsePost> {
  return parsePost(
    path.join(root, 'posts', name),
    `---\ntitle: ${name}\nchannels: [outbox]\nstatus: published\npublished:\n  - channel: outbox\n    id: x\n    at: ${when}\n---\nHi.\n`,
  );
}

describe('use case: due posts and burst holding', () => {
  it('queues what is due, earliest first, leaving out the future and the published', () => {
    const pb = fixturePlaybook();
    const q = dueQueue(
      [scheduled('b.md', at(9)), scheduled('a.md', at(8)), scheduled('later.md', at(12)), sentAt('old.md', at(7))],
      pb,
      NOW,
      root,
    );
    assert.deepEqual(
      q.map((e) => [path.basename(e.post.file), e.decision.state]),
      [
        ['a.md', 'due'],
        ['b.md', 'due'],
      ],
    );
  });

  it('holds a post once its channel has had the burst allowance (2 per 6 hours), counting this run', () => {
    const pb = fixturePlaybook();
    const posts = [sentAt('s1.md', at(7)), scheduled('a.md', at(8)), scheduled('b.md', at(9))];
    const burst = new BurstAllowance(posts, pb, NOW);
    assert.equal(burst.sent('outbox'), 1);
    assert.equal(burst.holdReason(posts[1]), undefined);
    burst.record('outbox');
    assert.equal(
      burst.holdReason(posts[2]),
      '2 posts went to outbox in the last 6 hours (burst: 2 per 6 hours); it goes out on a later run',
    );
  });

  it('does not count posts sent before the window', () => {
    const burst = new BurstAllowance(
      [sentAt('s1.md', '2026-03-05T03:00:00Z'), sentAt('s2.md', '2026-03-05T03:30:00Z')],
      fixturePlaybook(),
      NOW,
    );
    assert.equal(burst.sent('outbox'), 0);
  });
});
