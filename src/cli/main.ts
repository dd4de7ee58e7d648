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
import type { ChangedLines } from '../review/changed-lines';
import { MAX_STDIN_BYTES } from '../core/limits';
import { Workspace, LintResult, DEFAULT_PLAYBOOK_DIR, packageVersion, Finding } from '../core';
import { markdownBelow } from '../core/workspace';
import { lintFilesInParallel } from '../core/parallel-lint';
import { LintCache } from '../core/lint-cache';
import { defaultCacheDir } from '../core/playbook-cache';
import { formatResults, FORMATS, type Format } from '../formats';
import { parseClock, clockError } from '../app/clock';
import { lintTextWithFixes, lintWithFixes, type FileFix } from '../app/fix';
import { initWorkspace } from '../app/init';
import { describePlaybook } from '../core/playbook-description';
import { locateWorkspace, type Located } from '../core/locate';
import { UsageError, parseOptions, playbookOption, usageMessage, write } from './options';
import { closest } from '../core/text';

export interface Io {
  cwd: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream;
  env?: NodeJS.ProcessEnv;
  isTTY?: boolean;
}

export { UsageError };

const USAGE = `Usage: unscripted <command> [options]

Commands:
  lint [paths…]        Lint posts (default: every post of the workspace you are in)
  playbook             Print the playbook that applies here: rules, channels, schedule, talking points
  init                 Create playbooks/ and posts/ with the default playbook and a sample post
  publish POST|--due   Publish a post now, or every post that is due
  review --base REF    Summarise what a change does to the plan

Options:
  -h, --help           Help for a command: unscripted lint --help
  -V, --version        Print the version

The playbook is found by looking upward from each post for the nearest folder holding
playbooks/ (up to the git root); without one the shipped default applies.
Exit codes: 0 clean, 1 error-level findings (or too many warnings), 2 usage, config or playbook errors.
`;

const LINT_USAGE = `Usage: unscripted lint [options] [paths…]

Lints posts against the playbook. Paths are files, folders or globs ('posts/**/*.md');
without paths, every post of the workspace you are in (from any of its folders).

Options:
  -f, --format FORMAT     stylish (default), compact, json, sarif or github
      --playbook DIR      Playbook folder (default: the nearest playbooks/ above each post, else the shipped default)
      --fix               Apply the fixes that are safe unattended, then report what is left
      --fix-dry-run       Print the diff --fix would make; change nothing
      --max-warnings N    Exit 1 when there are more than N warnings
  -q, --quiet             Report errors only
      --stdin             Lint standard input; name it with --stdin-filename
      --stdin-filename F  Path the standard input stands for
      --now ISO           The clock for schedule rules (default: now)
      --changed-since REF Only findings on lines added or changed since the git ref
      --no-cache          Lint every post afresh (default: reuse the findings of posts unchanged
                          since the last lint, in the cache folder; UNSCRIPTED_CACHE=0 turns it off)
      --color, --no-color Force colours on or off (default: on for a terminal; FORCE_COLOR and NO_COLOR are honoured)
  -h, --help              This help
`;

const PLAYBOOK_USAGE = `Usage: unscripted playbook [options]

Prints the playbook that applies in the current folder (or to --playbook DIR): each rule with its
severity and phrase count, channels, schedule and talking points, with the file and line of each.

Options:
  -f, --format FORMAT     text (default) or json
      --playbook DIR      Playbook folder to describe
  -h, --help              This help
`;

const INIT_USAGE = `Usage: unscripted init [--force]

Creates playbooks/ (a copy of the default playbook) and posts/ with one sample post (unless
posts/ already holds posts) in the current folder. Refuses to overwrite a file that differs from what init would write, unless
--force; overwritten files are kept as FILE.bak and listed under "Replaced:".

Options:
      --force             Replace files that differ (keeping a .bak copy of each)
  -h, --help              This help
`;

export const COMMANDS = ['lint', 'playbook', 'init', 'publish', 'review', 'help'];

function version(): string {
  return packageVersion() || '0.0.0';
}

/** Standard input, refused past `max` bytes before it is decoded (600 MB used to end in V8's string error). */
async function readAll(stream: NodeJS.ReadableStream, max = MAX_STDIN_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > max) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw new Error(`standard input is over ${max / 1024 / 1024} MiB, larger than a post can be: not linted`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Colours: --no-color / --color win, then FORCE_COLOR, then NO_COLOR, then whether stdout is a terminal. */
export function useColor(
  flags: { color?: boolean; 'no-color'?: boolean },
  env: NodeJS.ProcessEnv | undefined,
  isTTY: boolean | undefined,
): boolean {
  if (flags['no-color']) return false;
  if (flags.color) return true;
  const force = env?.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env?.NO_COLOR) return false;
  return !!isTTY;
}

const rel = (cwd: string, p: string) => path.relative(cwd, p).split(path.sep).join('/') || '.';

/** Workspaces by root, each opened once per run. */
class Workspaces {
  private readonly cache = new Map<string, Located>();
  private readonly open = new Map<string, Workspace>();
  constructor(
    private readonly cwd: string,
    private readonly playbookDir?: string,
  ) {}
  /** The workspace a folder belongs to. */
  forDir(dir: string): Workspace {
    const loc = locateWorkspace(dir, this.cwdFallback(dir), this.cache);
    let ws = this.open.get(loc.root);
    if (!ws) {
      ws = Workspace.open(loc.root, { playbookDir: this.playbookDir, cache: true });
      this.open.set(loc.root, ws);
    }
    return ws;
  }
  all(): Workspace[] {
    return [...this.open.values()];
  }
  private cwdFallback(dir: string): string {
    // No playbooks/ and no git root above: the current folder when the post is inside it.
    const abs = path.resolve(dir);
    return abs === this.cwd || abs.startsWith(this.cwd + path.sep) ? this.cwd : abs;
  }
}

function isGlob(arg: string): boolean {
  return /[*?[\]{}]/.test(arg) && !fs.existsSync(arg);
}

/**
 * Markdown files a glob matches, relative to `cwd`, found by core's walk (the one `lint DIR` uses:
 * dot folders skipped, links followed only inside the workspace of the glob's base).
 */
function expandGlob(pattern: string, cwd: string, workspaces: Workspaces): string[] {
  const picomatch = require('picomatch') as typeof import('picomatch');
  const posix = pattern.split(path.sep).join('/');
  const scan = picomatch.scan(posix);
  const base = path.resolve(cwd, scan.base || '.');
  const isMatch = picomatch(path.isAbsolute(posix) ? posix : path.posix.join(cwd.split(path.sep).join('/'), posix), { dot: false });
  return markdownBelow(base, workspaces.forDir(base).root).filter((f) => isMatch(f.split(path.sep).join('/')));
}

interface Target {
  ws: Workspace;
  files: string[];
}

/** The posts to lint, grouped by the workspace each belongs to. */
function collectTargets(positionals: string[], io: Io, workspaces: Workspaces): { targets: Target[]; named: string[] } {
  const byWs = new Map<Workspace, Set<string>>();
  const add = (ws: Workspace, files: string[]) => {
    let set = byWs.get(ws);
    if (!set) byWs.set(ws, (set = new Set()));
    for (const f of files) set.add(f);
  };
  if (positionals.length === 0) {
    const ws = workspaces.forDir(io.cwd);
    // Without paths: the workspace's posts, from whichever folder of it (the same findings as from its root).
    add(ws, ws.listPosts());
    return { targets: [...byWs].map(([w, f]) => ({ ws: w, files: [...f].sort() })), named: [rel(io.cwd, path.join(ws.root, 'posts'))] };
  }
  for (const p of positionals) {
    const abs = path.resolve(io.cwd, p);
    if (isGlob(abs)) {
      for (const f of expandGlob(p, io.cwd, workspaces)) {
        const ws = workspaces.forDir(path.dirname(f));
        if (!ws.isPlaybookFile(f)) add(ws, [f]);
      }
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new UsageError(`no such file or folder: ${p}`, 'lint');
    }
    const ws = workspaces.forDir(st.isDirectory() ? abs : path.dirname(abs));
    add(ws, ws.expandPaths([abs], io.cwd));
  }
  return { targets: [...byWs].map(([w, f]) => ({ ws: w, files: [...f].sort() })), named: positionals };
}

/** The playbook line of the stylish footer: which folder applied, and whether it is the shipped default. */
function playbookLine(workspaces: Workspace[], cwd: string, explicit: boolean): string {
  const dirs = [...new Set(workspaces.map((w) => (w.playbook.isDefault ? '(shipped default)' : rel(cwd, w.playbook.dir) + '/')))];
  const fallback = workspaces.some(
    (w) => !w.playbook.isDefault && w.playbook.files.some((f) => f.startsWith(DEFAULT_PLAYBOOK_DIR + path.sep)),
  );
  const note = explicit
    ? ' (--playbook)'
    : dirs.includes('(shipped default)') && dirs.length === 1
      ? ' — no playbooks/ folder found above the posts'
      : '';
  return `Playbook: ${dirs.join(', ')}${note}${fallback ? '; kinds it lacks come from the shipped default' : ''}`;
}

/** A unified diff of a fix, for --fix-dry-run. */
function fixDiff(cwd: string, o: FileFix): string {
  const { createTwoFilesPatch } = require('diff') as typeof import('diff');
  const name = rel(cwd, o.file);
  return createTwoFilesPatch(`a/${name}`, `b/${name}`, o.before, o.after, '', '', { context: 2 }).replace(/^=+\n/m, '');
}

export async function lintCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions('lint', argv, {
    format: { type: 'string', short: 'f' },
    playbook: { type: 'string' },
    'max-warnings': { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    stdin: { type: 'boolean' },
    'stdin-filename': { type: 'string' },
    now: { type: 'string' },
    'changed-since': { type: 'string' },
    fix: { type: 'boolean' },
    'fix-dry-run': { type: 'boolean' },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
    'no-cache': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    await write(io.stdout, LINT_USAGE);
    return 0;
  }
  const format = (values.format ?? 'stylish') as Format;
  if (!(FORMATS as readonly string[]).includes(format)) {
    const near = closest(String(values.format), FORMATS);
    throw new UsageError(
      `unknown format "${values.format}"${near ? `; did you mean ${near}?` : ''} (formats: ${FORMATS.join(', ')})`,
      'lint',
    );
  }
  let maxWarnings = -1;
  if (values['max-warnings'] !== undefined) {
    maxWarnings = Number(values['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) throw new UsageError('--max-warnings takes a whole number, 0 or more', 'lint');
  }
  let now = new Date();
  if (values.now !== undefined) {
    const d = parseClock(values.now);
    if (!d) throw new UsageError(clockError('--now', values.now), 'lint');
    now = d;
  }
  if (values['stdin-filename'] && !values.stdin) throw new UsageError('--stdin-filename goes with --stdin', 'lint');
  if (values.stdin && positionals.length) throw new UsageError('give either --stdin or paths, not both', 'lint');
  if (values.stdin && values.fix) throw new UsageError('--fix rewrites files; with --stdin use --fix-dry-run to see the fixes', 'lint');
  if (values.fix && values['fix-dry-run']) throw new UsageError('give either --fix or --fix-dry-run', 'lint');
  const playbookDir = playbookOption(values.playbook, io.cwd, 'lint');
  const workspaces = new Workspaces(path.resolve(io.cwd), playbookDir);

  // --changed-since: find the changed lines first, so only changed files are linted (the
  // index still reads every post, so cross-post rules see the whole plan).
  let changed: ChangedLines | undefined;
  // Loaded on demand, like publish and review: a plain `lint` starts without git or scaffold code.
  const cl = () => require('../review/changed-lines') as typeof import('../review/changed-lines');
  if (values['changed-since']) {
    try {
      changed = await cl().changedLinesSince(io.cwd, values['changed-since']);
    } catch (e) {
      await write(io.stderr, `unscripted: ${(e as Error).message}\n`);
      return 2;
    }
    if (changed.notes.length) await write(io.stderr, changed.notes.map((n) => `note: ${n}`).join('\n') + '\n');
  }
  let results: LintResult[] = [];
  const fixes: FileFix[] = [];
  const wantFix = values.fix || values['fix-dry-run'];
  if (values.stdin) {
    const text = await readAll(io.stdin ?? process.stdin);
    const name = path.resolve(io.cwd, values['stdin-filename'] ?? '<stdin>.md');
    const ws = workspaces.forDir(path.dirname(name));
    ws.ensureIndexed();
    const out = lintTextWithFixes(ws, name, text, { now, fix: !!wantFix });
    if (out.fix) fixes.push(out.fix);
    results = [out.result];
    if (!values['stdin-filename']) results[0].file = path.resolve(io.cwd, '<stdin>');
  } else {
    const { targets, named } = collectTargets(positionals, io, workspaces);
    let count = targets.reduce((n, t) => n + t.files.length, 0);
    if (count === 0) {
      const where = named.join(', ');
      await write(
        io.stderr,
        `unscripted: no posts found under ${where}${positionals.length === 0 ? ' (posts live in posts/; run `unscripted init` to start)' : ''}\n`,
      );
      return 2;
    }
    for (const t of targets) {
      let files = t.files;
      if (changed) files = files.filter((f) => cl().changeFor(changed, f));
      // Only --fix and --changed-since read the parses back; a plain lint keeps findings alone,
      // and shares many posts out over the cores (same findings, see core/parallel-lint.ts).
      // A plain lint goes through the lint cache (core/lint-cache.ts): unchanged posts are not linted again.
      const cacheDir = !wantFix && !changed && !values['no-cache'] ? defaultCacheDir(io.env ?? process.env) : undefined;
      const cache = cacheDir ? LintCache.open(t.ws, cacheDir) : undefined;
      const out =
        !wantFix && !changed
          ? {
              results: await lintFilesInParallel(t.ws, files, now, {
                cache,
                onRun: ({ fallback }) =>
                  fallback && void write(io.stderr, `note: could not lint on several threads (${fallback}); linted on one\n`),
              }),
              fixes: [],
            }
          : lintWithFixes(t.ws, files, { now, fix: !!wantFix, write: !!values.fix });
      // Without paths every post of the workspace was linted: posts gone since are dropped from the cache.
      cache?.save(positionals.length === 0);
      fixes.push(...out.fixes);
      results.push(...out.results);
    }
    count = results.length;
  }
  if (changed) {
    // "New" as review means it: on a changed line, and not a finding the base version had.
    const { newFindingsSince } = require('../review/new-findings') as typeof import('../review/new-findings');
    const wsOf = (file: string) => workspaces.forDir(path.dirname(file));
    results = await newFindingsSince(results, changed, (file, text) => wsOf(file).lintText(file, text, { now }).findings);
  }

  if (values.quiet) results = results.map((r) => ({ ...r, findings: r.findings.filter((f: Finding) => f.severity === 'error') }));

  const color = useColor(values, io.env, io.isTTY);
  const all = workspaces.all();
  const ws0 = all[0];
  if (values['fix-dry-run']) {
    await write(io.stdout, fixes.map((o) => fixDiff(io.cwd, o)).join(''));
  }
  const out = formatResults(results, format, { cwd: io.cwd, rules: ws0?.rules, playbook: ws0?.playbook, color, version: version() });
  await write(io.stdout, format === 'json' || format === 'sarif' ? out + '\n' : out);

  const findings = results.flatMap((r) => r.findings);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  if (format === 'stylish') {
    const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[0m` : s);
    const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
    const lines: string[] = [];
    if (fixes.length) {
      const n = fixes.reduce((a, o) => a + o.applied, 0);
      lines.push(`${values.fix ? 'Fixed' : 'Would fix'} ${plural(n, 'finding')} in ${plural(fixes.length, 'post')}.`);
    }
    if (findings.length === 0) lines.push(`${color ? '\x1b[32m✔\x1b[0m' : '✔'} ${plural(results.length, 'post')}, no problems`);
    lines.push(dim(playbookLine(all, io.cwd, !!playbookDir)));
    await write(io.stdout, lines.join('\n') + '\n');
  }

  // Playbook mistakes: named with file and line, exit 2. The lint above still ran on the rest.
  const pbLine = (kind: string) => (e: { file: string; line: number; column?: number; message: string }) =>
    `${rel(io.cwd, e.file) === '.' ? e.file : rel(io.cwd, e.file)}:${e.line}${e.column ? `:${e.column}` : ''}: ${kind}: ${e.message}`;
  const seenPb = new Set<string>();
  const pbErrors: string[] = [];
  const pbWarnings: string[] = [];
  for (const w of all) {
    if (seenPb.has(w.playbook.dir)) continue;
    seenPb.add(w.playbook.dir);
    pbErrors.push(...w.playbook.errors.map(pbLine('playbook error')));
    if (!w.playbook.isDefault) pbWarnings.push(...(w.playbook.warnings ?? []).map(pbLine('playbook warning')));
  }
  if (pbWarnings.length && !values.quiet) await write(io.stderr, pbWarnings.join('\n') + '\n');
  if (pbErrors.length) {
    await write(io.stderr, pbErrors.join('\n') + '\n');
    return 2;
  }
  if (errors > 0) return 1;
  if (maxWarnings >= 0 && warnings > maxWarnings) {
    await write(io.stderr, `Too many warnings: ${warnings} (the limit is ${maxWarnings})\n`);
    return 1;
  }
  return 0;
}

export async function playbookCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseOptions(
    'playbook',
    argv,
    { format: { type: 'string', short: 'f' }, playbook: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    false,
  );
  if (values.help) {
    await write(io.stdout, PLAYBOOK_USAGE);
    return 0;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format "${format}": use text or json`, 'playbook');
  const playbookDir = playbookOption(values.playbook, io.cwd, 'playbook');
  const ws = new Workspaces(path.resolve(io.cwd), playbookDir).forDir(io.cwd);
  const d = describePlaybook(ws.playbook, ws.rules);
  const { formatPlaybookText, playbookJson } = require('./playbook') as typeof import('./playbook');
  await write(io.stdout, format === 'json' ? JSON.stringify(playbookJson(d, io.cwd), null, 2) + '\n' : formatPlaybookText(d, io.cwd));
  return d.errors.length ? 2 : 0;
}

export async function initCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseOptions('init', argv, { force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, false);
  if (values.help) {
    await write(io.stdout, INIT_USAGE);
    return 0;
  }
  const r = initWorkspace(io.cwd, { force: values.force });
  if (r.kind === 'differ') {
    await write(
      io.stderr,
      `unscripted init: these files exist and differ from what init would write; nothing was changed:\n${r.files.map((f) => `  ${rel(io.cwd, f)}`).join('\n')}\nRun \`unscripted init --force\` to replace them (each is kept as FILE.bak).\n`,
    );
    return 2;
  }
  if (r.kind === 'links') {
    await write(
      io.stderr,
      `Not writing through symbolic links (replace them with files first):\n${r.files.map((f) => `  ${path.relative(io.cwd, f)}`).join('\n')}\n`,
    );
    return 2;
  }
  const { created, replaced, unchanged } = r;
  const list = (title: string, files: string[], suffix = '') =>
    files.length ? `${title}\n${files.map((f) => `  ${rel(io.cwd, f)}${suffix}`).join('\n')}\n` : '';
  await write(
    io.stdout,
    list('Created:', created) +
      list('Replaced:', replaced, ' (the old one is kept as .bak)') +
      list('Unchanged:', unchanged) +
      'Next: edit playbooks/*.md, write posts in posts/, run `unscripted lint`.\n',
  );
  return 0;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'lint':
        return await lintCommand(rest, io);
      case 'playbook':
        return await playbookCommand(rest, io);
      case 'init':
        return await initCommand(rest, io);
      case 'publish': {
        // Loaded on demand, so `lint` never pays for publishing code.
        const publish = require('./publish') as typeof import('./publish');
        return await publish.run(rest, { ...io, env: io.env ?? process.env });
      }
      case 'review': {
        const review = require('./review') as typeof import('./review');
        return await review.run(rest, io);
      }
      case '--version':
      case '-V':
      case '-v':
        await write(io.stdout, version() + '\n');
        return 0;
      case 'help': {
        const usage: Record<string, string> = { lint: LINT_USAGE, playbook: PLAYBOOK_USAGE, init: INIT_USAGE };
        if (rest[0] === 'publish' || rest[0] === 'review') return await main([rest[0], '--help'], io);
        await write(io.stdout, (rest[0] && usage[rest[0]]) || USAGE);
        return 0;
      }
      case undefined:
        await write(io.stderr, USAGE);
        return 2;
      case '--help':
      case '-h':
        await write(io.stdout, USAGE);
        return 0;
      default: {
        if (command.startsWith('-')) {
          const near = closest(command, ['--help', '--version', '-h', '-V']);
          throw new UsageError(
            `unknown option ${command}${near ? `; did you mean ${near}?` : ''} (options go after the command: unscripted lint ${command})`,
          );
        }
        const near = closest(command, COMMANDS);
        throw new UsageError(`unknown command "${command}"${near ? `; did you mean ${near}?` : ''}`);
      }
    }
  } catch (e) {
    if (e instanceof UsageError) {
      await write(io.stderr, usageMessage(e));
      return 2;
    }
    const err = e as Error;
    await write(io.stderr, `unscripted: ${err.message}\n`);
    return 2;
  }
}
