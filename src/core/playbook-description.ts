/**
 * What a resolved playbook says, as plain data: every rule with its severity and phrase count,
 * channels, the schedule policy and talking points, each with the file and line it came from.
 * `unscripted playbook` prints it; the editor's Playbook view can show the same. No formatting here.
 */
import * as path from 'node:path';
import type { Playbook, SchedulePolicy } from './playbook';
import { phraseFixIsSafe } from './fixes';
import type { Rule } from './rule-contract';
import { BUILTIN_RULES } from './rules';
import { PUBLISHABLE_PLATFORMS, Platform, PlaybookError, Severity, SourceRef } from './types';

export interface RuleDescription {
  id: string;
  title: string;
  /** The severity in effect ('off' when the playbook's `rules:` turns the rule off). */
  severity: Severity | 'off';
  /** 'playbook' for a rule the playbook defines (voice/…); 'built-in' for a rule of the engine. */
  origin: 'built-in' | 'playbook';
  /** Phrases the playbook lists for the rule (0 for rules that do not read phrase lists). */
  phraseCount: number;
  /** Of those, how many `lint --fix` applies unattended. */
  autoFixCount: number;
  /** The playbook heading that configures the rule, when one does. */
  definedAt?: SourceRef;
  /** True when the rule's phrases or heading come from the shipped default, not the team's folder. */
  fromDefault: boolean;
  /** Numeric options in effect (`threshold` of institutional-voice), the playbook's or the default. */
  options?: Record<string, { value: number; fromPlaybook: boolean }>;
}

export interface ExampleDescription {
  side: 'us' | 'not-us';
  /** The example's first line, for a list. */
  text: string;
  definedAt: SourceRef;
}

export interface ChannelDescription {
  id: string;
  platform: Platform;
  account?: string;
  host?: string;
  limit?: number;
  /** False for platforms Unscripted cannot publish to yet (x, linkedin). */
  publishable: boolean;
  definedAt: SourceRef;
}

export interface PlaybookDescription {
  /** The playbook folder in use. */
  dir: string;
  /** True when no team playbook was found and the shipped default applies. */
  isDefault: boolean;
  /** Playbook files in use, the team's first, then default files standing in for missing kinds. */
  files: { file: string; fromDefault: boolean }[];
  rules: RuleDescription[];
  channels: ChannelDescription[];
  /** The policy in effect; `file` and `lines` say where each setting the schedule file sets is (others are defaults). */
  schedule: SchedulePolicy;
  talkingPoints: {
    severity: Severity;
    maxRepeats: number;
    campaigns: { campaign: string; points: { text: string; definedAt: SourceRef }[] }[];
  };
  /** The team's examples (kind: examples) that teach institutional-voice its voice. */
  examples: ExampleDescription[];
  errors: PlaybookError[];
  /** Things that work but deserve a word (a channel that cannot publish yet). */
  warnings: PlaybookError[];
}

function optionsInEffect(playbook: Playbook, r: Rule): Record<string, { value: number; fromPlaybook: boolean }> {
  const set = playbook.ruleOptions.get(r.id) ?? {};
  const out: Record<string, { value: number; fromPlaybook: boolean }> = {};
  for (const [name, spec] of Object.entries(r.options ?? {})) {
    const own = set[name];
    out[name] =
      own !== undefined
        ? { value: own, fromPlaybook: true }
        : { value: typeof spec.default === 'function' ? spec.default() : spec.default, fromPlaybook: false };
  }
  return out;
}

export function describePlaybook(playbook: Playbook, rules: readonly Rule[] = BUILTIN_RULES): PlaybookDescription {
  const fromDefault = (file: string) => playbook.isDefault || !path.resolve(file).startsWith(path.resolve(playbook.dir) + path.sep);
  const out: RuleDescription[] = [];
  const seen = new Set<string>();
  const severityOf = (id: string, base: Severity): Severity | 'off' => playbook.overrides.get(id) ?? base;
  for (const r of rules) {
    seen.add(r.id);
    const cfg = playbook.rules.get(r.id);
    out.push({
      id: r.id,
      title: cfg?.title ?? r.description,
      severity: severityOf(r.id, cfg?.severity ?? r.defaultSeverity),
      origin: 'built-in',
      phraseCount: cfg?.phrases.length ?? 0,
      autoFixCount: cfg?.phrases.filter(phraseFixIsSafe).length ?? 0,
      ...(cfg ? { definedAt: { ...cfg.definedAt } } : {}),
      fromDefault: cfg ? fromDefault(cfg.definedAt.file) : true,
      ...(r.options ? { options: optionsInEffect(playbook, r) } : {}),
    });
  }
  for (const cfg of playbook.rules.values()) {
    if (seen.has(cfg.id)) continue;
    out.push({
      id: cfg.id,
      title: cfg.title,
      severity: severityOf(cfg.id, cfg.severity),
      origin: 'playbook',
      phraseCount: cfg.phrases.length,
      autoFixCount: cfg.phrases.filter(phraseFixIsSafe).length,
      definedAt: { ...cfg.definedAt },
      fromDefault: fromDefault(cfg.definedAt.file),
    });
  }
  const campaigns = new Map<string, { text: string; definedAt: SourceRef }[]>();
  for (const c of playbook.campaigns) campaigns.set(c, []);
  for (const tp of playbook.talkingPoints) {
    const list = campaigns.get(tp.campaign) ?? [];
    list.push({ text: tp.text, definedAt: { file: tp.file, line: tp.line } });
    campaigns.set(tp.campaign, list);
  }
  const s = playbook.schedule;
  return {
    dir: playbook.dir,
    isDefault: playbook.isDefault,
    files: playbook.files.map((file) => ({ file, fromDefault: fromDefault(file) })),
    rules: out,
    channels: [...playbook.channels.values()].map((c) => ({
      id: c.id,
      platform: c.platform,
      ...(c.account ? { account: c.account } : {}),
      ...(c.host ? { host: c.host } : {}),
      ...(c.limit ? { limit: c.limit } : {}),
      publishable: PUBLISHABLE_PLATFORMS.includes(c.platform),
      definedAt: { file: c.file, line: c.line },
    })),
    schedule: {
      horizonDays: s.horizonDays,
      reviewWindowHours: s.reviewWindowHours,
      burst: { ...s.burst },
      paused: s.paused,
      ...(s.pauseReason ? { pauseReason: s.pauseReason } : {}),
      ...(s.file ? { file: s.file } : {}),
      lines: { ...s.lines },
    },
    talkingPoints: {
      severity: playbook.talkingPointSeverity,
      maxRepeats: playbook.maxRepeats,
      campaigns: [...campaigns].map(([campaign, points]) => ({ campaign, points })),
    },
    examples: playbook.examples.map((e) => ({ side: e.side, text: e.text.split('\n')[0], definedAt: { file: e.file, line: e.line } })),
    errors: playbook.errors.map((e) => ({ ...e })),
    warnings: (playbook.warnings ?? []).map((e) => ({ ...e })),
  };
}
