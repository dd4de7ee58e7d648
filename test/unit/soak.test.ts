/**
 * The short soak (issue 12): posts through the outbox, a feed, the Mastodon fake and the webhook
 * fake with injected drops, 429/5xx and timeouts, and one `kill -9` between send and record.
 * Nothing duplicated, nothing lost. `npm run soak` runs the long version.
 */
import assert from 'node:assert/strict';
import { runSoak } from '../soak';

describe('soak: publishing under faults (short)', function () {
  this.timeout(120_000);

  it('sends every post once: no duplicates, none lost', async () => {
    const c = await runSoak({ posts: 12, seed: 20261202, maxMs: 60_000, killEvery: 6 });
    assert.deepEqual(c.problems, []);
    assert.equal(c.attempted, 12);
    assert.ok(c.faults >= 10, `${c.faults} faults injected`);
    assert.ok(c.kills >= 1, 'at least one process killed between send and record');
    assert.equal(c.duplicates, 0);
    assert.equal(c.lost, 0);
    assert.equal(c.sent, 12);
  });
});
