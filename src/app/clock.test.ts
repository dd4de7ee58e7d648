import { strict as assert } from 'node:assert';
import { clockError, parseClock } from './clock';

describe('use case: clock (--now)', () => {
  it('accepts a date-time with an offset', () => {
    assert.equal(parseClock('2026-03-01T09:00:00Z')?.toISOString(), '2026-03-01T09:00:00.000Z');
    assert.equal(parseClock('2026-03-01T09:00+05:30')?.toISOString(), '2026-03-01T03:30:00.000Z');
    assert.equal(parseClock(' 2026-03-01T09:00:00Z ')?.toISOString(), '2026-03-01T09:00:00.000Z');
  });
  it('accepts a bare date as midnight UTC (lint and review did; publish refused it)', () => {
    assert.equal(parseClock('2026-03-01')?.toISOString(), '2026-03-01T00:00:00.000Z');
  });
  it('refuses dates that are not on the calendar, local times and words', () => {
    assert.equal(parseClock('2026-02-30'), undefined, 'JavaScript would roll this over to 2 March');
    assert.equal(parseClock('2026-02-29T09:00:00Z'), undefined);
    assert.equal(parseClock('2026-03-01T09:00:00'), undefined, 'no offset: ambiguous');
    assert.equal(parseClock('tomorrow'), undefined);
    assert.equal(parseClock(''), undefined);
  });
  it('names the option and both accepted shapes in its message', () => {
    assert.match(clockError('--now', 'tomorrow'), /^--now "tomorrow" is not .*2026-03-01T09:00:00Z.*2026-03-01$/);
  });
});
