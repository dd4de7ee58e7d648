/** Every built-in rule, in the order they run. */
import type { Rule } from '../rule-contract';
import { authorityVoice } from './authority-voice';
import { talkingPoint } from './talking-point';
import { nonApology } from './non-apology';
import { deflection } from './deflection';
import { hierarchy } from './hierarchy';
import { blindStatement } from './blind-statement';
import { contextFree } from './context-free';
import { institutionalVoice } from './institutional-voice';
import { channelLength } from './channel-length';
import { frontMatter } from './front-matter';
import { scheduleHorizon } from './schedule-horizon';
import { scheduleStale } from './schedule-stale';
import { scheduleBurst } from './schedule-burst';
import { paused } from './paused';

export const BUILTIN_RULES: readonly Rule[] = [
  authorityVoice,
  talkingPoint,
  nonApology,
  deflection,
  hierarchy,
  blindStatement,
  contextFree,
  institutionalVoice,
  channelLength,
  frontMatter,
  scheduleHorizon,
  scheduleStale,
  scheduleBurst,
  paused,
];

/** Rules that read prose: the ones the corpus measurement and voice tests look at. */
export const VOICE_RULE_IDS = BUILTIN_RULES.filter((r) => r.category === 'voice').map((r) => r.id);
