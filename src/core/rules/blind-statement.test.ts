import { strict as assert } from 'node:assert';
import { lint, only } from '../../../test/helpers';

describe('rule blind-statement', () => {
  it('flags an unqualified absolute claim', () => {
    const f = only(lint("You can't renew a passport online."), 'blind-statement');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'info');
  });
  it('accepts a qualified claim', () => {
    assert.deepEqual(only(lint("You can't renew online unless your old passport is valid."), 'blind-statement'), []);
    assert.deepEqual(only(lint("You can't park here until the works finish."), 'blind-statement'), []);
  });
  it('does not treat a question as a claim', () => {
    assert.deepEqual(only(lint("You can't be serious?"), 'blind-statement'), []);
  });
});
