/**
 * context-free: a post that only makes sense with context the reader lacks. Checked on the
 * first thread part, the one a reader meets cold:
 * - it opens on a pronoun with nothing to point back to ("He said it best.", "This is huge.");
 * - it is a bare link, or a link with only "read more" around it;
 * - it is a quotation with no source.
 */
import type { Rule, RuleContext } from '../rule-contract';
import { tokenize } from '../text';

const PERSONAL = new Set(['he', 'she', 'they', 'him', 'her', 'them', 'his', 'their']);
const DEMONSTRATIVE = new Set(['this', 'that', 'these', 'those']);
/** After a demonstrative, these mean it is a pronoun ("This is huge"), not a determiner ("This week"). */
const VERBISH = new Set([
  'is',
  'was',
  'are',
  'were',
  'will',
  'would',
  'has',
  'have',
  'had',
  'just',
  'means',
  'happened',
  'did',
  'does',
  'can',
  'could',
  'should',
  'might',
  'must',
  'made',
  'makes',
  'shows',
  'says',
  'said',
  'right',
  'here',
  'again',
  'too',
]);
/** After "This is"/"These are", these start a noun phrase that says what "this" is. */
const INTRODUCERS = new Set(['the', 'our', 'a', 'an', 'my', 'your', 'what', 'how', 'why', 'where', 'who', 'when']);
const CALL_TO_ACTION = new Set([
  'read',
  'more',
  'here',
  'click',
  'see',
  'find',
  'out',
  'full',
  'story',
  'details',
  'detail',
  'info',
  'information',
  'link',
  'the',
  'about',
  'check',
  'this',
  'learn',
  'at',
  'via',
  'on',
  'our',
  'website',
  'blog',
  'post',
  'it',
  'a',
  'in',
  'now',
  'new',
  'go',
  'to',
  'latest',
  'update',
  'updates',
  'article',
  'visit',
  'is',
  'all',
  'you',
  'need',
  'know',
]);
const ATTRIBUTION = /(?:^|\s)(?:—|–|-{1,2}|~)\s*\S|\b(?:said|says|according to|via|wrote|writes|told|asked)\b|@\w/i;

function checkOpener(ctx: RuleContext, partStart: number, partEnd: number): void {
  const first = ctx.segmentTokens.find((s) => s.segment.start >= partStart && s.segment.start < partEnd && s.segment.kind !== 'heading');
  if (!first || first.tokens.length === 0) return;
  const [a, b] = first.tokens;
  if (first.quoted[0]) return;
  const word = a.norm;
  const pronoun = PERSONAL.has(word) || (DEMONSTRATIVE.has(word) && (!b || b.breakBefore || VERBISH.has(b.norm)));
  if (!pronoun) return;
  // "This is Dave.", "These are the new library cards": introducing what the post shows.
  if (DEMONSTRATIVE.has(word) && (b?.norm === 'is' || b?.norm === 'are')) {
    const c0 = first.tokens[2];
    if (c0 && !c0.breakBefore && (INTRODUCERS.has(c0.norm) || /^\p{Lu}/u.test(ctx.text.slice(c0.start, c0.end)))) return;
  }
  // "That's all from us tonight", "That's it for today": sign-offs, not a pointer to unseen context.
  const c = first.tokens[2];
  if ((word === 'that' || word === 'this') && b?.norm === 'is' && c && !c.breakBefore && (c.norm === 'all' || c.norm === 'it')) return;
  const shown = ctx.text.slice(a.start, a.end);
  ctx.report({
    offset: a.start,
    endOffset: a.end,
    message: `The post opens on “${shown}”, which points to something the reader has not seen: name it`,
  });
}

function checkBareLink(ctx: RuleContext, partStart: number, partEnd: number): void {
  const links = ctx.prose.links.filter((l) => l.start >= partStart && l.end <= partEnd);
  if (links.length === 0) return;
  const segs = ctx.segmentTokens.filter((s) => s.segment.start >= partStart && s.segment.end <= partEnd);
  const words = segs.flatMap((s) => s.tokens.map((t) => t.norm)).filter((w) => !w.startsWith('#') && !w.startsWith('@'));
  // A labelled link brings its own words ("our [opening hours](…)"): those count as context.
  const meaningful = words.filter((w) => !CALL_TO_ACTION.has(w));
  if (meaningful.length > 0) return;
  const l = links[0];
  ctx.report({
    offset: l.start,
    endOffset: l.end,
    message:
      words.length === 0
        ? 'A bare link: say what it is and why the reader should care'
        : 'A link with only “read more” around it: say what it is and why the reader should care',
  });
}

function checkUnsourcedQuote(ctx: RuleContext, partStart: number, partEnd: number, partText: string): void {
  const quotes = ctx.prose.blockquotes.filter((q) => q.start >= partStart && q.end <= partEnd);
  const prose = ctx.prose.segments.filter((s) => s.start >= partStart && s.end <= partEnd);
  if (quotes.length > 0) {
    const outside = prose.map((s) => s.text).join(' ');
    const inside = ctx.text.slice(quotes[quotes.length - 1].start, quotes[quotes.length - 1].end);
    const lastLine = inside.trim().split('\n').pop() ?? '';
    if (!ATTRIBUTION.test(outside) && !ATTRIBUTION.test(lastLine)) {
      ctx.report({ offset: quotes[0].start, endOffset: quotes[0].end, message: 'A quotation with no source: say who said it' });
    }
    return;
  }
  // The whole part is one quotation in quotation marks.
  const t = partText.trim();
  const m = /^(["“])([\s\S]+)(["”])\s*$/.exec(t);
  if (m && !/["“”]/.test(m[2]) && tokenize(m[2]).length >= 3 && !ATTRIBUTION.test(m[2])) {
    const start = ctx.text.indexOf(t, partStart);
    ctx.report({ offset: start, endOffset: start + t.length, message: 'A quotation with no source: say who said it' });
  }
}

export const contextFree: Rule = {
  id: 'context-free',
  description:
    'A post that needs context the reader lacks: an opening "this"/"he" with nothing to refer to, a bare link, a quote with no source',
  defaultSeverity: 'warning',
  category: 'voice',
  run(ctx) {
    const part = ctx.post.parts[0];
    if (!part) return;
    checkOpener(ctx, part.offset, part.endOffset);
    checkBareLink(ctx, part.offset, part.endOffset);
    checkUnsourcedQuote(ctx, part.offset, part.endOffset, part.text);
  },
};
