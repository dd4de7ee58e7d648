/**
 * Benchmarks for the lint engine, printed as figures and ratios (never asserted as timed tests).
 *
 *   npm run bench            (or: node out/bench/lint-throughput.js [--posts N])
 *
 * 1. Whole-workspace lint vs bare remark-parse on the same generated corpus (target ≥ 80%).
 * 2. vs textlint + textlint-rule-prh with an equal phrase list (target ≥ 10×); alex and
 *    write-good on the same corpus for reference.
 * 3. Playbook size: 10 vs 10,000 phrases (target ≤ 1.5× time).
 * 4. Re-linting one 1,000-word post in process: p50/p95 (target p95 < 5 ms).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import { Workspace, loadPlaybookSync, lintPost, BUILTIN_RULES, Playbook, PostIndex, REPO, clearParseCache } from './bench-support';
import { loadModel, type ModelFile } from '../src/core/voice-model/model';
import { SHIPPED_MODEL_PATH } from '../src/core/voice-model/analyse';

const argPosts = process.argv.indexOf('--posts');
const N = argPosts > 0 ? Number(process.argv[argPosts + 1]) : 2000;

// Deterministic PRNG, so every run lints the same corpus.
function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

const VOCAB = (
  'the bus library council park road team week morning evening river school market festival volunteers ' +
  'tickets route driver station open closed today tomorrow weekend families children music food coffee ' +
  'new old local free busy quiet late early great happy thanks everyone come along see you there our we ' +
  'they it is was will can should have had been going to and but or so because when where why how'
).split(' ');

function makeCorpus(n: number, phrases: string[]): string[] {
  const r = rng(42);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const posts: string[] = [];
  for (let i = 0; i < n; i++) {
    const words = 50 + Math.floor(r() * 200);
    const sentences: string[] = [];
    let cur: string[] = [];
    for (let w = 0; w < words; w++) {
      cur.push(r() < 0.02 ? pick(phrases) : pick(VOCAB));
      if (cur.length > 6 + r() * 12) {
        const s = cur.join(' ');
        sentences.push(s.charAt(0).toUpperCase() + s.slice(1) + (r() < 0.1 ? '!' : '.'));
        cur = [];
      }
    }
    if (cur.length) sentences.push(cur.join(' ') + '.');
    let body = '';
    sentences.forEach((s, k) => {
      body += s + (k % 3 === 2 ? '\n\n' : ' ');
      if (k === 4 && r() < 0.3) body += '\n\n---\n\n';
    });
    if (r() < 0.3) body += `\nMore at https://example.org/news/${i} and **see you** there.\n`;
    const ch = r() < 0.5 ? '[outbox, bluesky]' : '[outbox, mastodon]';
    posts.push(`---\ntitle: Post ${i}\nchannels: ${ch}\nstatus: draft\nauthor: bench\n---\n${body.trim()}\n`);
  }
  return posts;
}

function time(fn: () => void, rounds = 3): number {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function timeAsync(fn: () => Promise<void>, rounds = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function withPhrases(base: Playbook, count: number, real: string[]): Playbook {
  const rule = base.rules.get('authority-voice')!;
  const phrases = real
    .slice(0, Math.min(count, real.length))
    .map((phrase, i) => ({ ruleId: 'authority-voice', phrase, suggestions: ['x'], file: 'bench', line: i + 1 }));
  const r = rng(7);
  while (phrases.length < count) {
    // Decoys start with corpus words half the time (so the trie is walked) but never complete a
    // match, so both playbooks produce the same findings and only the lookup cost differs.
    const len = 2 + Math.floor(r() * 3);
    const words = Array.from({ length: len }, () => `w${Math.floor(r() * 1e6).toString(36)}`);
    if (r() < 0.5) words[0] = VOCAB[Math.floor(r() * VOCAB.length)];
    phrases.push({ ruleId: 'authority-voice', phrase: words.join(' '), suggestions: ['x'], file: 'bench', line: phrases.length + 1 });
  }
  const rules = new Map(base.rules);
  rules.set('authority-voice', { ...rule, phrases });
  for (const id of ['non-apology', 'deflection', 'hierarchy', 'blind-statement']) rules.delete(id);
  return { ...base, rules };
}

function fmt(n: number, d = 0) {
  return n.toLocaleString('en-GB', { maximumFractionDigits: d, minimumFractionDigits: d });
}

async function main() {
  const playbook = loadPlaybookSync({ workspaceRoot: REPO });
  const allPhrases = [...playbook.rules.values()].flatMap((r) => r.phrases.map((p) => p.phrase)).filter((p) => !p.includes('{'));
  const posts = makeCorpus(N, allPhrases);
  const bytes = posts.reduce((a, p) => a + Buffer.byteLength(p), 0);
  console.log(
    `Corpus: ${fmt(N)} generated posts, ${fmt(bytes / 1024)} KiB; playbook phrases: ${allPhrases.length}; Node ${process.version}, ${os.cpus().length} cores\n`,
  );

  // Warm up the JIT on a slice.
  const warm = () => {
    const p = unified().use(remarkParse);
    for (const t of posts.slice(0, 200)) p.parse(t);
  };
  warm();

  const parser = unified().use(remarkParse);
  const tParse = time(() => {
    for (const t of posts) parser.parse(t);
  });

  const files = posts.map((_, i) => path.join(REPO, 'bench-ws', 'posts', `p${i}.md`));
  let findings = 0;
  const lintAll = () => {
    clearParseCache(); // a CLI run starts cold: no parse is reused between rounds
    const ws = Workspace.open(REPO);
    findings = 0;
    posts.forEach((t, i) => ws.setPostText(files[i], t));
    posts.forEach((t, i) => (findings += ws.lintText(files[i], t).findings.length));
  };
  lintAll();
  const tLint = time(lintAll);
  // The same lint with the voice model switched off: the model's share of the time.
  const lintNoModel = () => {
    clearParseCache();
    const ws = Workspace.open(REPO);
    ws.playbook.overrides.set('institutional-voice', 'off');
    posts.forEach((t, i) => ws.setPostText(files[i], t));
    posts.forEach((t, i) => ws.lintText(files[i], t));
  };
  lintNoModel();
  const tLintNoModel = time(lintNoModel);

  // textlint + prh with the same phrase list.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-bench-'));
  const prhFile = path.join(tmp, 'prh.yml');
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  fs.writeFileSync(
    prhFile,
    'version: 1\nrules:\n' +
      [...playbook.rules.values()]
        .flatMap((r) => r.phrases.filter((p) => !p.phrase.includes('{')))
        .map(
          (p) =>
            `  - expected: ${JSON.stringify(p.suggestions[0] ?? p.phrase)}\n    pattern: ${JSON.stringify(`/\\b${esc(p.phrase).replace(/ /g, '\\s+')}\\b/i`)}`,
        )
        .join('\n') +
      '\n',
  );

  const { TextlintKernel } = require('@textlint/kernel');

  const markdownPlugin = require('@textlint/textlint-plugin-markdown');

  const prh = require('textlint-rule-prh');
  const kernel = new TextlintKernel();
  const tlOptions = {
    ext: '.md',
    filePath: path.join(tmp, 'post.md'),
    plugins: [{ pluginId: 'markdown', plugin: markdownPlugin.default ?? markdownPlugin }],
    rules: [{ ruleId: 'prh', rule: prh.default ?? prh, options: { rulePaths: [prhFile] } }],
  };
  let tlMessages = 0;
  const textlintAll = async () => {
    tlMessages = 0;
    for (const t of posts) tlMessages += (await kernel.lintText(t, tlOptions)).messages.length;
  };
  await textlintAll();
  const tTextlint = await timeAsync(textlintAll, 1);

  // alex and write-good, for reference.
  const alex = (await import('alex')) as { markdown: (t: string) => { messages: unknown[] } };
  const tAlex = time(() => {
    for (const t of posts) alex.markdown(t);
  }, 1);

  const writeGood = require('write-good') as (t: string) => unknown[];
  const tWriteGood = time(() => {
    for (const t of posts) writeGood(t);
  }, 1);

  const rate = (ms: number) => (N / ms) * 1000;
  console.log('Whole-workspace lint throughput (posts/s; higher is better)');
  console.log('| tool | time (ms) | posts/s | vs unscripted |');
  console.log('| --- | ---: | ---: | ---: |');
  const row = (name: string, ms: number) => console.log(`| ${name} | ${fmt(ms)} | ${fmt(rate(ms))} | ${(ms / tLint).toFixed(2)}× slower |`);
  console.log(`| remark-parse alone (the floor) | ${fmt(tParse)} | ${fmt(rate(tParse))} | — |`);
  console.log(`| **unscripted lint** (${findings} findings) | ${fmt(tLint)} | ${fmt(rate(tLint))} | 1.00× |`);
  row(`textlint + prh, equal list (${tlMessages} messages)`, tTextlint);
  row('alex', tAlex);
  row('write-good', tWriteGood);
  console.log('');
  console.log(`unscripted / remark-parse throughput: ${((tParse / tLint) * 100).toFixed(0)}% (target ≥ 80%)`);
  console.log(
    `voice model's share of whole-workspace lint: ${(((tLint - tLintNoModel) / tLint) * 100).toFixed(0)}% (${fmt(tLintNoModel)} ms without it)`,
  );
  console.log(`unscripted / textlint+prh throughput: ${(tTextlint / tLint).toFixed(1)}× (target ≥ 10×)`);

  // Playbook size.
  const pb10 = withPhrases(playbook, 10, allPhrases);
  const pb10k = withPhrases(playbook, 10_000, allPhrases);
  const lintWith = (pb: Playbook) => () => {
    clearParseCache();
    const idx = new PostIndex();
    for (let i = 0; i < posts.length; i++) lintPost({ file: files[i], text: posts[i], playbook: pb, rules: BUILTIN_RULES, index: idx });
  };
  lintWith(pb10)();
  lintWith(pb10k)();
  const t10 = time(lintWith(pb10), 5);
  const t10k = time(lintWith(pb10k), 5);
  console.log('');
  console.log('Playbook size (same corpus)');
  console.log(`| phrases | time (ms) |\n| ---: | ---: |\n| 10 | ${fmt(t10)} |\n| 10,000 | ${fmt(t10k)} |`);
  console.log(`10,000 vs 10 phrases: ${(t10k / t10).toFixed(2)}× the time (target ≤ 1.5×)`);

  // Re-lint one 1,000-word post, as the editor does on each keystroke.
  const r = rng(9);
  const words = Array.from({ length: 1000 }, (_, i) =>
    i % 97 === 0 ? allPhrases[i % allPhrases.length] : VOCAB[Math.floor(r() * VOCAB.length)],
  );
  const paras: string[] = [];
  for (let i = 0; i < words.length; i += 60) paras.push(words.slice(i, i + 60).join(' ') + '.');
  const longPost = `---\ntitle: Long\nchannels: [outbox, bluesky]\nstatus: draft\n---\n${paras.join('\n\n')}\n`;
  // And a 1,000-word post the voice model flags, so it attributes and explains on every edit.
  const SCRIPTED = [
    'Our commitment to the community remains unwavering as we continue to deliver high-quality services to all residents.',
    'The council is committed to ensuring that all residents have access to safe and sustainable transport options.',
    'Discrimination of any kind has no place in our society, and our teams continue to work with partners across the region.',
  ];
  const scriptedParas: string[] = [];
  for (let i = 0, n = 0; n < 1000; i++) {
    const p = `${SCRIPTED[i % 3]} ${SCRIPTED[(i + 1) % 3]} ${SCRIPTED[(i + 2) % 3]}`.replace(/region/, `region ${i}`);
    scriptedParas.push(p);
    n += p.split(' ').length;
  }
  const scriptedPost = `---\ntitle: Long\nchannels: [outbox, bluesky]\nstatus: draft\n---\n${scriptedParas.join('\n\n')}\n`;
  const ws = Workspace.open(REPO);
  posts.forEach((t, i) => ws.setPostText(files[i], t));
  const relint = (label: string, post = longPost) => {
    const samples: number[] = [];
    for (let i = 0; i < 300; i++) {
      const edited = post.replace('Long', `Long ${i}`) + 'x'.repeat(i % 7);
      const t0 = performance.now();
      ws.setPostText('/bench/long.md', edited);
      ws.lintText('/bench/long.md', edited);
      samples.push(performance.now() - t0);
    }
    const steady = samples.slice(50).sort((a, b) => a - b);
    const pct = (p: number) => steady[Math.min(steady.length - 1, Math.floor((p / 100) * steady.length))];
    console.log(
      `Re-lint one 1,000-word post ${label} (${steady.length} edits after warm-up): p50 ${pct(50).toFixed(2)} ms, p95 ${pct(95).toFixed(2)} ms, max ${steady[steady.length - 1].toFixed(2)} ms (target p95 < 5 ms)`,
    );
    return pct(95);
  };
  console.log('');
  // A scripted paragraph makes the model score, attribute and explain on every keystroke.
  const p95 = relint('(the model scores it)');
  if (!ws.lintText('/bench/long.md', scriptedPost).findings.some((f) => f.ruleId === 'institutional-voice'))
    throw new Error('the scripted post should read institutional, so that re-lints measure the explanation');
  const p95flagged = relint('the model flags and explains', scriptedPost);
  ws.playbook.overrides.set('institutional-voice', 'off');
  const p95off = relint('without the voice model');
  ws.playbook.overrides.delete('institutional-voice');
  console.log(
    `voice model's share of a re-lint (p95): ${(((p95 - p95off) / p95) * 100).toFixed(0)}%; flagged and explained: p95 ${p95flagged.toFixed(2)} ms`,
  );
  const tLoad = performance.now();
  loadModel(JSON.parse(fs.readFileSync(SHIPPED_MODEL_PATH, 'utf8')) as ModelFile);
  console.log(
    `voice model file: ${fmt(fs.statSync(SHIPPED_MODEL_PATH).size / 1024)} KiB, read + parse + load ${(performance.now() - tLoad).toFixed(1)} ms (target ≤ 30 ms)`,
  );
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
