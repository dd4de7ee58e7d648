/**
 * Start-up and whole-process figures of the CLI (issue 9), printed as medians and ratios; never
 * asserted. Every figure is a whole `node` process, started as a user starts it.
 *
 *   npm run build && node out/bench/startup.js [--runs N] [--posts N]
 *
 * 1. `unscripted lint` of one post with the shipped default playbook, compiled-playbook cache
 *    and the bundle's V8 code cache (bin/code-cache.js) warm and cold, against `node -e ''`
 *    (target ≤ 2.5×, ≤ 150 ms) and against a bare
 *    `remark-parse` process of the same files (the post and the default playbook).
 * 2. Whole-workspace lint of N generated posts (prose with links, hashtags, some Markdown)
 *    against a bare `remark-parse` process over the same files (target ≤ 1.25×): every post
 *    linted (--no-cache), with the lint cache warm (core/lint-cache.ts; nothing changed), and
 *    with one post edited before each run.
 * 3. In process: loading the playbook cold (parse) and from the cache, and a reload after an
 *    edit (always a parse), as the editor does on activation and on a playbook edit.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPlaybookSync, REPO } from './bench-support';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const RUNS = arg('--runs', 9);
const POSTS = arg('--posts', 2000);
const BIN = path.join(REPO, 'bin', 'unscripted.js');
const DEFAULT_PB = path.join(REPO, 'playbooks');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time of a whole process, in ms. */
function proc(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, runs = RUNS, before?: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${String(r.stderr)}`);
    times.push(ms);
  }
  lastMin = Math.min(...times);
  return median(times);
}
let lastMin = 0;
/** Median and min of a whole-process figure (on a shared, loaded machine the min is the least disturbed). */
function procMM(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, runs = RUNS, before?: () => void): { med: number; min: number } {
  const med = proc(args, cwd, env, runs, before);
  return { med, min: lastMin };
}

function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

const WORDS =
  'the bus library council park road team week morning evening river school market festival volunteers tickets route driver station open closed today tomorrow weekend families children music food coffee new old local free busy quiet late early great happy thanks everyone come along see you there our we they it is was will can going and but or so because when where'.split(
    ' ',
  );

function post(i: number, r: () => number): string {
  const pick = () => WORDS[Math.floor(r() * WORDS.length)];
  const paras: string[] = [];
  const n = 1 + Math.floor(r() * 4);
  for (let p = 0; p < n; p++) {
    const sentences: string[] = [];
    for (let s = 0; s < 2 + Math.floor(r() * 3); s++) {
      const w = Array.from({ length: 6 + Math.floor(r() * 12) }, pick);
      if (r() < 0.2) w.push(`#${pick()}${i % 50}`);
      if (r() < 0.15) w.splice(2, 0, `**${pick()}**`);
      if (r() < 0.15) w.push(`[details](https://example.org/${pick()}/${i})`);
      if (r() < 0.1) w.push('prior to nine');
      sentences.push(w.join(' ').replace(/^./, (c) => c.toUpperCase()) + '.');
    }
    paras.push(sentences.join(' '));
  }
  if (r() < 0.2) paras.push('- one\n- two');
  if (r() < 0.2) paras.splice(1, 0, '---');
  return `---\ntitle: Post ${i}\nchannels: [outbox, bluesky]\nstatus: draft\n---\n${paras.join('\n\n')}\n`;
}

function workspace(n: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-startup-'));
  fs.mkdirSync(path.join(dir, 'posts'));
  spawnSync('git', ['init', '-q'], { cwd: dir });
  const r = rng(9);
  for (let i = 0; i < n; i++) fs.writeFileSync(path.join(dir, 'posts', `p${String(i).padStart(4, '0')}.md`), post(i, r));
  return dir;
}

/** A script that parses the given files with bare unified + remark-parse, nothing else. */
function bareRemark(dir: string): string {
  const file = path.join(dir, 'bare-remark.js');
  fs.writeFileSync(
    file,
    `const {unified}=require(${JSON.stringify(require.resolve('unified'))});const remarkParse=require(${JSON.stringify(require.resolve('remark-parse'))}).default;` +
      `const fs=require('fs'),path=require('path');const p=unified().use(remarkParse);` +
      `for(const f of process.argv.slice(2)){const st=fs.statSync(f);const files=st.isDirectory()?fs.readdirSync(f).filter(n=>n.endsWith('.md')).map(n=>path.join(f,n)):[f];for(const x of files)p.parse(fs.readFileSync(x,'utf8'));}`,
  );
  return file;
}

const f0 = (n: number) => n.toFixed(0);
const f2 = (n: number) => n.toFixed(2);

function main() {
  // bin/unscripted.js runs the bundle only when it is newer than the tsc build: measure that path.
  const bundle = path.join(REPO, 'dist', 'cli-bundle.js');
  const built = path.join(REPO, 'out', 'src', 'cli', 'main.js');
  if (!fs.existsSync(bundle) || fs.statSync(bundle).mtimeMs < fs.statSync(built).mtimeMs) {
    console.error('dist/cli-bundle.js is missing or older than the tsc build: run `npm run build` (tsc, then the bundle) first');
    process.exit(2);
  }
  console.log(
    `Node ${process.version}, ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ${RUNS} whole-process runs per figure\n`,
  );
  const one = workspace(1);
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-startup-cache-'));
  const bare = bareRemark(one);
  const postFile = path.join(one, 'posts', 'p0000.md');

  const node = procMM(['-e', ''], one);
  const files = [
    postFile,
    path.join(DEFAULT_PB, 'voice.md'),
    path.join(DEFAULT_PB, 'channels.md'),
    path.join(DEFAULT_PB, 'schedule.md'),
    path.join(DEFAULT_PB, 'talking-points.md'),
  ];
  const remarkOne = procMM([bare, ...files], one);
  const remarkPost = procMM([bare, postFile], one);
  const warm = procMM([BIN, 'lint', 'posts/p0000.md'], one, { UNSCRIPTED_CACHE_DIR: cache });
  const coldRuns = Math.max(3, Math.floor(RUNS / 2));
  const codeCold = procMM([BIN, 'lint', 'posts/p0000.md'], one, { UNSCRIPTED_CACHE_DIR: cache }, coldRuns, () =>
    fs.rmSync(path.join(cache, 'code-cache'), { recursive: true, force: true }),
  );
  proc([BIN, 'lint', 'posts/p0000.md'], one, { UNSCRIPTED_CACHE_DIR: cache }, 1);
  const cold = procMM([BIN, 'lint', 'posts/p0000.md'], one, { UNSCRIPTED_CACHE_DIR: cache }, coldRuns, () =>
    fs.rmSync(cache, { recursive: true, force: true }),
  );
  const off = procMM([BIN, 'lint', 'posts/p0000.md'], one, { UNSCRIPTED_CACHE: '0' }, coldRuns);
  proc([BIN, '--version'], one, { UNSCRIPTED_CACHE_DIR: cache }, 1);
  const version = procMM([BIN, '--version'], one, { UNSCRIPTED_CACHE_DIR: cache });
  const row = (label: string, x: { med: number; min: number }, extra = '') =>
    console.log(
      `   ${label.padEnd(44)} ${f0(x.med).padStart(6)} ms  (min ${f0(x.min).padStart(4)})   ${f2(x.med / node.med)}× node (min/min ${f2(x.min / node.min)}×)${extra}`,
    );

  console.log('1. `unscripted lint` of one post, shipped default playbook (median, and min of the runs)');
  console.log(`   ${"node -e ''".padEnd(44)} ${f0(node.med).padStart(6)} ms  (min ${f0(node.min).padStart(4)})`);
  row('unscripted --version', version);
  row('bare remark-parse of the post', remarkPost);
  row('bare remark-parse of the post + playbook', remarkOne);
  row(
    'lint, playbook and code caches warm',
    warm,
    `; ${f2(warm.med / remarkOne.med)}× bare remark-parse of the same files (targets ≤ 150 ms, ≤ 2.5× node)`,
  );
  row('lint, code cache cold (a new bundle)', codeCold);
  row('lint, caches cold (first run after an edit)', cold);
  row('lint, caches off (UNSCRIPTED_CACHE=0)', off);

  const many = workspace(POSTS);
  const bareMany = bareRemark(many);
  const runs = Math.max(3, Math.floor(RUNS / 3));
  const remarkMany = procMM([bareMany, path.join(many, 'posts')], many, {}, runs);
  // Every post linted: no lint cache (the playbook and code caches warm, as in every row).
  const lintCold = procMM([BIN, 'lint', '-f', 'compact', '--no-cache'], many, { UNSCRIPTED_CACHE_DIR: cache }, runs);
  // The lint cache (core/lint-cache.ts) warm: nothing changed since the last lint.
  proc([BIN, 'lint', '-f', 'compact'], many, { UNSCRIPTED_CACHE_DIR: cache }, 1);
  const lintWarm = procMM([BIN, 'lint', '-f', 'compact'], many, { UNSCRIPTED_CACHE_DIR: cache }, runs);
  // A writer's day: one post edited since the last lint (a new word each run).
  const edited = path.join(many, 'posts', 'p0007.md');
  let edits = 0;
  const lintEdited = procMM([BIN, 'lint', '-f', 'compact'], many, { UNSCRIPTED_CACHE_DIR: cache }, runs, () =>
    fs.appendFileSync(edited, ` edit${edits++}`),
  );
  const manyRow = (label: string, x: { med: number; min: number }) =>
    console.log(
      `   ${label.padEnd(44)} ${f0(x.med).padStart(6)} ms  (min ${f0(x.min).padStart(5)})   ${f2(x.med / remarkMany.med)}× bare remark-parse (min/min ${f2(x.min / remarkMany.min)}×; target ≤ 1.25×)`,
    );
  console.log(`\n2. Whole-workspace lint of ${POSTS} generated posts (median, and min of the runs)`);
  console.log(
    `   bare remark-parse over the same files        ${f0(remarkMany.med).padStart(6)} ms  (min ${f0(remarkMany.min).padStart(5)})`,
  );
  manyRow('lint, every post linted (--no-cache)', lintCold);
  manyRow('lint, lint cache warm (nothing changed)', lintWarm);
  manyRow('lint, one post edited since the last lint', lintEdited);

  // 3. In process, as the editor loads the playbook.
  const t = (fn: () => void) => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  const inCache = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-startup-cache-'));
  const parseCold = t(() => loadPlaybookSync({ workspaceRoot: one, cache: inCache }));
  const fromCache = t(() => loadPlaybookSync({ workspaceRoot: one, cache: inCache }));
  // A real edit each time: a team copy of the default playbook whose voice file gains a phrase.
  fs.cpSync(DEFAULT_PB, path.join(one, 'playbooks'), { recursive: true, filter: (src) => !src.includes(`${path.sep}posts`) });
  const voice = path.join(one, 'playbooks', 'voice.md');
  loadPlaybookSync({ workspaceRoot: one });
  const reparse: number[] = [];
  for (let i = 0; i < 9; i++) {
    fs.appendFileSync(voice, `- "bench phrase number ${i}" → "x"\n`);
    reparse.push(t(() => loadPlaybookSync({ workspaceRoot: one })));
  }
  console.log('\n3. In process (the editor): the shipped default playbook');
  console.log(`   first load, parse (cold JIT)                  ${f0(parseCold).padStart(6)} ms`);
  console.log(`   load from the compiled-playbook cache         ${f2(fromCache).padStart(6)} ms`);
  console.log(`   reload after an edit of voice.md (warm JIT)      ${f0(median(reparse)).padStart(6)} ms   (target ≤ 50 ms)`);
  for (const d of [one, many, cache, inCache]) fs.rmSync(d, { recursive: true, force: true });
}

main();
