import { strict as assert } from 'node:assert';
import { fixturePlaybook, lintRaw, only } from '../../test/helpers';
import { parsePost } from './post';
import { dueDecision } from './publish/schedule';
import { staleness } from './stale';

const AT = new Date('2026-06-03T09:00:00Z');
const HOUR = 3_600_000;

function postText(reviewed?: Date): string {
  const r = reviewed ? `\nreviewed_at: ${reviewed.toISOString()}` : '';
  return `---\ntitle: t\nchannels: [outbox]\nstatus: scheduled\npublish_at: ${AT.toISOString()}${r}\n---\nHi.\n`;
}

/** What each side says of the same post at the same clock. */
function bothSides(reviewed: Date | undefined, now: Date): { lint: boolean; scheduler: boolean } {
  const text = postText(reviewed);
  const file = '/ws/posts/p.md';
  const lint = only(lintRaw(text, { file, now }), 'schedule-stale').some((f) => /re-read/.test(f.message));
  const scheduler = dueDecision(parsePost(file, text), fixturePlaybook(), now, '/ws')?.state === 'stale';
  return { lint, scheduler };
}

describe('stale: one definition for the schedule-stale rule and publish --due', () => {
  const window = fixturePlaybook().schedule.reviewWindowHours;

  it('the rule and the scheduler agree on the same post at the same clock (publish_at)', () => {
    assert.equal(window, 48);
    const cases: Array<[string, Date | undefined, boolean]> = [
      ['never re-read', undefined, true],
      ['re-read a minute before the window', new Date(AT.getTime() - window * HOUR - 60_000), true],
      ['re-read exactly at the window start', new Date(AT.getTime() - window * HOUR), false],
      ['re-read inside the window', new Date(AT.getTime() - 2 * HOUR), false],
    ];
    for (const [what, reviewed, stale] of cases) {
      assert.deepEqual(bothSides(reviewed, AT), { lint: stale, scheduler: stale }, what);
    }
  });

  it('before publish_at the window ends at publish_at; a late run measures it back from the run', () => {
    const reviewed = new Date(AT.getTime() - 47 * HOUR);
    // Lint a day ahead: re-read 47 hours before it goes out, inside the window.
    assert.equal(staleness(AT, reviewed, window, new Date(AT.getTime() - 24 * HOUR)).stale, false);
    assert.equal(bothSides(reviewed, new Date(AT.getTime() - 24 * HOUR)).lint, false);
    // A publish run two hours late: it would go out 49 hours after the re-read.
    const late = new Date(AT.getTime() + 2 * HOUR);
    assert.deepEqual(staleness(AT, reviewed, window, late), {
      goesOut: late,
      windowStart: new Date(late.getTime() - window * HOUR),
      stale: true,
    });
    assert.equal(bothSides(reviewed, late).scheduler, true);
  });
});
