/**
 * Small real git repositories in temp folders for the review tests.
 * Git runs with a fixed identity and without the user's global or system config.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: os.devNull,
  GIT_AUTHOR_NAME: 'Test Writer',
  GIT_AUTHOR_EMAIL: 'writer@example.invalid',
  GIT_COMMITTER_NAME: 'Test Writer',
  GIT_COMMITTER_EMAIL: 'writer@example.invalid',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  LC_ALL: 'C',
};

export function sh(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export class TempRepo {
  readonly dir: string;
  constructor(prefix = 'unscripted-review-', dir?: string) {
    this.dir = dir ?? fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  }
  static init(prefix?: string): TempRepo {
    const r = new TempRepo(prefix);
    r.git('init', '-q', '-b', 'main');
    return r;
  }
  git(...args: string[]): string {
    return sh(this.dir, args);
  }
  write(rel: string, text: string): string {
    const file = path.join(this.dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  }
  read(rel: string): string {
    return fs.readFileSync(path.join(this.dir, rel), 'utf8');
  }
  remove(rel: string): void {
    fs.rmSync(path.join(this.dir, rel), { force: true });
  }
  path(rel: string): string {
    return path.join(this.dir, rel);
  }
  commitAll(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }
  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Lines 1..n as "line 1\n" … */
export function numbered(n: number, prefix = 'line'): string {
  return Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join('');
}

// --- a pull request: base commit on main, head commit on `feature` ------------------------------

export const NOW = new Date('2026-03-01T09:00:00Z');

// --- a small, complete playbook (all four kinds, so nothing falls back to the default) ---------

export const VOICE_BASE = `---
kind: voice
---
# Voice

## Authority voice
Severity: warning

Sounds like a notice, not a person.

- "please be advised" → ""
- "going forward" → "from now on"

## Non-apology
Severity: warning

Say what went wrong.

- "apologise for any inconvenience" → "sorry"
`;

export const VOICE_HEAD = `---
kind: voice
---
# Voice

## Authority voice
Severity: warning

Sounds like a notice, not a person.

- "please be advised" → ""
- "at this time" → "now"

## Non-apology
Severity: error

Say what went wrong.

- "apologise for any inconvenience" → "sorry"

## Jargon watch
Severity: warning

Nobody outside the office says this.

- "touch base" → "talk"
`;

const TALKING_BASE = `---
kind: talking-points
---
# Talking points

## spring

- The new riverside library opens on Saturday with longer opening hours for everyone.
`;

const TALKING_HEAD = `${TALKING_BASE}- Every resident can borrow e-books for free with a library card this spring.
`;

const CHANNELS_BASE = `---
kind: channels
---
# Channels

| id      | platform | account | limit | host |
| ------- | -------- | ------- | ----- | ---- |
| outbox  | outbox   |         |       |      |
| bluesky | bluesky  | a.bsky.social |  | bsky.social |
`;

const CHANNELS_HEAD = `${CHANNELS_BASE}| mastodon | mastodon | @town |  | mastodon.social |
`;

export const schedule = (paused: boolean, reason = '') => `---
kind: schedule
horizon: 14 days
review_window: 48 hours
burst: 3 per 6 hours
paused: ${paused}
pause_reason: ${reason}
---
# Schedule
`;

export function post(fm: Record<string, string>, body: string): string {
  const lines = Object.entries(fm).map(([k, v]) => `${k}: ${v}`);
  return `---\n${lines.join('\n')}\n---\n${body}`;
}

/** A repository with a base commit on main and a head commit on `feature`. */
export function buildPrRepo(): TempRepo {
  const repo = TempRepo.init('unscripted-review-summary-');
  repo.write('playbooks/voice.md', VOICE_BASE);
  repo.write('playbooks/talking-points.md', TALKING_BASE);
  repo.write('playbooks/channels.md', CHANNELS_BASE);
  repo.write('playbooks/schedule.md', schedule(false));
  repo.write(
    'posts/edited.md',
    post(
      { title: 'Pool hours', channels: '[outbox]', status: 'draft' },
      'Please be advised the pool closes early on Friday.\n\nWe apologise for any inconvenience.\n',
    ),
  );
  repo.write(
    'posts/untouched.md',
    post(
      { title: 'Council visit', channels: '[outbox]', status: 'draft' },
      'We will touch base with the council at this time next week.\n',
    ),
  );
  repo.write(
    'posts/cleared.md',
    post({ title: 'Bins', channels: '[outbox]', status: 'draft' }, 'Going forward the bins go out on Tuesday.\n'),
  );
  repo.write(
    'posts/removed.md',
    post(
      {
        title: 'Old news',
        channels: '[outbox]',
        status: 'scheduled',
        publish_at: '2026-03-02T10:00:00Z',
        reviewed_at: '2026-03-01T08:00:00Z',
      },
      'The fete is on.\n',
    ),
  );
  repo.write(
    'posts/moved.md',
    post(
      {
        title: 'Market day',
        channels: '[outbox]',
        status: 'scheduled',
        publish_at: '2026-03-03T09:00:00Z',
        reviewed_at: '2026-03-01T08:00:00Z',
      },
      'The market is on Saturday. Bring a bag.\n',
    ),
  );
  repo.write('posts/status.md', post({ title: 'Choir', channels: '[outbox]', status: 'draft' }, 'The choir sings at noon.\n'));
  repo.write(
    'posts/renamed.md',
    post(
      { title: 'Park', channels: '[outbox]', status: 'draft' },
      'The park gates open at dawn and close at dusk, every day of the year.\n',
    ),
  );
  repo.commitAll('base');
  repo.git('checkout', '-q', '-b', 'feature');

  repo.write('playbooks/voice.md', VOICE_HEAD);
  repo.write('playbooks/talking-points.md', TALKING_HEAD);
  repo.write('playbooks/channels.md', CHANNELS_HEAD);
  repo.write('playbooks/schedule.md', schedule(true, 'Election period'));
  // edited: a new first paragraph moves the apology down two lines (still the same finding), the
  // authority-voice opener is gone (fixed), and "at this time" is new.
  repo.write(
    'posts/edited.md',
    post(
      { title: 'Pool hours', channels: '[outbox]', status: 'draft' },
      'The pool closes early on Friday for a swimming gala.\n\nIt shuts at 4pm at this time of year.\n\nWe apologise for any inconvenience.\n',
    ),
  );
  repo.remove('posts/removed.md');
  repo.write(
    'posts/moved.md',
    post(
      {
        title: 'Market day',
        channels: '[outbox]',
        status: 'scheduled',
        publish_at: '2026-03-04T09:00:00Z',
        reviewed_at: '2026-03-01T08:00:00Z',
      },
      'The market is on Saturday. Bring a bag.\n',
    ),
  );
  repo.write('posts/status.md', post({ title: 'Choir', channels: '[outbox]', status: 'ready' }, 'The choir sings at noon.\n'));
  repo.git('mv', 'posts/renamed.md', 'posts/park.md');
  repo.write(
    'posts/new.md',
    post(
      {
        title: 'Gala',
        channels: '[outbox]',
        status: 'scheduled',
        publish_at: '2026-03-06T09:00:00+00:00',
        reviewed_at: '2026-03-01T08:00:00Z',
      },
      'Come and cheer at the gala.\n',
    ),
  );
  repo.commitAll('head');
  return repo;
}
