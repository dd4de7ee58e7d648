import { strict as assert } from 'node:assert';
import { lint, only } from '../../../test/helpers';

describe('rule context-free', () => {
  it('flags a post opening on an unresolved pronoun', () => {
    const f = only(lint('He said it best. We agree.'), 'context-free');
    assert.equal(f.length, 1);
    assert.equal(f[0].column, 1);
    assert.equal(f[0].endColumn, 3);
    assert.equal(only(lint('This is huge!'), 'context-free').length, 1);
  });
  it('accepts a demonstrative that names its own thing', () => {
    assert.deepEqual(only(lint('This week the library opens late on Thursday.'), 'context-free'), []);
    assert.deepEqual(only(lint('It was a long week at the depot.'), 'context-free'), []);
  });
  it('leaves sign-offs alone', () => {
    assert.deepEqual(only(lint("That's all from the depot tonight, see you tomorrow."), 'context-free'), []);
    assert.deepEqual(only(lint("That's it for today's updates."), 'context-free'), []);
  });
  it('flags a bare link and a link with only "read more"', () => {
    assert.equal(only(lint('https://example.com/news/123'), 'context-free').length, 1);
    assert.equal(only(lint('Read more here: https://example.com/news/123'), 'context-free').length, 1);
  });
  it('accepts a link with a reason to click', () => {
    assert.deepEqual(only(lint('New bus times for the 42 from Monday: https://example.com/42'), 'context-free'), []);
  });
  it('flags an unsourced quote, accepts an attributed one', () => {
    assert.equal(only(lint('> Libraries are the last free room in town.'), 'context-free').length, 1);
    assert.equal(only(lint('“Libraries are the last free room in town.”'), 'context-free').length, 1);
    assert.deepEqual(only(lint('> Libraries are the last free room in town.\n\n— Maya, our librarian'), 'context-free'), []);
  });
  it('checks the first thread part only', () => {
    assert.deepEqual(only(lint('The 42 is back.\n\n---\n\nThis is why we love our drivers.'), 'context-free'), []);
  });
});
