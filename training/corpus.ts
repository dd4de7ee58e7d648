/**
 * The labelled corpus for the voice model: reading it, grouping it by source repository, and
 * leave-one-source-out cross-validation. Shared by the trainer (`npm run train`) and the
 * corpus benchmark (`npm run bench:corpus`). Never prints or writes a corpus text.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace, VOICE_RULE_IDS } from '../src/core';
import type { Finding } from '../src/core';
import { INSTITUTIONAL_VOICE_ID } from '../src/core/rules/institutional-voice';
import { FeatureOptions } from '../src/core/voice-model/features';
import { countsOfPieces, piecesOfProse } from '../src/core/voice-model/analyse';
import { blocksOf, parsePost } from '../src/core/post';
import { proseOfBlocks } from '../src/core/markdown';
import { loadModel, score, toModelFile, VoiceModel } from '../src/core/voice-model/model';
import { trainModel, TrainOptions } from '../src/core/voice-model/train';

export type Kind = 'institutional' | 'conversational' | 'unknown';
export interface Item {
  text: string;
  source: string;
  kind: Kind;
  domain: string;
  /** Which file it came from ("dev" or "train"). */
  file: string;
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SHARED = path.resolve(REPO_ROOT, '..', 'shared');
export const CORPUS_FILES = ['dev.jsonl', 'train.jsonl'].map((f) => path.join(SHARED, 'corpus', f));

/** Domains of the dev set's sources (train.jsonl carries its own `domain`). */
const DEV_DOMAINS: Record<string, string> = {
  'kwartler/text_mining': 'customer support',
  'BBC-Data-Unit/rail-fare-increases-2019': 'customer support',
  'R-ou-Python/aus-uni-twitter-sentiment': 'universities/hospitals',
  'nguyenyenchi/Aus_Data_Breach_Statements': 'corporate PR/statements',
  'slevin886/twitter_fast_food_analysis': 'brand marketing',
};

/** The repository part of `owner/repo:path`: the unit of leave-one-source-out. */
export function repoOf(source: string): string {
  return source.split(':')[0];
}

export function readCorpus(files: readonly string[] = CORPUS_FILES): Item[] {
  const items: Item[] = [];
  for (const file of files) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      const d = JSON.parse(line) as Partial<Item>;
      if (typeof d.text !== 'string' || !['institutional', 'conversational', 'unknown'].includes(String(d.kind))) {
        throw new Error(`${file}:${i + 1}: expected {"text", "source", "kind"}`);
      }
      const source = String(d.source ?? '');
      items.push({
        text: d.text,
        source,
        kind: d.kind as Kind,
        domain: d.domain ?? DEV_DOMAINS[repoOf(source)] ?? 'other',
        file: path.basename(file, '.jsonl'),
      });
    });
  }
  return items;
}

export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export function confusion(items: readonly Item[], flagged: readonly boolean[]): Confusion {
  const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
  items.forEach((it, i) => {
    if (it.kind === 'institutional') {
      if (flagged[i]) c.tp++;
      else c.fn++;
    } else if (it.kind === 'conversational') {
      if (flagged[i]) c.fp++;
      else c.tn++;
    }
  });
  return c;
}

export function prf(c: Confusion): { precision: number; recall: number; f1: number } {
  const precision = c.tp + c.fp ? c.tp / (c.tp + c.fp) : NaN;
  const recall = c.tp + c.fn ? c.tp / (c.tp + c.fn) : NaN;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : NaN;
  return { precision, recall, f1 };
}

/**
 * Raw counts of every item under these feature options, read the way the rule reads a post:
 * the text as the body of a post, through the Markdown prose extraction (computed once per
 * option set).
 */
export function countsOf(items: readonly Item[], opts: FeatureOptions): Map<number, number>[] {
  return items.map((it) => countsOfPieces(opts, piecesOfProse(proseOfBlocks(blocksOf(parsePost('/corpus/post.md', it.text))))));
}

/** Train on labelled items (institutional = 1, conversational = 0; unknown left out). */
export function fit(
  items: readonly Item[],
  counts: readonly Map<number, number>[],
  o: TrainOptions,
  keep: (i: number) => boolean,
): VoiceModel {
  const docs = [];
  for (let i = 0; i < items.length; i++) {
    if (!keep(i) || items[i].kind === 'unknown') continue;
    docs.push({ counts: counts[i], y: items[i].kind === 'institutional' ? (1 as const) : (0 as const) });
  }
  // Score through the shipped file format, so the figures are those of what would ship.
  return loadModel(toModelFile(trainModel(docs, o)));
}

/**
 * Leave-one-source-out: for every source repository, train on all the others and score its
 * items. Returns each item's out-of-fold score.
 */
export function looScores(items: readonly Item[], counts: readonly Map<number, number>[], o: TrainOptions): number[] {
  const out = new Array<number>(items.length).fill(NaN);
  const repos = [...new Set(items.map((it) => repoOf(it.source)))].sort();
  for (const repo of repos) {
    const m = fit(items, counts, o, (i) => repoOf(items[i].source) !== repo);
    items.forEach((it, i) => {
      if (repoOf(it.source) === repo) out[i] = score(m, counts[i]);
    });
  }
  return out;
}

/** Paragraphs of the seed essays, each linted as a post. */
export function seedParagraphs(dir = path.join(SHARED, 'seeds')): { file: string; index: number; text: string }[] {
  if (!fs.existsSync(dir)) return [];
  const out: { file: string; index: number; text: string }[] = [];
  for (const f of fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.txt'))
    .sort()) {
    const paras = fs
      .readFileSync(path.join(dir, f), 'utf8')
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter((p) => p.length > 0);
    paras.forEach((text, index) => out.push({ file: f, index, text }));
  }
  return out;
}

/** Is this finding one of the voice rules (built-in voice rules and playbook voice/* rules)? */
export function isVoiceFinding(f: Finding): boolean {
  return VOICE_RULE_IDS.includes(f.ruleId) || f.ruleId.startsWith('voice/');
}

/**
 * The phrase rules' verdicts: every voice rule but institutional-voice, each text linted as
 * the body of a post on its own through the real engine and the shipped default playbook
 * (or `playbookDir`). Returns each item's voice findings.
 */
export function phraseFindings(items: readonly Item[], playbookDir?: string): Finding[][] {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-corpus-'));
  try {
    fs.mkdirSync(path.join(tmp, 'posts'));
    const ws = Workspace.open(tmp, playbookDir ? { playbookDir } : {});
    ws.playbook.overrides.set(INSTITUTIONAL_VOICE_ID, 'off');
    return items.map((it, i) => {
      const file = path.join(tmp, 'posts', `p${String(i).padStart(4, '0')}.md`);
      const res = ws.lintText(file, it.text);
      ws.removePost(file);
      return res.findings.filter(isVoiceFinding);
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** F-beta of a confusion (beta 0.5 weighs precision double). */
export function fbeta(c: Confusion, beta: number): number {
  const { precision: p, recall: r } = prf(c);
  const b2 = beta * beta;
  return p + r > 0 && Number.isFinite(p) ? ((1 + b2) * p * r) / (b2 * p + r) : 0;
}
