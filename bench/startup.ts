/**
 * Start-up and whole-process figures of the CLI (issue 9), printed as medians and ratios; never
 * asserted. Every figure is a whole `node` process, started as a user starts it.
 *
 *   npm run build && node out/bench/startup.js [--runs N] [--posts N]
 *
 * 1. `unscripted lint` of one post with the shipped default playbook, compiled-playbook cache
 *    warm and cold, against `node -e ''` (target ≤ 2.5×, ≤ 150 ms) and against a bare
 *    `remark-parse` process of the same files (the post and the default playbook).
 * 2. Whole-workspace lint of N generated posts (prose with links, hashtags, some Markdown)
 *    against a bare `remark-parse` process over the same files (target ≤ 1.25×).
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
    const r = spawnSync(process.execPath, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    times.push(ms);
  }
  return median(times);
}

function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

const WORDS = 'the bus library council park road team week morning evening river school market festival volunteers tickets route driver station open closed today tomorrow weekend families children music food coffee new old local free busy quiet late early great happy thanks everyone come along see you there our we they it is was will can going and but or so because when where'.split(' ');

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
  console.log(`Node ${process.version}, ${os.cpus().length} cores, median of ${RUNS} whole-process runs\n`);
  const one = workspace(1);
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-startup-cache-'));
  const bare = bareRemark(one);
  const postFile = path.join(one, 'posts', 'p0000.md');

  const node = proc(['-e', ''], one);
  const remarkOne = proc([bare, postFile, path.join(DEFAULT_PB, 'voice.md'), path.join(DEFAULT_PB, 'channels.md'), path.join(DEFAULT_PB, 'schedule.md'), path.join(DEFAULT_PB, 'talking-points.md')], one);
  const remarkPost = proc([bare, postFile], one);
  const warm = proc([BIN, 'lint', 'posts/p0000.md'], one, { UNSCRIPTED_CACHE_DIR: cache });
  const cold = proc([BIN, 'lint', 'posts/p0000.md'], one, { UNSCRIPTED_CACHE_DIR: cache }, Math.max(3, Math.floor(RUNS / 2)), () => fs.rmSync(cache, { recursive: true, force: true }));
  const off = proc([BIN, 'lint', 'posts/p0000.md'], one, { UNSCRIPTED_CACHE: '0' }, Math.max(3, Math.floor(RUNS / 2)));
  const version = proc([BIN, '--version'], one);

  console.log('1. `unscripted lint` of one post, shipped default playbook');
  console.log(`   node -e ''                                   ${f0(node).padStart(6)} ms`);
  console.log(`   unscripted --version                          ${f0(version).padStart(6)} ms   ${f2(version / node)}× node`);
  console.log(`   bare remark-parse of the post                 ${f0(remarkPost).padStart(6)} ms   ${f2(remarkPost / node)}× node`);
  console.log(`   bare remark-parse of the post + playbook      ${f0(remarkOne).padStart(6)} ms   ${f2(remarkOne / node)}× node`);
  console.log(`   lint, playbook cache warm                     ${f0(warm).padStart(6)} ms   ${f2(warm / node)}× node (target ≤ 2.5×, ≤ 150 ms), ${f2(warm / remarkOne)}× bare remark-parse of the same files`);
  console.log(`   lint, cache cold (first run after an edit)    ${f0(cold).padStart(6)} ms   ${f2(cold / node)}× node`);
  console.log(`   lint, cache off (UNSCRIPTED_CACHE=0)          ${f0(off).padStart(6)} ms   ${f2(off / node)}× node`);

  const many = workspace(POSTS);
  const bareMany = bareRemark(many);
  const runs = Math.max(3, Math.floor(RUNS / 3));
  const remarkMany = proc([bareMany, path.join(many, 'posts')], many, {}, runs);
  const lintMany = proc([BIN, 'lint', '-f', 'compact'], many, { UNSCRIPTED_CACHE_DIR: cache }, runs);
  console.log(`\n2. Whole-workspace lint of ${POSTS} generated posts`);
  console.log(`   bare remark-parse over the same files         ${f0(remarkMany).padStart(6)} ms`);
  console.log(`   unscripted lint                               ${f0(lintMany).padStart(6)} ms   ${f2(lintMany / remarkMany)}× bare remark-parse (target ≤ 1.25×)`);

  // 3. In process, as the editor loads the playbook.
  const t = (fn: () => void) => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  const inCache = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-startup-cache-'));
  const parseCold = t(() => loadPlaybookSync({ workspaceRoot: one, cache: inCache }));
  const fromCache = t(() => loadPlaybookSync({ workspaceRoot: one, cache: inCache }));
  const reparse: number[] = [];
  for (let i = 0; i < 5; i++) reparse.push(t(() => loadPlaybookSync({ workspaceRoot: one })));
  console.log('\n3. In process (the editor): the shipped default playbook');
  console.log(`   first load, parse (cold JIT)                  ${f0(parseCold).padStart(6)} ms`);
  console.log(`   load from the compiled-playbook cache         ${f2(fromCache).padStart(6)} ms`);
  console.log(`   reload after an edit (a parse, warm JIT)      ${f0(median(reparse)).padStart(6)} ms   (target ≤ 50 ms)`);
  for (const d of [one, many, cache, inCache]) fs.rmSync(d, { recursive: true, force: true });
}

main();
