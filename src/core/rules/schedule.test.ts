import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { Rule } from '../rule-contract';
import { reportBurst, scheduleBurst } from './schedule-burst';
import { scheduledAt } from './schedule-common';
import { lintPost } from '../engine';
import { lint, only, fixturePlaybook, NOW } from '../../../test/helpers';
import { PostIndex } from '../post-index';
import { loadPlaybookSync } from '../engine';
import { tempWorkspace } from '../../../test/helpers';
import * as fs from 'node:fs';
import * as path from 'node:path';

const sched = (at: string, extra = '') => `title: t\nchannels: [outbox]\nstatus: scheduled\npublish_at: ${at}${extra}`;

describe('schedule rules (clock injected: 2026-03-01T12:00Z)', () => {
  describe('schedule-horizon', () => {
    it('flags a post beyond the horizon, at publish_at', () => {
      const f = only(lint('Hi.', { front: sched('2026-03-20T09:00:00Z') }), 'schedule-horizon');
      assert.equal(f.length, 1);
      assert.equal(f[0].line, 5);
      assert.match(f[0].message, /Scheduled 18 days 21 hours ahead; the horizon is 14 days \(schedule\.md:3\)/);
    });
    it('accepts an occasion and a post within the horizon', () => {
      assert.deepEqual(only(lint('Hi.', { front: sched('2026-03-20T09:00:00Z', '\noccasion: true') }), 'schedule-horizon'), []);
      assert.deepEqual(only(lint('Hi.', { front: sched('2026-03-10T09:00:00Z') }), 'schedule-horizon'), []);
    });
    it('follows the injected clock', () => {
      assert.deepEqual(
        only(lint('Hi.', { front: sched('2026-03-20T09:00:00Z'), now: new Date('2026-03-10T00:00:00Z') }), 'schedule-horizon'),
        [],
      );
    });
  });

  describe('schedule-stale', () => {
    it('flags a post going out within the window without a review, and offers to stamp reviewed_at', () => {
      const f = only(lint('Hi.', { front: sched('2026-03-02T09:00:00Z') }), 'schedule-stale');
      assert.equal(f.length, 1);
      assert.match(f[0].message, /Goes out in 21 hours/);
      assert.equal(f[0].suggestions[0].edit?.text, 'reviewed_at: 2026-03-01T12:00:00Z\n');
    });
    it('accepts a post re-read inside the window', () => {
      assert.deepEqual(
        only(lint('Hi.', { front: sched('2026-03-02T09:00:00Z', '\nreviewed_at: 2026-03-01T08:00:00Z') }), 'schedule-stale'),
        [],
      );
    });
    it('flags a review older than the window', () => {
      assert.equal(
        only(lint('Hi.', { front: sched('2026-03-02T09:00:00Z', '\nreviewed_at: 2026-02-20T08:00:00Z') }), 'schedule-stale').length,
        1,
      );
    });
    it('flags a scheduled post whose time has passed', () => {
      assert.match(only(lint('Hi.', { front: sched('2026-02-28T09:00:00Z') }), 'schedule-stale')[0].message, /passed/);
    });
  });

  describe('schedule-burst', () => {
    it('flags more posts per channel in the window than allowed', () => {
      const idx = new PostIndex();
      idx.set('/ws/posts/a.md', `---\n${sched('2026-03-05T09:00:00Z')}\n---\nA`);
      idx.set('/ws/posts/b.md', `---\n${sched('2026-03-05T11:00:00Z')}\n---\nB`);
      idx.set('/ws/posts/far.md', `---\n${sched('2026-03-06T11:00:00Z')}\n---\nC`);
      const f = only(lint('Hi.', { front: sched('2026-03-05T13:00:00Z'), index: idx, file: '/ws/posts/c.md' }), 'schedule-burst');
      assert.equal(f.length, 1);
      assert.match(f[0].message, /3 posts on outbox within 6 hours \(the limit is 2/);
      assert.match(f[0].message, /a\.md, b\.md/);
    });
    it('finds the same bursts as reading every post of the index (property)', () => {
      // The plain definition, as the rule was before it read the index's sorted times: every
      // other post's times within a window either side, sorted, every window tried (the
      // finding's wording is the rule's own, reportBurst).
      const reference: Rule = {
        ...scheduleBurst,
        run(ctx) {
          const at = scheduledAt(ctx);
          if (!at) return;
          const { max, windowHours } = ctx.playbook.schedule.burst;
          const win = windowHours * 3_600_000;
          const t = at.getTime();
          for (const channel of new Set(ctx.post.meta.channels)) {
            const times: { t: number; file: string }[] = [{ t, file: ctx.file }];
            for (const p of ctx.index.all()) {
              if (p.file === ctx.file) continue;
              for (const e of p.meta.published) {
                const at = e.channel === channel ? Date.parse(e.at) : NaN;
                if (!isNaN(at) && Math.abs(at - t) < win) times.push({ t: at, file: p.file });
              }
              if (p.meta.status !== 'scheduled' || !p.meta.publishAt || !p.meta.channels.includes(channel)) continue;
              const pt = p.meta.publishAt.getTime();
              if (Math.abs(pt - t) < win) times.push({ t: pt, file: p.file });
            }
            if (times.length <= max) continue;
            times.sort((a, b) => a.t - b.t);
            let worst: typeof times = [];
            for (let i = 0; i < times.length; i++) {
              if (times[i].t > t) break;
              const inWin = times.filter((x) => x.t >= times[i].t && x.t < times[i].t + win);
              if (inWin.some((x) => x.file === ctx.file) && inWin.length > worst.length) worst = inWin;
            }
            if (worst.length > max) reportBurst(ctx, channel, worst);
          }
        },
      };
      const hour = fc.integer({ min: 0, max: 30 });
      const postArb = fc.record({
        hour,
        minute: fc.constantFrom(0, 30),
        channels: fc.subarray(['outbox', 'bluesky', 'mastodon'], { minLength: 1 }),
        status: fc.constantFrom('scheduled', 'scheduled', 'draft'),
        published: fc.array(fc.record({ channel: fc.constantFrom('outbox', 'bluesky'), hour }), { maxLength: 2 }),
      });
      const stamp = (h: number, m = 0) => new Date(Date.UTC(2026, 2, 5, h, m)).toISOString();
      let bursts = 0;
      fc.assert(
        fc.property(fc.array(postArb, { minLength: 1, maxLength: 12 }), (posts) => {
          const texts = posts.map((p, i) => {
            const published = p.published.length
              ? `\npublished:\n${p.published.map((e, k) => `  - channel: ${e.channel}\n    id: x${i}-${k}\n    at: ${stamp(e.hour)}`).join('\n')}`
              : '';
            return `---\ntitle: P${i}\nchannels: [${p.channels.join(', ')}]\nstatus: ${p.status}\npublish_at: ${stamp(p.hour, p.minute)}${published}\n---\nPost ${i}.\n`;
          });
          const idx = new PostIndex();
          texts.forEach((text, i) => idx.set(`/ws/posts/p${i}.md`, text));
          texts.forEach((text, i) => {
            const input = { file: `/ws/posts/p${i}.md`, text, playbook: fixturePlaybook(), now: NOW, index: idx };
            const got = lintPost({ ...input, rules: [scheduleBurst] }).filter((f) => f.ruleId === 'schedule-burst');
            const want = lintPost({ ...input, rules: [reference] }).filter((f) => f.ruleId === 'schedule-burst');
            assert.deepEqual(got, want);
            bursts += got.length;
          });
        }),
        { seed: 11, numRuns: 300 },
      );
      assert.ok(bursts > 100, `the property saw bursts (${bursts})`);
    });
    it('accepts posts spread out, and posts on other channels', () => {
      const idx = new PostIndex();
      idx.set('/ws/posts/a.md', `---\n${sched('2026-03-05T01:00:00Z')}\n---\nA`);
      idx.set('/ws/posts/b.md', `---\ntitle: b\nchannels: [bluesky]\nstatus: scheduled\npublish_at: 2026-03-05T12:00:00Z\n---\nB`);
      assert.deepEqual(only(lint('Hi.', { front: sched('2026-03-05T13:00:00Z'), index: idx }), 'schedule-burst'), []);
    });
  });

  describe('paused', () => {
    it('flags a scheduled post while the playbook is paused, quoting the reason', () => {
      const ws = tempWorkspace();
      const file = path.join(ws, 'playbooks', 'schedule.md');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('paused: false', 'paused: true\npause_reason: Flooding in the valley'));
      const pb = loadPlaybookSync({ workspaceRoot: ws });
      assert.deepEqual(pb.errors, []);
      const f = only(lint('Hi.', { front: sched('2026-03-02T09:00:00Z'), playbook: pb }), 'paused');
      assert.equal(f.length, 1);
      assert.equal(f[0].severity, 'error');
      assert.match(f[0].message, /Publishing is paused \(schedule\.md:6\): Flooding in the valley/);
      assert.deepEqual(only(lint('Hi.', { playbook: pb }), 'paused'), [], 'a draft is not held');
    });
    it('is silent when not paused', () => {
      assert.deepEqual(only(lint('Hi.', { front: sched('2026-03-02T09:00:00Z'), playbook: fixturePlaybook(), now: NOW }), 'paused'), []);
    });
  });
});
