import { strict as assert } from 'node:assert';
import type { ChannelPlan } from '../core/publish/publisher';
import type { Finding } from '../core/types';
import { confirmDialog, nothingToSend, SHOW_PROBLEMS } from './publish-dialog';

const plan = (channel: string, state: ChannelPlan['state'], note?: string): ChannelPlan => ({
  channel,
  platform: channel,
  state,
  parts: [],
  hash: '',
  sentParts: 0,
  note,
});
const finding = (ruleId: string, severity: Finding['severity']): Finding => ({
  ruleId,
  severity,
  message: 'm',
  line: 1,
  column: 1,
  endLine: 1,
  endColumn: 2,
  offset: 0,
  endOffset: 1,
  suggestions: [],
});

describe('editor: the publish confirmation', () => {
  it('with a channel left out and lint errors, Enter (the first button) publishes nothing, and the body names who gets it', () => {
    const d = confirmDialog({
      title: 'Opening',
      plan: [plan('bluesky', 'blocked', 'part 1 is 475/300 characters'), plan('mastodon', 'send')],
      findings: [finding('channel-length', 'error'), finding('authority-voice', 'warning')],
      lintErrors: [finding('channel-length', 'error')],
      status: 'ready',
      preview: 'PREVIEW',
    });
    assert.equal(d.message, 'Publish “Opening” to mastodon only?');
    assert.equal(d.buttons[0], SHOW_PROBLEMS);
    assert.equal(d.buttons[1], 'Publish to mastodon only despite lint errors');
    assert.equal(d.publish, d.buttons[1]);
    assert.ok(d.forceLint);
    assert.match(d.detail, /^Will get the post: mastodon\.\nWill NOT get the post: bluesky — part 1 is 475\/300 characters\./);
    assert.match(d.detail, /1 lint error \(channel-length\): publishing anyway is recorded in the post\./);
    assert.match(d.detail, /1 warning \(authority-voice\)\./);
    assert.match(d.detail, /PREVIEW$/);
  });

  it('says a draft is a draft; a clean post to every channel publishes on Enter', () => {
    const draft = confirmDialog({ title: 'T', plan: [plan('outbox', 'send')], findings: [], lintErrors: [], status: 'draft', preview: '' });
    assert.match(draft.detail, /This post is status: draft/);
    assert.deepEqual(draft.buttons, ['Publish the draft']);
    const clean = confirmDialog({
      title: 'T',
      plan: [plan('outbox', 'send'), plan('feed', 'done')],
      findings: [],
      lintErrors: [],
      status: 'ready',
      preview: '',
    });
    assert.deepEqual(clean.buttons, ['Publish']);
    assert.equal(clean.message, 'Publish “T” to outbox?');
    assert.match(clean.detail, /Already published, not sent again: feed\./);
    assert.equal(clean.forceLint, false);
  });

  it('"nothing left to send" is one short line', () => {
    const m = nothingToSend('posts/a.md', [plan('outbox', 'done'), plan('mastodon', 'changed')]);
    assert.equal(
      m,
      'posts/a.md: nothing left to send — already published to outbox; edited since it went to mastodon (edits are not sent).',
    );
    assert.ok(!m.includes('\n'));
  });
});
