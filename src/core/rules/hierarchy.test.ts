import { strict as assert } from 'node:assert';
import { lint, only } from '../../../test/helpers';

describe('rule hierarchy', () => {
  it('flags title-dropping', () => {
    const f = only(lint('On behalf of the Chief Executive, thank you all.'), 'hierarchy');
    assert.equal(f.length, 1);
    assert.equal(f[0].column, 1);
  });
  it('flags rank as a reason, with a suggestion', () => {
    const f = only(lint('Senior leadership has decided to close the café.'), 'hierarchy');
    assert.equal(f[0].suggestions[0].text, 'We decided');
  });
  it('leaves a named person speaking for themselves alone', () => {
    assert.deepEqual(only(lint('Our chief executive, Ana, will be at the café on Friday to answer questions.'), 'hierarchy'), []);
  });
});
