/**
 * Precision and recall of the voice rules on real posts.
 *
 *   node out/bench/corpus-eval.js [path-to-jsonl] [--playbook DIR] [--seeds DIR] [--misses]
 *
 * Reads a labelled corpus (one JSON object a line: {"text", "source", "kind"} with kind
 * institutional | conversational | unknown; default ../shared/corpus/dev.jsonl beside the repo),
 * lints each text as the body of a post through the real engine (Workspace.lintText with the
 * shipped default playbook, or --playbook), and counts a post as flagged when any voice rule
 * fires. Prints precision, recall and F1 (institutional = positive), per-rule counts, and for
 * each false positive the rule id and the playbook phrase that matched. It never prints the
 * corpus texts: they stay out of the project, its logs and its reports.
 *
 * Then lints the seeds (../shared/seeds/*.txt, real conversational writing), split into
 * paragraphs as posts, and prints how many findings they get and which phrases fired.
 *
 * Two passes over the corpus: "isolated" lints every post on its own (no cross-post index), and
 * "workspace" first indexes every post of a source together, as a team's workspace would, so
 * the talking-point rule can see sentences pasted across posts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace, VOICE_RULE_IDS } from '../src/core';
import type { Finding } from '../src/core';

type Kind = 'institutional' | 'conversational' | 'unknown';
interface Item {
  text: string;
  source: string;
  kind: Kind;
}

const repoRoot = path.resolve(__dirname, '..', '..');
const sharedDir = path.resolve(repoRoot, '..', 'shared');

function parseArgs(argv: string[]) {
  const out = { corpus: path.join(sharedDir, 'corpus', 'dev.jsonl'), playbook: undefined as string | undefined, seeds: path.join(sharedDir, 'seeds'), misses: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--playbook') out.playbook = path.resolve(argv[++i]);
    else if (a === '--seeds') out.seeds = path.resolve(argv[++i]);
    else if (a === '--misses') out.misses = true;
    else if (a.startsWith('--')) throw new Error(`Unknown option ${a}`);
    else out.corpus = path.resolve(a);
  }
  return out;
}

function readCorpus(file: string): Item[] {
  const items: Item[] = [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const d = JSON.parse(line) as Partial<Item>;
    if (typeof d.text !== 'string' || !['institutional', 'conversational', 'unknown'].includes(String(d.kind))) {
      throw new Error(`${file}:${i + 1}: expected {"text", "source", "kind"}`);
    }
    items.push({ text: d.text, source: String(d.source ?? ''), kind: d.kind as Kind });
  });
  return items;
}

/** Is this finding one of the voice rules (built-in voice rules and playbook voice/* rules)? */
export function isVoiceFinding(f: Finding): boolean {
  return VOICE_RULE_IDS.includes(f.ruleId) || f.ruleId.startsWith('voice/');
}

/** What matched, without quoting the linted text: the playbook phrase, or the rule's own kind of finding. */
function describe(f: Finding, playbookLines: Map<string, string[]>): string {
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

interface PassResult {
  flagged: boolean[];
  findings: Finding[][];
}

function lintAll(ws: Workspace, items: Item[], dir: string, crossPost: boolean): PassResult {
  const files = items.map((_, i) => path.join(dir, 'posts', `p${String(i).padStart(4, '0')}.md`));
  if (crossPost) items.forEach((it, i) => ws.setPostText(files[i], it.text));
  const findings: Finding[][] = [];
  const flagged: boolean[] = [];
  items.forEach((it, i) => {
    const res = ws.lintText(files[i], it.text);
    const voice = res.findings.filter(isVoiceFinding);
    findings.push(voice);
    flagged.push(voice.length > 0);
    if (!crossPost) ws.removePost(files[i]);
  });
  if (crossPost) files.forEach((f) => ws.removePost(f));
  return { flagged, findings };
}

function pct(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : 'n/a';
}

function scores(items: Item[], flagged: boolean[]) {
  let tp = 0, fp = 0, fn = 0, tn = 0, unkFlagged = 0, unk = 0;
  items.forEach((it, i) => {
    if (it.kind === 'institutional') flagged[i] ? tp++ : fn++;
    else if (it.kind === 'conversational') flagged[i] ? fp++ : tn++;
    else {
      unk++;
      if (flagged[i]) unkFlagged++;
    }
  });
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  const f1 = (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, tn, precision, recall, f1, unk, unkFlagged };
}

function printScores(label: string, s: ReturnType<typeof scores>): void {
  console.log(`${label}: precision ${pct(s.precision)}  recall ${pct(s.recall)}  F1 ${pct(s.f1)}   (TP ${s.tp}, FP ${s.fp}, FN ${s.fn}, TN ${s.tn}; unknown flagged ${s.unkFlagged}/${s.unk})`);
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const items = readCorpus(args.corpus);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-corpus-'));
  try {
    fs.mkdirSync(path.join(tmp, 'posts'));
    const ws = Workspace.openSync(tmp, args.playbook ? { playbookDir: args.playbook } : {});
    if (ws.playbook.errors.length) {
      for (const e of ws.playbook.errors) console.log(`playbook error: ${path.relative(repoRoot, e.file)}:${e.line} ${e.message}`);
    }
    const playbookLines = new Map(ws.playbook.files.map((f) => [f, fs.readFileSync(f, 'utf8').split('\n')]));
    const phraseCounts = [...ws.playbook.rules.values()].map((r) => `${r.id} ${r.phrases.length}`).join(', ');
    const kinds = { institutional: 0, conversational: 0, unknown: 0 };
    for (const it of items) kinds[it.kind]++;
    console.log(`corpus ${path.relative(process.cwd(), args.corpus)}: ${items.length} posts (${kinds.institutional} institutional, ${kinds.conversational} conversational, ${kinds.unknown} unknown)`);
    console.log(`playbook ${ws.playbook.dir}: ${phraseCounts}`);
    console.log('');

    const isolated = lintAll(ws, items, tmp, false);
    const together = lintAll(ws, items, tmp, true);
    printScores('isolated posts  ', scores(items, isolated.flagged));
    printScores('workspace (index)', scores(items, together.flagged));
    console.log('');

    // Per rule, on the isolated pass: posts flagged by the rule, by label, and findings.
    const perRule = new Map<string, { inst: number; conv: number; unk: number; findings: number }>();
    isolated.findings.forEach((fs_, i) => {
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
    // Per source: labels are one annotator's; a source whose recall lags shows a genre the lists miss.
    const bySource = new Map<string, Item[]>();
    const flaggedBySource = new Map<string, boolean[]>();
    items.forEach((it, i) => {
      const key = it.source || '(none)';
      if (!bySource.has(key)) {
        bySource.set(key, []);
        flaggedBySource.set(key, []);
      }
      bySource.get(key)!.push(it);
      flaggedBySource.get(key)!.push(isolated.flagged[i]);
    });
    console.log(`${pad('source', 80)} ${pad('inst', 5)} ${pad('conv', 5)} recall  FP`);
    for (const [src, its] of bySource) {
      const s = scores(its, flaggedBySource.get(src)!);
      console.log(`${pad(src, 80)} ${pad(String(s.tp + s.fn), 5)} ${pad(String(s.fp + s.tn), 5)} ${pad(pct(s.recall), 7)} ${s.fp}`);
    }
    console.log('');

    console.log(`${pad('rule', 30)} ${pad('inst posts', 11)} ${pad('conv posts', 11)} ${pad('unknown', 8)} findings  precision`);
    for (const [id, r] of [...perRule].sort((a, b) => b[1].inst + b[1].conv - (a[1].inst + a[1].conv))) {
      console.log(`${pad(id, 30)} ${pad(String(r.inst), 11)} ${pad(String(r.conv), 11)} ${pad(String(r.unk), 8)} ${pad(String(r.findings), 9)} ${pct(r.inst / (r.inst + r.conv))}`);
    }
    console.log('');

    // False positives: rule id and the playbook phrase, never the post text.
    const fps: string[] = [];
    items.forEach((it, i) => {
      if (it.kind !== 'conversational' || !isolated.flagged[i]) return;
      fps.push(`  #${i + 1}: ${isolated.findings[i].map((f) => `${f.ruleId} ${describe(f, playbookLines)}`).join('; ')}`);
    });
    console.log(`false positives (conversational posts flagged): ${fps.length}`);
    for (const l of fps) console.log(l);
    const unknown = items.map((it, i) => ({ it, i })).filter(({ it, i }) => it.kind === 'unknown' && isolated.flagged[i]);
    if (unknown.length) {
      console.log('unknown posts flagged:');
      for (const { i } of unknown) console.log(`  #${i + 1}: ${isolated.findings[i].map((f) => `${f.ruleId} ${describe(f, playbookLines)}`).join('; ')}`);
    }
    const extra = items.map((it, i) => ({ it, i })).filter(({ it, i }) => it.kind === 'conversational' && together.flagged[i] && !isolated.flagged[i]);
    if (extra.length) {
      console.log('false positives added by the workspace pass:');
      for (const { i } of extra) console.log(`  #${i + 1}: ${together.findings[i].map((f) => `${f.ruleId} ${describe(f, playbookLines)}`).join('; ')}`);
    }
    if (args.misses) {
      const missed = items.map((it, i) => ({ it, i })).filter(({ it, i }) => it.kind === 'institutional' && !isolated.flagged[i]);
      console.log(`missed institutional posts (line numbers in the corpus): ${missed.map(({ i }) => i + 1).join(', ')}`);
    }
    console.log('');

    // Seeds: real conversational writing; every finding there should be defensible.
    if (fs.existsSync(args.seeds)) {
      const seedFiles = fs.readdirSync(args.seeds).filter((f) => f.endsWith('.txt')).sort();
      let paragraphs = 0;
      const seedFindings: string[] = [];
      for (const name of seedFiles) {
        const text = fs.readFileSync(path.join(args.seeds, name), 'utf8');
        const paras = text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
        paras.forEach((p, k) => {
          paragraphs++;
          const file = path.join(tmp, 'posts', `seed-${name}-${k}.md`);
          const res = ws.lintText(file, p);
          ws.removePost(file);
          for (const f of res.findings.filter(isVoiceFinding)) seedFindings.push(`  ${name} paragraph ${k + 1}: ${f.ruleId} ${describe(f, playbookLines)}`);
        });
      }
      console.log(`seeds: ${seedFiles.length} files, ${paragraphs} paragraphs as posts, ${seedFindings.length} voice findings`);
      for (const l of seedFindings) console.log(l);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) main();
