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
  it('leaves reported speech and stated reasons alone', () => {
    assert.deepEqual(only(lint("To say you can't renew online is like saying the post office is dead."), 'blind-statement'), []);
    assert.deepEqual(only(lint("Thinking that you can't do it?"), 'blind-statement'), []);
    assert.deepEqual(only(lint("You can't park on Mill Lane this week because the road is flooded."), 'blind-statement'), []);
  });
  it('leaves idioms of praise and directions alone', () => {
    assert.deepEqual(only(lint("You can't beat a bacon roll on a cold morning."), 'blind-statement'), []);
    assert.deepEqual(only(lint("Turn left at the bridge, you can't miss it."), 'blind-statement'), []);
    assert.deepEqual(only(lint("You can't go wrong with the soup."), 'blind-statement'), []);
  });
  it('does not treat a question as a claim', () => {
    assert.deepEqual(only(lint("You can't be serious?"), 'blind-statement'), []);
  });
});
