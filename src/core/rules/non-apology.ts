/** non-apology: apologies that apologise for nothing, and glossing over what happened. */
import { phraseRule } from './phrase-rules';

export const nonApology = phraseRule(
  'non-apology',
  'Non-apologies and glossing over the truth ("we apologise for any inconvenience", "mistakes were made", "if anyone was offended")',
  (q) => `${q} is a non-apology: say what went wrong, that you are sorry for it, and what you are doing about it`,
  { label: 'non-apology' },
);
