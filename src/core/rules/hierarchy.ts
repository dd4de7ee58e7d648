/** hierarchy: title-dropping and appeals to rank. */
import { phraseRule } from './phrase-rules';

export const hierarchy = phraseRule(
  'hierarchy',
  'Title-dropping and appeals to rank ("on behalf of the Chief Executive", "senior leadership has decided")',
  (q) => `${q} leans on rank: a title is irrelevant to the conversation — say what was decided and why`,
);
