/** deflection: sending the reader to another silo instead of helping. */
import { phraseRule } from './phrase-rules';

export const deflection = phraseRule(
  'deflection',
  'Silo deflection ("please contact the relevant department", "outside our remit")',
  (q) =>
    `${q} sends the reader to another silo: the audience does not care which department owns it — help them, or hand them over yourself`,
);
