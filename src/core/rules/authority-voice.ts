/** authority-voice: institutional formulas, jargon and passive officialese, listed in the playbook. */
import { phraseRule } from './phrase-rules';

export const authorityVoice = phraseRule(
  'authority-voice',
  'Institutional formulas, jargon and passive officialese ("we are pleased to announce", "please be advised", "going forward")',
  (q) => `${q} is authority voice: say it the way you would say it to a person`,
);
