/**
 * `unscripted publish`: publish one post now, or every post that is due (for a cron job).
 *
 *   unscripted publish POST [--channel ID] [--dry-run] [--yes] [--now ISO] [--force-lint]
 *                           [--ignore-pause] [--resend | --mark-sent] [--playbook DIR]
 *   unscripted publish --due [--dry-run] [--now ISO] [--playbook DIR]
 *
 * Tokens come from environment variables only (see docs/publishing.md); they never appear in
 * the output. Exit codes: 0 published (or nothing to do, or held by a pause), 1 something was
 * refused, failed, is stale or has an unknown outcome, 2 usage errors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { parsePost, Workspace } from '../core';
import { readPostText } from '../core/workspace';
import { locateWorkspace } from '../core/locate';
import { formatDuration } from '../core/duration';
import { UsageError, parseOptions, playbookOption, usageMessage, write } from './options';
import { closest } from '../core/text';
import { EnvSecretSource, publishPost, postChannels, sweepOrphanTemps, type RetryOptions } from '../core/publish';
import { parseClock, clockError } from '../app/clock';
import { indent, lintErrorsText, planText, publishReportText } from '../app/plan-text';
import { BurstAllowance, dueQueue } from '../app/due';

export interface PublishIo {
  cwd: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv | Record<string, string | undefined>;
  isTTY?: boolean;
}

export const PUBLISH_USAGE = `Usage:
  unscripted publish POST [options]   Publish one post now (asks to confirm; --yes to skip)
  unscripted publish --due [options]  Publish every post whose publish_at has come (for cron/CI)

Options:
  --channel ID      Only this channel of the post
  --dry-run         Print exactly what would be sent, per channel and part; send nothing
  --yes, -y         Do not ask for confirmation
  --now ISO         The clock (default: now), e.g. 2026-03-01T09:00:00Z
  --force-lint      Publish despite lint errors (recorded in the post as lint_override)
  --ignore-pause    Publish this one post although the playbook is paused
  --resend          A webhook part whose outcome is unknown: send it again
  --mark-sent       A webhook part whose outcome is unknown: record it as sent
  --playbook DIR    Playbook folder (default: the nearest playbooks/ above the post, else the shipped default)

Tokens: environment variables UNSCRIPTED_TOKEN_<PLATFORM>_<HOST>_<ACCOUNT> (see docs/publishing.md).
Exit codes: 0 done (or held by a pause), 1 refused/failed/stale/unknown outcome, 2 usage.
`;

function envNumber(env: PublishIo['env'], name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function retryFromEnv(env: PublishIo['env']): Partial<RetryOptions> {
  const r: Partial<RetryOptions> = {};
  const base = envNumber(env, 'UNSCRIPTED_PUBLISH_RETRY_BASE_MS');
  const attempts = envNumber(env, 'UNSCRIPTED_PUBLISH_MAX_ATTEMPTS');
  const wait = envNumber(env, 'UNSCRIPTED_PUBLISH_MAX_WAIT_MS');
  if (base !== undefined) r.baseMs = base;
  if (attempts !== undefined && attempts >= 1) r.maxAttempts = Math.floor(attempts);
  if (wait !== undefined) r.maxWaitMs = wait;
  return r;
}

async function confirm(io: PublishIo, question: string): Promise<boolean> {
  const rl = createInterface({ input: io.stdin ?? process.stdin, output: io.stderr });
  try {
    const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export async function run(argv: string[], io: PublishIo): Promise<number> {
  try {
    return await runPublish(argv, io);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    await write(io.stderr, usageMessage(e));
    return 2;
  }
}

async function runPublish(argv: string[], io: PublishIo): Promise<number> {
  const parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] } = parseOptions('publish', argv, {
    channel: { type: 'string' },
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    now: { type: 'string' },
    'force-lint': { type: 'boolean' },
    'ignore-pause': { type: 'boolean' },
    resend: { type: 'boolean' },
    'mark-sent': { type: 'boolean' },
    due: { type: 'boolean' },
    playbook: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const { values, positionals } = parsed;
  if (values.help) {
    await write(io.stdout, PUBLISH_USAGE);
    return 0;
  }
  const usage = (msg: string): never => {
    throw new UsageError(msg, 'publish');
  };
  let now: Date | undefined;
  if (typeof values.now === 'string') {
    now = parseClock(values.now);
    if (!now) return usage(clockError('--now', values.now));
  }
  if (values.resend && values['mark-sent']) return usage('give --resend or --mark-sent, not both');
  if (values.due && positionals.length) return usage('give either a post or --due, not both');
  if (!values.due && positionals.length !== 1)
    return usage(positionals.length ? 'publish one post at a time (or use --due)' : 'which post? (or --due)');
  if (values.due && (values.channel || values.resend || values['mark-sent'] || values['force-lint'] || values['ignore-pause'])) {
    return usage(
      '--due publishes by the schedule policy only: --channel, --resend, --mark-sent, --force-lint and --ignore-pause go with a named post',
    );
  }

  const playbookDir = playbookOption(typeof values.playbook === 'string' ? values.playbook : undefined, io.cwd, 'publish');
  const named = positionals.length === 1 ? path.resolve(io.cwd, positionals[0]) : undefined;
  if (named && (!fs.existsSync(named) || !fs.statSync(named).isFile())) return usage(`no such post: ${positionals[0]}`);
  // The workspace of the post (or of the current folder for --due): the nearest playbooks/ above it.
  const loc = locateWorkspace(named ? path.dirname(named) : io.cwd, io.cwd);
  const ws = Workspace.open(loc.root, { playbookDir, cache: true });
  if (ws.playbook.errors.length) {
    const lines = ws.playbook.errors.map((e) => `${path.relative(io.cwd, e.file) || e.file}:${e.line}: playbook error: ${e.message}`);
    await write(io.stderr, `${lines.join('\n')}\nunscripted publish: fix the playbook first; nothing was published\n`);
    return 2;
  }
  const clock = () => now ?? new Date();
  const common = {
    root: ws.root,
    playbook: ws.playbook,
    secrets: new EnvSecretSource(io.env),
    now: clock,
    retry: retryFromEnv(io.env),
    timeoutMs: envNumber(io.env, 'UNSCRIPTED_PUBLISH_TIMEOUT_MS'),
    onProgress: (m: string) => void write(io.stderr, `  ${m}\n`),
    lint: (file: string, text: string) => {
      ws.ensureIndexed();
      // The gate judges the channels being published: a Bluesky-only length error does not stop --channel outbox.
      const only = typeof values.channel === 'string' ? values.channel : undefined;
      return ws.lintText(file, text, { now: clock() }).findings.filter((f) => !only || !f.channel || f.channel === only);
    },
  };

  if (values.due) return runDue(ws, io, common, !!values['dry-run'], clock());

  const file = named!;
  const rel = path.relative(io.cwd, file) || file;
  const post = parsePost(file, fs.readFileSync(file, 'utf8'));
  if (typeof values.channel === 'string') {
    // A missing channel is a usage error, like a missing post (exit 2), with a did-you-mean.
    const listed = postChannels(post);
    if (!listed.includes(values.channel)) {
      const near = closest(values.channel, listed);
      return usage(
        `${rel} does not list channel "${values.channel}"${near ? `; did you mean ${near}?` : ''} (its channels: ${listed.join(', ')})`,
      );
    }
  }
  const opts = {
    ...common,
    file,
    channel: typeof values.channel === 'string' ? values.channel : undefined,
    forceLint: !!values['force-lint'],
    ignorePause: !!values['ignore-pause'],
    resend: !!values.resend,
    markSent: !!values['mark-sent'],
  };

  const preview = await publishPost({ ...opts, dryRun: true });
  if (preview.refused && !preview.lintErrors) {
    if (preview.plan.length) await write(io.stdout, planText(preview.plan, rel));
    await write(io.stderr, `unscripted publish: ${rel}: ${preview.refused}\n`);
    return 1;
  }
  if (preview.lintErrors?.length) {
    await write(io.stderr, `${rel} has lint errors:\n${lintErrorsText(preview.lintErrors, rel)}`);
    if (!values['force-lint']) {
      // A dry run still shows the parts: the writer needs them to fix a length.
      if (values['dry-run'] && preview.plan.length) await write(io.stdout, planText(preview.plan, rel));
      await write(io.stderr, `unscripted publish: ${values['dry-run'] ? 'would not publish' : 'not published'}: ${preview.refused}\n`);
      return 1;
    }
  }
  await write(io.stdout, planText(preview.plan, rel));
  const toSend = preview.plan.filter((p) => p.state === 'send' || p.state === 'resume');
  if (values['dry-run']) {
    await write(io.stdout, `Dry run: nothing was sent.${toSend.length ? '' : ' (Nothing left to send.)'}\n`);
    return preview.ok ? 0 : 1;
  }
  if (toSend.length === 0) {
    const blocked = preview.plan.some((p) => p.state === 'blocked');
    await write(io.stdout, blocked ? 'Nothing sent.\n' : 'Nothing left to send.\n');
    return blocked ? 1 : 0;
  }
  if (!values.yes) {
    // A draft, or a post scheduled for later, published by name: say so in the question.
    const at = post.meta.publishAt;
    const early =
      post.meta.status === 'draft'
        ? `${rel} is a draft (status: draft)`
        : post.meta.status === 'scheduled' && at && at.getTime() > clock().getTime()
          ? `${rel} is scheduled for ${at.toISOString()}, ${formatDuration((at.getTime() - clock().getTime()) / 60000)} from now`
          : undefined;
    const interactive = io.isTTY ?? (io.stdin as { isTTY?: boolean } | undefined)?.isTTY ?? false;
    if (!interactive) {
      await write(
        io.stderr,
        `unscripted publish: nothing sent: ${early ? `${early}; ` : ''}this is what would go out; add --yes to publish it${early ? ' now' : ''}\n`,
      );
      return 1;
    }
    if (
      !(await confirm(
        io,
        `${early ? `${early}. ` : ''}Publish ${early ? 'it now ' : ''}to ${toSend.map((p) => p.channel).join(', ')}? [y/N] `,
      ))
    ) {
      await write(io.stderr, 'Not published.\n');
      return 1;
    }
  }
  const report = await publishPost(opts);
  if (report.refused) {
    await write(io.stderr, `unscripted publish: ${rel}: ${report.refused}\n`);
    return 1;
  }
  await write(io.stdout, publishReportText(report, rel));
  return report.ok ? 0 : 1;
}

async function runDue(
  ws: Workspace,
  io: PublishIo,
  common: Omit<Parameters<typeof publishPost>[0], 'file'>,
  dryRun: boolean,
  now: Date,
): Promise<number> {
  const files = ws.listPosts().filter((f) => f.startsWith(ws.root + path.sep));
  // One sweep of killed runs' temp files for the whole run, not one per post published.
  if (!dryRun) await sweepOrphanTemps(ws.root);
  let failed = 0;
  // Every post on its own: one that cannot be read or whose front matter does not parse is
  // reported (it may be a due post) and never stops the others.
  const posts: ReturnType<typeof parsePost>[] = [];
  for (const f of files) {
    const rel = path.relative(io.cwd, f) || f;
    const text = readPostText(f, ws.root);
    if (typeof text !== 'string') {
      failed++;
      await write(io.stdout, `failed ${rel}: ${text.problem}\n`);
      continue;
    }
    let post;
    try {
      post = parsePost(f, text);
    } catch (e) {
      failed++;
      await write(io.stdout, `failed ${rel}: cannot read the post: ${(e as Error).message}\n`);
      continue;
    }
    const fm = post.frontMatter;
    if (fm && (fm.errors.length || !fm.data)) {
      failed++;
      const e = fm.errors[0];
      const line = e ? text.slice(0, e.offset).split('\n').length : 1;
      await write(
        io.stdout,
        `failed ${rel}:${line}: the front matter does not parse${e ? ` (${e.message})` : ''}, so its schedule cannot be read: fix it (unscripted lint ${rel})\n`,
      );
      continue;
    }
    posts.push(post);
  }
  const burst = new BurstAllowance(posts, ws.playbook, now);
  let published = 0;
  let held = 0;
  let stale = 0;
  const queue = dueQueue(posts, ws.playbook, now, ws.root);
  if (queue.length === 0) {
    await write(io.stdout, `Nothing is due at ${now.toISOString()}.${failed ? ` ${failed} post(s) could not be read (above).` : ''}\n`);
    return failed ? 1 : 0;
  }
  for (const { post, decision: d } of queue) {
    const rel = path.relative(io.cwd, post.file) || post.file;
    if (d.state === 'held') {
      held++;
      await write(io.stdout, `held   ${rel}: ${d.reason}\n`);
      continue;
    }
    if (d.state === 'stale' || d.state === 'draft') {
      stale++;
      await write(io.stdout, `${d.state === 'stale' ? 'stale ' : 'draft '} ${rel}: ${d.reason}\n`);
      continue;
    }
    const burstHold = burst.holdReason(post);
    if (burstHold) {
      held++;
      await write(io.stdout, `held   ${rel}: ${burstHold}\n`);
      continue;
    }
    let report: Awaited<ReturnType<typeof publishPost>>;
    try {
      report = await publishPost({ ...common, file: post.file, dryRun, sweepTemps: false });
    } catch (e) {
      failed++;
      await write(io.stdout, `failed ${rel}: ${(e as Error).message}\n`);
      continue;
    }
    burst.count(report, dryRun);
    if (dryRun) {
      await write(io.stdout, `due    ${rel}:\n${indent(planText(report.plan, rel), '  ')}`);
      continue;
    }
    if (report.refused) {
      failed++;
      await write(io.stdout, `failed ${rel}: ${report.refused}\n`);
      if (report.lintErrors?.length) await write(io.stdout, lintErrorsText(report.lintErrors, rel));
      continue;
    }
    await write(io.stdout, publishReportText(report, rel));
    if (report.ok) published++;
    else failed++;
  }
  await write(
    io.stdout,
    `${dryRun ? 'Dry run: ' : ''}${published} published, ${held} held, ${stale} need a person, ${failed} failed (at ${now.toISOString()}).\n`,
  );
  return failed || stale ? 1 : 0;
}
