import { strict as assert } from 'node:assert';
import { expandWord, tokenize, words } from './text';

describe('tokenize', () => {
  it("reads words named like Object.prototype's properties as the words they are", () => {
    for (const w of ['constructor', 'hasOwnProperty', 'toString', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable']) {
      assert.deepEqual(words(`The ${w} arrived.`), ['the', w.toLowerCase(), 'arrived']);
      assert.deepEqual(expandWord(w.toLowerCase()), [w.toLowerCase()]);
    }
  });
  it('expands contractions, irregular ones included, over the one source range', () => {
    assert.deepEqual(words("We can't, won't and let's; it's y'all."), [
      'we',
      'can',
      'not',
      'will',
      'not',
      'and',
      'let',
      'us',
      'it',
      'is',
      'you',
      'all',
    ]);
    const t = tokenize("can't");
    assert.deepEqual(
      t.map((x) => [x.norm, x.start, x.end]),
      [
        ['can', 0, 5],
        ['not', 0, 5],
      ],
    );
  });
});
