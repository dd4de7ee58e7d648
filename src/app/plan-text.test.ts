import { strict as assert } from 'node:assert';
import { lintErrorsText, planText, publishReportText } from './plan-text';
import type { ChannelPlan, PublishReport } from '../core/publish/publisher';

const part = (index: number, text: string, limit?: number) => ({ index, text, length: [...text].length, limit });
const plan = (o: Partial<ChannelPlan>): ChannelPlan => ({
  channel: 'outbox',
  platform: 'outbox',
  state: 'send',
  parts: [],
  hash: 'h',
  sentParts: 0,
  ...o,
});

describe('use case: publish plan text', () => {
  it('shows each part to send with its length and limit', () => {
    assert.equal(
      planText([plan({ channel: 'bsky', platform: 'bluesky', parts: [part(0, 'One.\nTwo.', 300), part(1, 'Three.', 300)] })], 'posts/a.md'),
      'posts/a.md → bsky (bluesky): 2 parts\n  --- part 1/2 · 9/300 characters ---\n  One.\n  Two.\n  --- part 2/2 · 6/300 characters ---\n  Three.\n',
    );
  });

  it('still shows the parts of a blocked channel, with how far each is over', () => {
    const text = planText(
      [plan({ channel: 'short', state: 'blocked', note: 'part 1 is 12/5 characters', parts: [part(0, 'Twelve chars', 5)] })],
      'p.md',
    );
    assert.equal(
      text,
      'p.md → short (outbox): cannot publish — part 1 is 12/5 characters\n  --- part 1/1 · 12/5 characters, 7 over ---\n  Twelve chars\n',
    );
  });

  it('marks parts already sent when resuming, and gives done channels one line', () => {
    const text = planText(
      [
        plan({ state: 'resume', note: 'resuming at part 2', sentParts: 1, parts: [part(0, 'A'), part(1, 'B')] }),
        plan({ channel: 'feed', state: 'done', note: 'already published' }),
      ],
      'p.md',
    );
    assert.match(
      text,
      /^p\.md → outbox \(outbox\): 2 parts \(resuming at part 2\)\n {2}--- part 1\/2 · 1 characters \(already sent\) ---\n {2}A\n {2}--- part 2\/2 · 1 characters ---\n {2}B\np\.md → feed \(outbox\): already published\n$/,
    );
  });

  it('reports outcomes per channel and lint errors with their place', () => {
    const report = {
      results: [
        { channel: 'bsky', platform: 'bluesky', outcome: 'published', urls: ['https://a/1', 'https://a/2'] },
        { channel: 'hook', platform: 'webhook', outcome: 'unknown', message: 'timed out' },
      ],
      lintOverride: ['channel-length'],
    } as unknown as PublishReport;
    assert.equal(
      publishReportText(report, 'p.md'),
      '✔ p.md → bsky: published:\n    https://a/1\n    https://a/2\n✖ p.md → hook: outcome unknown — timed out\n  (published despite lint errors: channel-length; recorded in the post)\n',
    );
    const err = { ruleId: 'channel-length', severity: 'error', message: 'Too long', line: 3, column: 1 } as Parameters<
      typeof lintErrorsText
    >[0][number];
    assert.equal(lintErrorsText([err], 'p.md'), '  p.md:3:1  error  Too long  channel-length\n');
  });
});
