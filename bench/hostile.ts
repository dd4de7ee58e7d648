/**
 * `npm run bench:hostile`: the table of issue 12, rerun. Each row builds its input from
 * test/hostile-inputs.ts in a temp folder and runs the real CLI in a child process under
 * /usr/bin/time (wall time, peak memory), with the default heap. Prints input, time, memory,
 * exit code and the outcome (first line of output). Then the phrase matcher's bytes per phrase.
 *   node out/bench/hostile.js [--quick] [--only TEXT] [--runs N] [--bin PATH]
 *   (--quick: the smaller sizes only; --only: the rows whose input contains TEXT, without the
 *   phrase-matcher figure; --runs: each row N times, one line per run, to see the spread;
 *   --bin: run that bin/unscripted.js instead of this tree's)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as h from '../test/hostile-inputs';
import { PhraseIndex } from '../src/core/phrases';
import { REPO } from './bench-support';

const quick = process.argv.includes('--quick');
const argValue = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const only = argValue('--only');
const RUNS = Number(argValue('--runs') ?? 1);
/** --bin: another build's bin/unscripted.js (a copy of the tree before a change), to compare runs. */
const BIN = path.resolve(argValue('--bin') ?? path.join(REPO, 'bin', 'unscripted.js'));

interface Row {
  input: string;
  build: (root: string) => void;
  args?: string[];
  env?: Record<string, string>;
  stdin?: () => Buffer;
}

const ALL_CHANNELS = '[bluesky, mastodon]';
const sizes = (all: number[], q: number[]) => (quick ? q : all);

const rows: Row[] = [
  ...sizes([1_000, 10_000, 20_000], [1_000, 4_000]).map((n) => ({
    input: `${n.toLocaleString('en')} posts sharing one sentence`,
    build: (r: string) => h.sharedSentencePosts(r, n),
  })),
  ...sizes([1_000, 10_000, 50_000], [1_000, 4_000]).map((n) => ({
    input: `${n.toLocaleString('en')} distinct small posts`,
    build: (r: string) => h.distinctPosts(r, n),
  })),
  ...sizes([1_000, 10_000], [1_000, 4_000]).map((n) => ({
    input: `${n.toLocaleString('en')} posts scheduled a minute apart (every one in a burst)`,
    build: (r: string) => h.scheduledPosts(r, n),
  })),
  ...sizes([40_000, 80_000], [40_000]).map((n) => ({
    input: `a post of ${n.toLocaleString('en')} emoji (full lint: UNSCRIPTED_MAX_POST_KB=1024)`,
    build: (r: string) => h.writeFiles(r, { 'posts/e.md': h.FRONT('E', ALL_CHANNELS) + h.emojiBody(n) }),
    env: { UNSCRIPTED_MAX_POST_KB: '1024' },
  })),
  {
    input: 'a post of 80,000 emoji (default limits)',
    build: (r) => h.writeFiles(r, { 'posts/e.md': h.FRONT('E', ALL_CHANNELS) + h.emojiBody(80_000) }),
  },
  {
    input: 'a post of 40,000 CJK characters (full lint)',
    build: (r) => h.writeFiles(r, { 'posts/c.md': h.FRONT('C', ALL_CHANNELS) + h.cjkBody(40_000) }),
    env: { UNSCRIPTED_MAX_POST_KB: '1024' },
  },
  {
    input: 'a voice playbook with 100,000 phrases',
    build: (r) =>
      h.writeFiles(r, { 'playbooks/voice.md': h.voicePlaybook(100_000), 'posts/a.md': `${h.FRONT('A')}By the river 12 today.\n` }),
  },
  {
    input: 'a 2 MiB voice playbook with mistakes',
    build: (r) =>
      h.writeFiles(r, { 'playbooks/voice.md': h.brokenVoicePlaybook(2 * 1024 * 1024 - 1024), 'posts/a.md': `${h.FRONT('A')}Hello.\n` }),
  },
  ...sizes([60 * 1024, 256 * 1024, 1024 * 1024 - 200], [60 * 1024, 1024 * 1024 - 200]).map((n) => ({
    input: `a ${kb(n)} post of \`- *a*\` list items`,
    build: (r: string) => h.writeFiles(r, { 'posts/a.md': h.FRONT('A') + h.repeatTo(h.LIST_UNIT, n) }),
  })),
  {
    input: 'a 1 MiB post of `- *a*` items (full lint)',
    build: (r) => h.writeFiles(r, { 'posts/a.md': h.FRONT('A') + h.repeatTo(h.LIST_UNIT, 1024 * 1024 - 200) }),
    env: { UNSCRIPTED_MAX_POST_KB: '1024' },
  },
  {
    input: 'a 1 MiB post of emphasis paragraphs',
    build: (r) => h.writeFiles(r, { 'posts/a.md': h.FRONT('A') + h.repeatTo(h.EMPHASIS_UNIT, 1024 * 1024 - 200) }),
  },
  {
    input: 'a 1 MiB post of emphasis paragraphs (full lint)',
    build: (r) => h.writeFiles(r, { 'posts/a.md': h.FRONT('A') + h.repeatTo(h.EMPHASIS_UNIT, 1024 * 1024 - 200) }),
    env: { UNSCRIPTED_MAX_POST_KB: '1024' },
  },
  {
    input: 'a 1 MiB post of block quotes (full lint)',
    build: (r) => h.writeFiles(r, { 'posts/a.md': h.FRONT('A') + h.repeatTo(h.QUOTE_UNIT, 1024 * 1024 - 200) }),
    env: { UNSCRIPTED_MAX_POST_KB: '1024' },
  },
  { input: 'a 100 MB post', build: (r) => h.writeFiles(r, { 'posts/a.md': h.FRONT('A') + h.repeatTo(h.LIST_UNIT, 100 * 1024 * 1024) }) },
  {
    input: 'an alias bomb beside a normal post',
    build: (r) => h.writeFiles(r, { 'posts/bomb.md': h.aliasBomb(), 'posts/ok.md': `${h.FRONT('OK')}Going forward we will.\n` }),
  },
  { input: '600 MB on --stdin', build: () => undefined, args: ['lint', '--stdin'], stdin: () => Buffer.alloc(600 * 1024 * 1024, 'a') },
  {
    input: 'publish --dry-run of a 3 MiB post',
    build: (r) => h.writeFiles(r, { 'posts/big.md': h.FRONT('Big') + h.repeatTo(h.LIST_UNIT, 3 * 1024 * 1024) }),
    args: ['publish', 'posts/big.md', '--dry-run'],
  },
];

function kb(n: number): string {
  return n >= 1024 * 1024 - 1024 ? '1 MiB' : `${Math.round(n / 1024)} KB`;
}

function runRow(row: Row): { time: string; mem: string; code: number | null; outcome: string } {
  const root = h.tempRoot('unscripted-bench-hostile-');
  try {
    row.build(root);
    const args = row.args ?? ['lint', '--format', 'compact'];
    const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, BIN, ...args], {
      cwd: root,
      env: { ...process.env, ...row.env },
      input: row.stdin?.(),
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      timeout: 600_000,
    });
    const timeLine = r.stderr.trim().split('\n').pop() ?? '';
    const [secs, kbytes] = timeLine.split(' ').map(Number);
    const stderr = r.stderr
      .trim()
      .split('\n')
      .slice(0, -1)
      .filter((l) => !/^Command exited/.test(l));
    const out = r.stdout.trim().split('\n').filter(Boolean);
    const first = (out[0] ?? stderr[0] ?? '').replace(/^\S+?:\d+:\d+: /, '');
    const more = out.length > 1 ? ` (+${out.length - 1} more lines)` : '';
    const code = r.signal ? null : r.status;
    return {
      time: `${secs.toFixed(1)} s`,
      mem: `${(kbytes / 1024).toFixed(0)} MB`,
      code,
      outcome: (first.slice(0, 110) + (first.length > 110 ? '…' : '') + more).replace(/\|/g, '\\|'),
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function bytesPerPhrase(n: number): number {
  // Distinct words in every phrase: the trie shares nothing, the worst case for memory.
  const entries = Array.from({ length: n }, (_, i) => ({
    ruleId: 'r',
    phrase: `w${i}a w${i}b w${i}c`,
    suggestions: ['x'],
    file: '/f',
    line: i,
  }));
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const idx = new PhraseIndex();
  for (const e of entries) idx.add(e);
  gc?.();
  const after = process.memoryUsage().heapUsed;
  if (idx.size !== n) throw new Error('phrase index lost phrases');
  return Math.round((after - before) / n);
}

console.log(`Hostile input, whole process (${process.version}, ${quick ? 'quick' : 'full'} sizes, default heap)\n`);
console.log('| input | time | memory | exit | outcome |');
console.log('|---|---|---|---|---|');
for (const row of rows) {
  if (only !== undefined && !row.input.includes(only)) continue;
  for (let run = 0; run < RUNS; run++) {
    const r = runRow(row);
    console.log(`| ${row.input} | ${r.time} | ${r.mem} | ${r.code ?? 'killed'} | ${r.outcome} |`);
  }
}
const n = 100_000;
if (only === undefined)
  console.log(
    `\nPhrase matcher: ${bytesPerPhrase(n)} bytes per phrase (${n.toLocaleString('en')} phrases, no shared words${(globalThis as { gc?: unknown }).gc ? '' : '; run with --expose-gc for a steadier figure'})`,
  );
