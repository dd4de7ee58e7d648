import { strict as assert } from 'node:assert';
import { lint, only } from '../../../test/helpers';

describe('rule deflection', () => {
  it('flags silo deflection', () => {
    const f = only(lint('For refunds please contact the relevant department.'), 'deflection');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /silo/);
  });
  it('flags "outside our remit"', () => {
    assert.equal(only(lint('I am afraid that is outside our remit.'), 'deflection').length, 1);
  });
  it('leaves a warm hand-over alone', () => {
    assert.deepEqual(only(lint("I've passed this to Maya in refunds; she'll message you today."), 'deflection'), []);
  });
});
