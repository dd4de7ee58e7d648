import { strict as assert } from 'node:assert';
import { lint, only } from '../../../test/helpers';

describe('rule non-apology', () => {
  it('flags a non-apology at the severity the playbook sets', () => {
    const f = only(lint('We apologise for any inconvenience caused.'), 'non-apology');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'error');
    assert.equal(f[0].column, 14);
    assert.match(f[0].message, /non-apology/);
  });
  it('flags the passive "mistakes were made" and offers the active voice', () => {
    const f = only(lint('Mistakes were made, and we are reviewing them.'), 'non-apology');
    assert.equal(f.length, 1);
    assert.equal(f[0].suggestions[0].text, 'We made a mistake');
  });
  it('leaves a real apology alone', () => {
    assert.deepEqual(only(lint("We got your delivery date wrong and we're sorry. A new one is on its way today."), 'non-apology'), []);
  });
});
