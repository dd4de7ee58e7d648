/**
 * Precision and recall of the voice rules on real posts, measured honestly.
 *
 *   node out/bench/corpus-eval.js [corpus.jsonl …] [--playbook DIR] [--seeds DIR] [--misses]
 *
 * Reads the labelled corpus (default: ../shared/corpus/dev.jsonl and train.jsonl; one JSON
 * object a line: {"text", "source", "kind", "domain"?}) and prints, institutional = positive:
 *   - the phrase rules alone: every voice rule but institutional-voice, linting each text as the
 *     body of a post through the real engine (Workspace.lintText, shipped default playbook);
 *   - the model alone: institutional-voice's model, leave-one-source-out — for every source
 *     repository, a model trained on all the other sources scores its posts, so no post is
 *     ever scored by a model that saw its source;
 *   - both together (a post is flagged when either flags it: what a writer sees);
 * overall and per domain, with conversational posts flagged; a threshold sweep of the model;
 * what a team's examples change (a few posts of the held-out source given as "Sounds like us"
 * / "Not us" examples); and the seeds (../shared/seeds/*.txt, real conversational writing, each
 * paragraph as a post) linted with the shipped playbook and model.
 *
 * It never prints a corpus text: they stay out of the project, its logs and its reports.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace } from '../src/core';
import type { Finding } from '../src/core';
import { exampleSet, scoreCounts } from '../src/core/voice-model/analyse';
import type { PlaybookExample } from '../src/core/playbook';
import { confusion, Confusion, CORPUS_FILES, fit, isVoiceFinding, Item, prf, repoOf, SHARED, seedParagraphs } from '../training/corpus';
import { calibrated, crossValidate, CrossValidation, TRAINING } from '../training/train';
import { measureWithModel } from '../src/core/voice-model/analyse';
import { VOICE_RULE_IDS } from '../src/core';
import { INSTITUTIONAL_VOICE_ID } from '../src/core/rules/institutional-voice';
import murmurhash from 'murmurhash';

const repoRoot = path.resolve(__dirname, '..', '..');

function parseArgs(argv: string[]) {
  const out = { corpus: [] as string[], playbook: undefined as string | undefined, seeds: path.join(SHARED, 'seeds'), misses: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--playbook') out.playbook = path.resolve(argv[++i]);
    else if (a === '--seeds') out.seeds = path.resolve(argv[++i]);
    else if (a === '--misses') out.misses = true;
    else if (a.startsWith('--')) throw new Error(`Unknown option ${a}`);
    else out.corpus.push(path.resolve(a));
  }
  if (out.corpus.length === 0) out.corpus = CORPUS_FILES;
  return out;
}

/** What matched, without quoting the linted text: the playbook phrase, or the rule's own kind of finding. */
function describe(f: Finding, playbookLines: Map<string, string[]>): string {
  if (f.ruleId === INSTITUTIONAL_VOICE_ID) return `(score ${f.explanation?.score.toFixed(2)})`;
  if (f.definedAt && f.ruleId !== 'talking-point') {
    const lines = playbookLines.get(f.definedAt.file);
    const line = lines?.[f.definedAt.line - 1] ?? '';
    const m = /^\s*[-*+]\s+["“]([^"”]+)["”]/.exec(line);
    if (m) return `"${m[1]}"`;
  }
  if (f.ruleId === 'context-free') {
    if (/bare link|read more/i.test(f.message)) return '(bare link)';
    if (/quotation/i.test(f.message)) return '(unsourced quote)';
    return '(opens on a pronoun)';
  }
  if (f.ruleId === 'talking-point') return /paste|posts/i.test(f.message) ? '(sentence pasted across posts)' : '(talking point)';
  return '(no phrase)';
}

const pct = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '  n/a');
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

function row(label: string, c: Confusion, items: readonly Item[], flagged: readonly boolean[]): string {
  const p = prf(c);
  const unk = items.filter((it) => it.kind === 'unknown').length;
  const unkF = items.filter((it, i) => it.kind === 'unknown' && flagged[i]).length;
  return `${pad(label, 26)} ${pct(p.precision)}  ${pct(p.recall)}  ${pct(p.f1)}   ${pad(`${c.fp}/${c.fp + c.tn}`, 8)} ${pad(`${c.tp}/${c.tp + c.fn}`, 8)} ${unk ? `${unkF}/${unk}` : ''}`;
}

function header(title: string): void {
  console.log(title);
  console.log(`${pad('', 26)} prec.  recall F1      conv flagged  inst flagged  unknown flagged`);
}

/**
 * What a writer sees, leave-one-source-out: every source's posts linted through the real rule,
 * scored by that fold's (calibrated) model. Returns per post whether the model's rule fired
 * with the phrase rules off (model alone) and whether any voice rule fired (both).
 */
function lintPass(ws: Workspace, cv: CrossValidation, dir: string) {
  const { items } = cv;
  const modelAlone = new Array<boolean>(items.length).fill(false);
  const both = new Array<boolean>(items.length).fill(false);
  const phraseIds = [
    ...VOICE_RULE_IDS.filter((id) => id !== INSTITUTIONAL_VOICE_ID),
    ...[...ws.playbook.rules.keys()].filter((id) => id.startsWith('voice/')),
  ];
  const repos = [...new Set(items.map((it) => repoOf(it.source)))].sort();
  try {
    for (const repo of repos) {
      measureWithModel(
        calibrated(
          fit(items, cv.counts, TRAINING, (i) => repoOf(items[i].source) !== repo),
          cv.calibration,
          cv.threshold,
        ),
      );
      items.forEach((it, i) => {
        if (repoOf(it.source) !== repo) return;
        const file = path.join(dir, 'posts', `p${String(i).padStart(4, '0')}.md`);
        both[i] = ws.lintText(file, it.text).findings.some(isVoiceFinding);
        for (const id of phraseIds) ws.playbook.overrides.set(id, 'off');
        modelAlone[i] = ws.lintText(file, it.text).findings.some((f) => f.ruleId === INSTITUTIONAL_VOICE_ID);
        for (const id of phraseIds) ws.playbook.overrides.delete(id);
        ws.removePost(file);
      });
    }
  } finally {
    measureWithModel(undefined);
  }
  return { modelAlone, both };
}

/** Leave-one-source-out scores of the model with examples from the held-out source. */
function examplesPass(items: readonly Item[], counts: readonly Map<number, number>[], cv: CrossValidation) {
  const labelled = items.map((it, i) => ({ it, i })).filter(({ it }) => it.kind !== 'unknown');
  // Examples: per held-out source, the 3 institutional and 3 conversational posts first in a
  // fixed hash order become the team's "Not us" / "Sounds like us" examples; the rest of the
  // source is scored with and without them.
  const withEx = new Array<number>(items.length).fill(NaN);
  const isExample = new Array<boolean>(items.length).fill(false);
  const repos = [...new Set(items.map((it) => repoOf(it.source)))].sort();
  for (const repo of repos) {
    const model = calibrated(
      fit(items, counts, TRAINING, (i) => repoOf(items[i].source) !== repo),
      cv.calibration,
      cv.threshold,
    );
    const inRepo = labelled.filter(({ it }) => repoOf(it.source) === repo);
    const order = [...inRepo].sort((a, b) => murmurhash.v3(String(a.i)) - murmurhash.v3(String(b.i)));
    const pick = (kind: Item['kind']) => order.filter(({ it }) => it.kind === kind).slice(0, 3);
    const chosen = inRepo.length >= 12 ? [...pick('institutional'), ...pick('conversational')] : [];
    const examples: PlaybookExample[] = chosen.map(({ it, i }) => ({
      text: it.text,
      file: 'examples.md',
      line: i,
      side: it.kind === 'institutional' ? 'not-us' : 'us',
    }));
    for (const { i } of chosen) isExample[i] = true;
    const set = examples.length ? exampleSet(model, examples) : undefined;
    items.forEach((it, i) => {
      if (repoOf(it.source) !== repo) return;
      withEx[i] = scoreCounts(model, counts[i], set).score;
    });
  }
  return { withEx, isExample };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const cv = crossValidate(args.corpus);
  const { items } = cv;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-corpus-'));
  try {
    fs.mkdirSync(path.join(tmp, 'posts'));
    const ws = Workspace.open(tmp, args.playbook ? { playbookDir: args.playbook } : {});
    for (const e of ws.playbook.errors) console.log(`playbook error: ${path.relative(repoRoot, e.file)}:${e.line} ${e.message}`);
    const playbookLines = new Map(ws.playbook.files.map((f) => [f, fs.readFileSync(f, 'utf8').split('\n')]));
    const kinds = { institutional: 0, conversational: 0, unknown: 0 };
    for (const it of items) kinds[it.kind]++;
    const repos = new Set(items.map((it) => repoOf(it.source)));
    console.log(
      `corpus: ${items.length} posts from ${repos.size} source repositories (${kinds.institutional} institutional, ${kinds.conversational} conversational, ${kinds.unknown} unknown)`,
    );
    console.log(`playbook ${ws.playbook.dir}: ${[...ws.playbook.rules.values()].map((r) => `${r.id} ${r.phrases.length}`).join(', ')}`);
    console.log('');

    // 1. Phrase rules alone (the model switched off); 2. the model alone and 3. both, through the
    // real rule with each fold's model.
    const { phrase, phraseFlag } = cv;
    const m = { ...examplesPass(items, cv.counts, cv), scores: cv.oof, threshold: cv.threshold };
    const lint = lintPass(ws, cv, tmp);
    const modelFlag = lint.modelAlone;
    const both = lint.both;

    header(`leave-one-source-out (${repos.size} folds), linted through the rules; model threshold ${m.threshold} (calibrated):`);
    console.log(row('phrase rules alone', confusion(items, phraseFlag), items, phraseFlag));
    console.log(row('model alone', confusion(items, modelFlag), items, modelFlag));
    console.log(row('both (what a writer sees)', confusion(items, both), items, both));
    const tr = items.map((it, i) => (it.file === 'train' ? i : -1)).filter((i) => i >= 0);
    const trItems = tr.map((i) => items[i]);
    header('the same on train.jsonl only (sources the phrase lists were not written against):');
    for (const [label, flags] of [
      ['phrase rules alone', phraseFlag],
      ['model alone', modelFlag],
      ['both (what a writer sees)', both],
    ] as const) {
      const f = tr.map((i) => flags[i]);
      console.log(row(label, confusion(trItems, f), trItems, f));
    }
    console.log('');

    const domains = [...new Set(items.map((it) => it.domain))].sort();
    header('per domain (phrase / model / both):');
    for (const d of domains) {
      const idx = items.map((it, i) => (it.domain === d ? i : -1)).filter((i) => i >= 0);
      const sub = idx.map((i) => items[i]);
      for (const [label, flags] of [
        ['phrase', phraseFlag],
        ['model', modelFlag],
        ['both', both],
      ] as const) {
        const f = idx.map((i) => flags[i]);
        console.log(
          row(
            `${label === 'phrase' ? d.slice(0, 18) : ''} ${label}`.trimStart().padStart(label === 'phrase' ? 0 : 26 - 8),
            confusion(sub, f),
            sub,
            f,
          ),
        );
      }
    }
    console.log('');

    console.log('model threshold sweep (out-of-fold model scores; model alone | with the phrase rules):');
    for (const t of [...new Set([0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, m.threshold])].sort()) {
      const mf = m.scores.map((s) => s >= t);
      const bf = items.map((_, i) => phraseFlag[i] || mf[i]);
      const a = prf(confusion(items, mf));
      const b = prf(confusion(items, bf));
      console.log(
        `  ${t.toFixed(2)}  P ${pct(a.precision)} R ${pct(a.recall)} F1 ${pct(a.f1)}  |  P ${pct(b.precision)} R ${pct(b.recall)} F1 ${pct(b.f1)}${t === m.threshold ? '   ← shipped' : ''}`,
      );
    }
    console.log('');

    // 3. A team's examples, taken from the held-out source (the examples themselves not scored).
    const rest = items
      .map((_, i) => i)
      .filter((i) => !m.isExample[i] && items.some((it, j) => m.isExample[j] && repoOf(it.source) === repoOf(items[i].source)));
    const sub = rest.map((i) => items[i]);
    const before = rest.map((i) => m.scores[i] >= m.threshold);
    const after = rest.map((i) => m.withEx[i] >= m.threshold);
    const moved = rest.filter((_, k) => before[k] !== after[k]).length;
    header(`team examples (3 "Not us" + 3 "Sounds like us" from the held-out source; ${sub.length} other posts of those sources):`);
    console.log(row('model, no examples', confusion(sub, before), sub, before));
    console.log(row('model + examples', confusion(sub, after), sub, after));
    console.log(`  verdicts changed: ${moved} of ${sub.length}`);
    console.log('');

    // Per rule (phrase pass): posts flagged by the rule, by label.
    const perRule = new Map<string, { inst: number; conv: number; unk: number; findings: number }>();
    phrase.forEach((fs_, i) => {
      const kind = items[i].kind;
      const seen = new Set<string>();
      for (const f of fs_) {
        let r = perRule.get(f.ruleId);
        if (!r) perRule.set(f.ruleId, (r = { inst: 0, conv: 0, unk: 0, findings: 0 }));
        r.findings++;
        if (seen.has(f.ruleId)) continue;
        seen.add(f.ruleId);
        if (kind === 'institutional') r.inst++;
        else if (kind === 'conversational') r.conv++;
        else r.unk++;
      }
    });
    console.log(`${pad('phrase rule', 30)} ${pad('inst posts', 11)} ${pad('conv posts', 11)} ${pad('unknown', 8)} findings  precision`);
    for (const [id, r] of [...perRule].sort((a, b) => b[1].inst + b[1].conv - (a[1].inst + a[1].conv))) {
      console.log(
        `${pad(id, 30)} ${pad(String(r.inst), 11)} ${pad(String(r.conv), 11)} ${pad(String(r.unk), 8)} ${pad(String(r.findings), 9)} ${pct(r.inst / (r.inst + r.conv))}`,
      );
    }
    console.log('');

    // Per source: who the errors come from (labels are one annotator's).
    console.log(`${pad('source', 56)} ${pad('inst', 5)} ${pad('conv', 5)} model R  model FP  both R  both FP`);
    for (const repo of [...repos].sort()) {
      const idx = items.map((it, i) => (repoOf(it.source) === repo ? i : -1)).filter((i) => i >= 0);
      const sub2 = idx.map((i) => items[i]);
      const cm = confusion(
        sub2,
        idx.map((i) => modelFlag[i]),
      );
      const cb = confusion(
        sub2,
        idx.map((i) => both[i]),
      );
      console.log(
        `${pad(repo, 56)} ${pad(String(cm.tp + cm.fn), 5)} ${pad(String(cm.fp + cm.tn), 5)} ${pad(pct(prf(cm).recall), 8)} ${pad(String(cm.fp), 9)} ${pad(pct(prf(cb).recall), 7)} ${cb.fp}`,
      );
    }
    console.log('');

    // Conversational posts the phrase rules flag: rule and phrase, never the post text.
    const fps: string[] = [];
    items.forEach((it, i) => {
      if (it.kind === 'conversational' && phraseFlag[i])
        fps.push(`  #${i + 1}: ${phrase[i].map((f) => `${f.ruleId} ${describe(f, playbookLines)}`).join('; ')}`);
    });
    console.log(`conversational posts the phrase rules flag: ${fps.length}`);
    for (const l of fps) console.log(l);
    if (args.misses) {
      const missed = items.map((it, i) => ({ it, i })).filter(({ it, i }) => it.kind === 'institutional' && !both[i]);
      console.log(`institutional posts nothing flags (corpus order): ${missed.map(({ i }) => i + 1).join(', ')}`);
    }
    console.log('');

    // 5. Seeds: real conversational writing, shipped playbook and model; every finding should be defensible.
    const seeds = seedParagraphs(args.seeds);
    if (seeds.length) {
      const lines: string[] = [];
      let flagged = 0;
      let byModel = 0;
      for (const s of seeds) {
        const file = path.join(tmp, 'posts', `seed-${s.file}-${s.index}.md`);
        const res = ws.lintText(file, s.text);
        ws.removePost(file);
        const voice = res.findings.filter(isVoiceFinding);
        if (voice.length) flagged++;
        if (voice.some((f) => f.ruleId === INSTITUTIONAL_VOICE_ID)) byModel++;
        for (const f of voice)
          lines.push(
            `  ${s.file} paragraph ${s.index + 1}: ${f.ruleId} ${describe(f, playbookLines)} — ${JSON.stringify(s.text.slice(f.offset, Math.min(f.endOffset, f.offset + 90)))}`,
          );
      }
      console.log(
        `seeds: ${seeds.length} paragraphs as posts, ${flagged} flagged (${byModel} by institutional-voice), ${lines.length} voice findings`,
      );
      for (const l of lines) console.log(l);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) main();
