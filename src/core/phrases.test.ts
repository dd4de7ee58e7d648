import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { PhraseIndex, phraseKeys } from './phrases';
import { tokenize, expandWord, slug } from './text';

const entry = (phrase: string, ruleId = 'r') => ({ ruleId, phrase, suggestions: [], file: '/p.md', line: 1 });

describe('text normalisation', () => {
  it('expands contractions both ways', () => {
    assert.deepEqual(expandWord("we're"), ['we', 'are']);
    assert.deepEqual(expandWord("can't"), ['can', 'not']);
    assert.deepEqual(expandWord('cannot'), ['can', 'not']);
    assert.deepEqual(expandWord("won't"), ['will', 'not']);
    assert.deepEqual(expandWord("it's"), ['it', 'is']);
    assert.deepEqual(expandWord("council's"), ["council's"], 'a possessive stays one word');
  });
  it('marks sentence boundaries and keeps source offsets', () => {
    const t = tokenize('Going. Forward’s fine');
    assert.deepEqual(
      t.map((x) => [x.norm, x.start, x.end, x.breakBefore]),
      [
        ['going', 0, 5, false],
        ["forward's", 7, 16, true],
        ['fine', 17, 21, false],
      ],
    );
  });
  it('slugs headings like GitHub', () => {
    assert.equal(slug('Authority voice'), 'authority-voice');
    assert.equal(slug("Don't say: jargon!"), 'dont-say-jargon');
  });
});

describe('PhraseIndex', () => {
  it('finds leftmost-longest, non-overlapping matches', () => {
    const idx = new PhraseIndex();
    idx.add(entry('going forward'));
    idx.add(entry('going forward we will'));
    const m = idx.match(tokenize('Going forward we will, going forward.'));
    assert.deepEqual(
      m.map((x) => x.entry.phrase),
      ['going forward we will', 'going forward'],
    );
  });
  it('binds placeholders to exactly one word', () => {
    const idx = new PhraseIndex();
    idx.add(entry('in line with {source} advice'));
    assert.equal(idx.match(tokenize('in line with NHS advice')).length, 1);
    assert.equal(idx.match(tokenize('in line with advice')).length, 0);
    assert.equal(idx.match(tokenize('in line with the NHS advice')).length, 0);
    assert.equal(idx.match(tokenize('in line with NHS advice'))[0].bindings.source, 'nhs');
  });
  it('keeps placeholder names per phrase, even where two phrases share a placeholder edge', () => {
    const idx = new PhraseIndex();
    idx.add(entry('in line with {source} advice'));
    idx.add(entry('in line with {who} {body} advice'));
    assert.deepEqual(idx.match(tokenize('in line with NHS advice'))[0].bindings, { source: 'nhs' });
    assert.deepEqual(idx.match(tokenize('in line with UK Government advice'))[0].bindings, { who: 'uk', body: 'government' });
  });
  it('prefers the exact phrase over a placeholder phrase of the same length', () => {
    const idx = new PhraseIndex();
    idx.add(entry('apologise for any {thing}'));
    idx.add(entry('apologise for any inconvenience'));
    assert.equal(idx.match(tokenize('We apologise for any inconvenience'))[0].entry.phrase, 'apologise for any inconvenience');
  });
  it('keeps placeholders as keys', () => {
    assert.deepEqual(phraseKeys('on behalf of {name}'), ['on', 'behalf', 'of', '{name}']);
  });
  it('property: a phrase embedded in any text is found, whatever the spacing and case', () => {
    const word = fc.stringMatching(/^[a-z]{2,8}$/);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 5 }),
        fc.array(word, { maxLength: 10 }),
        fc.array(word, { maxLength: 10 }),
        fc.constantFrom(' ', '  ', '\n', ' \n  '),
        (phrase, before, after, sep) => {
          const idx = new PhraseIndex();
          idx.add(entry(phrase.join(' ')));
          const text = [...before, phrase.map((w, i) => (i % 2 ? w.toUpperCase() : w)).join(sep), ...after].join(' ');
          const matches = idx.match(tokenize(text));
          return matches.length >= 1;
        },
      ),
      { numRuns: 300 },
    );
  });
  it('property: matching cost does not depend on how many phrases there are (same matches with decoys)', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{3,6}$/), { minLength: 3, maxLength: 30 }), (words) => {
        const small = new PhraseIndex();
        small.add(entry(`${words[0]} ${words[1]}`));
        const big = new PhraseIndex();
        big.add(entry(`${words[0]} ${words[1]}`));
        for (let i = 0; i < 200; i++) big.add(entry(`zz${i} qq${i}`));
        const t = tokenize(words.join(' '));
        return JSON.stringify(small.match(t).map((m) => [m.start, m.end])) === JSON.stringify(big.match(t).map((m) => [m.start, m.end]));
      }),
      { numRuns: 100 },
    );
  });
});
