/**
 * `unscripted` command line: a thin adapter over src/core.
 *   unscripted lint [paths…]   lint posts against the playbook
 *   unscripted init            scaffold playbooks/ and posts/
 *   unscripted publish …       publish posts (see docs/publishing.md)
 *   unscripted review …        summarise a pull request (see docs/reviewing.md)
 * Exit codes: 0 clean, 1 findings at error level or too many warnings, 2 usage, config or
 * playbook errors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { newPostText } from '../core/scaffold';
import { MAX_STDIN_BYTES } from '../core/limits';
import { changedLinesSince, changeFor, filterToChangedLines, type ChangedLines } from '../core/review/changed-lines';
import { Workspace, formatResults, FORMATS, Format, LintResult, DEFAULT_PLAYBOOK_DIR, PACKAGE_ROOT, parseIsoWithOffset, Finding } from '../core';

export interface Io {
  cwd: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream;
  env?: NodeJS.ProcessEnv;
  isTTY?: boolean;
}

export class UsageError extends Error {}

const USAGE = `Usage: unscripted <command> [options]

Commands:
  lint [paths…]        Lint posts (default: the workspace in the current folder)
  init                 Create playbooks/ and posts/ with the default playbook and a sample post
  publish POST|--due   Publish a post now, or every post that is due (unscripted publish --help)
  review --base REF    Summarise what a change does to the plan (unscripted review --help)

Lint options:
  --format stylish|compact|json|sarif|github   Output format (default: stylish)
  --playbook DIR        Playbook folder (default: ./playbooks, else the shipped default)
  --max-warnings N      Exit 1 when there are more than N warnings
  --quiet               Report errors only
  --stdin               Lint standard input; name it with --stdin-filename
  --stdin-filename NAME Path the standard input stands for
  --now ISO             The clock for schedule rules (default: now)
  --changed-since REF   Only findings on lines added or changed since the git ref
`;

function version(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
}

/** Standard input, refused past `max` bytes before it is decoded (600 MB used to end in V8's string error). */
async function readAll(stream: NodeJS.ReadableStream, max = MAX_STDIN_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > max) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw new Error(`standard input is over ${max / 1024 / 1024} MiB, larger than a post can be: not linted`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (!text) return resolve();
    stream.write(text, () => resolve());
  });
}

export async function lintCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', short: 'f' },
      playbook: { type: 'string' },
      'max-warnings': { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      stdin: { type: 'boolean' },
      'stdin-filename': { type: 'string' },
      now: { type: 'string' },
      'changed-since': { type: 'string' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    await write(io.stdout, USAGE);
    return 0;
  }
  const format = (values.format ?? 'stylish') as Format;
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`Unknown format "${values.format}": use ${FORMATS.join(', ')}`);
  let maxWarnings = -1;
  if (values['max-warnings'] !== undefined) {
    maxWarnings = Number(values['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) throw new UsageError('--max-warnings takes a whole number, 0 or more');
  }
  let now = new Date();
  if (values.now !== undefined) {
    const d = parseIsoWithOffset(values.now) ?? (/^\d{4}-\d{2}-\d{2}$/.test(values.now) ? new Date(`${values.now}T00:00:00Z`) : undefined);
    if (!d) throw new UsageError(`--now "${values.now}" is not an ISO 8601 date-time with an offset, like 2026-03-01T09:00:00Z`);
    now = d;
  }
  if (values['stdin-filename'] && !values.stdin) throw new UsageError('--stdin-filename goes with --stdin');
  if (values.stdin && positionals.length) throw new UsageError('Give either --stdin or paths, not both');

  const ws = Workspace.openSync(io.cwd, { playbookDir: values.playbook });
  // --changed-since: find the changed lines first, so only changed files are linted (the
  // index still reads every post, so cross-post rules see the whole plan).
  let changed: ChangedLines | undefined;
  if (values['changed-since']) {
    try {
      changed = await changedLinesSince(io.cwd, values['changed-since']);
    } catch (e) {
      await write(io.stderr, `unscripted: ${(e as Error).message}\n`);
      return 2;
    }
    if (changed.notes.length) await write(io.stderr, changed.notes.map((n) => `note: ${n}`).join('\n') + '\n');
  }
  let results: LintResult[];
  if (values.stdin) {
    const text = await readAll(io.stdin ?? process.stdin);
    const name = values['stdin-filename'] ?? '<stdin>.md';
    ws.ensureIndexed();
    results = [ws.lintText(path.resolve(io.cwd, name), text, { now })];
    if (!values['stdin-filename']) results[0].file = path.resolve(io.cwd, '<stdin>');
  } else {
    let files: string[];
    try {
      files = positionals.length ? ws.expandPaths(positionals, io.cwd) : ws.listPosts();
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (changed) files = files.filter((f) => changeFor(changed!, f));
    results = await ws.lintFiles(files, { now });
  }
  if (changed) results = filterToChangedLines(results, changed);

  if (values.quiet) results = results.map((r) => ({ ...r, findings: r.findings.filter((f: Finding) => f.severity === 'error') }));

  const color = values['no-color'] ? false : values.color ?? (!!io.isTTY && !io.env?.NO_COLOR);
  const out = formatResults(results, format, { cwd: io.cwd, rules: ws.rules, playbook: ws.playbook, color, version: version() });
  await write(io.stdout, format === 'json' || format === 'sarif' ? out + '\n' : out);

  // Playbook mistakes: named with file and line, exit 2. The lint above still ran on the rest.
  if (ws.playbook.errors.length) {
    const lines = ws.playbook.errors.map((e) => `${path.relative(io.cwd, e.file) || e.file}:${e.line}${e.column ? `:${e.column}` : ''}: playbook error: ${e.message}`);
    await write(io.stderr, lines.join('\n') + '\n');
    return 2;
  }
  const all = results.flatMap((r) => r.findings);
  const errors = all.filter((f) => f.severity === 'error').length;
  const warnings = all.filter((f) => f.severity === 'warning').length;
  if (errors > 0) return 1;
  if (maxWarnings >= 0 && warnings > maxWarnings) {
    await write(io.stderr, `Too many warnings: ${warnings} (the limit is ${maxWarnings})\n`);
    return 1;
  }
  return 0;
}

const SAMPLE_POST = newPostText({
  title: 'Riverside library opening',
  channels: ['outbox'],
  campaign: 'spring-opening',
  author: 'you',
  body: `The riverside library opens on Saturday at 9. We've kept it open until 8pm on weekdays,
because that's when most of you told us you could come.

---

Bring the kids: the story corner runs every Saturday morning, no booking needed.
`,
});

export async function initCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    await write(io.stdout, 'Usage: unscripted init [--force]\nCreates playbooks/ (the default playbook) and posts/ with one sample post.\n');
    return 0;
  }
  const pbDir = path.join(io.cwd, 'playbooks');
  const postsDir = path.join(io.cwd, 'posts');
  const copies: [string, string][] = [];
  for (const name of fs.readdirSync(DEFAULT_PLAYBOOK_DIR).filter((n) => n.endsWith('.md')).sort()) {
    copies.push([path.join(DEFAULT_PLAYBOOK_DIR, name), path.join(pbDir, name)]);
  }
  const sample = path.join(postsDir, 'welcome.md');
  const existing = [...copies.map(([, to]) => to), sample].filter((f) => fs.existsSync(f));
  if (existing.length && !values.force) {
    await write(io.stderr, `Not overwriting existing files (use --force):\n${existing.map((f) => `  ${path.relative(io.cwd, f)}`).join('\n')}\n`);
    return 2;
  }
  // Never write through a link: --force would overwrite the link's target, perhaps outside the workspace.
  const links = [...copies.map(([, to]) => to), sample, pbDir, postsDir].filter((f) => {
    try {
      return fs.lstatSync(f).isSymbolicLink();
    } catch {
      return false;
    }
  });
  if (links.length) {
    await write(io.stderr, `Not writing through symbolic links (replace them with files first):\n${links.map((f) => `  ${path.relative(io.cwd, f)}`).join('\n')}\n`);
    return 2;
  }
  fs.mkdirSync(pbDir, { recursive: true });
  fs.mkdirSync(postsDir, { recursive: true });
  for (const [from, to] of copies) fs.copyFileSync(from, to);
  fs.writeFileSync(sample, SAMPLE_POST);
  await write(io.stdout, `Created:\n${[...copies.map(([, to]) => to), sample].map((f) => `  ${path.relative(io.cwd, f)}`).join('\n')}\nNext: edit playbooks/*.md, write posts in posts/, run \`unscripted lint\`.\n`);
  return 0;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'lint':
        return await lintCommand(rest, io);
      case 'init':
        return await initCommand(rest, io);
      case 'publish': {
        // Loaded on demand, so `lint` never pays for publishing code.
        const publish = require('./publish') as typeof import('./publish');
        return await publish.run(rest, { ...io, env: io.env ?? process.env } as Parameters<typeof publish.run>[1]);
      }
      case 'review': {
        const review = require('./review') as typeof import('./review');
        return await review.run(rest, io as Parameters<typeof review.run>[1]);
      }
      case '--version':
      case '-v':
        await write(io.stdout, version() + '\n');
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        await write(command ? io.stdout : io.stderr, USAGE);
        return command ? 0 : 2;
      default:
        throw new UsageError(`Unknown command "${command}"`);
    }
  } catch (e) {
    const err = e as Error & { code?: string };
    if (e instanceof UsageError || err.code?.startsWith('ERR_PARSE_ARGS')) {
      await write(io.stderr, `unscripted: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    await write(io.stderr, `unscripted: ${err.message}\n`);
    return 2;
  }
}
