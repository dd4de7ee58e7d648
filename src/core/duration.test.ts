import { strict as assert } from 'node:assert';
import { formatDuration, formatDurationShort, formatHours, formatSettingHours } from './duration';

describe('formatDuration: one duration formatter for lint and review', () => {
  it('says minutes, hours, then days and hours', () => {
    assert.equal(formatDuration(0.2), 'less than a minute');
    assert.equal(formatDuration(1), '1 minute');
    assert.equal(formatDuration(89), '89 minutes');
    assert.equal(formatDuration(90), '2 hours');
    assert.equal(formatDuration(24 * 60), '24 hours');
    assert.equal(formatDuration(48 * 60), '2 days');
    assert.equal(formatDuration((18 * 24 + 21) * 60), '18 days 21 hours');
    assert.equal(formatDuration(-3 * 24 * 60), '3 days');
  });
  it('rounds to the hour before splitting days: 199 days 23 hours 59 minutes is 200 days, in lint and in review alike', () => {
    const minutes = 200 * 24 * 60 - 1;
    assert.equal(formatDuration(minutes), '200 days');
    assert.equal(formatHours(minutes / 60), '200 days');
    assert.equal(formatHours(199 * 24 + 23), '199 days 23 hours');
    assert.equal(formatHours(1.5), '2 hours');
  });
});

describe('formatSettingHours: a schedule setting as written', () => {
  it('uses the largest whole unit of the duration syntax', () => {
    assert.equal(formatSettingHours(336), '2 weeks');
    assert.equal(formatSettingHours(168), '1 week');
    assert.equal(formatSettingHours(48), '2 days');
    assert.equal(formatSettingHours(24), '1 day');
    assert.equal(formatSettingHours(36), '36 hours');
    assert.equal(formatSettingHours(1), '1 hour');
  });
});

describe('formatDurationShort: the time to go in the Playbook view', () => {
  it('says minutes, hours and minutes, then days and hours', () => {
    assert.equal(formatDurationShort(0), '0 min');
    assert.equal(formatDurationShort(25.4), '25 min');
    assert.equal(formatDurationShort(59.6), '1 h');
    assert.equal(formatDurationShort(90), '1 h 30 min');
    assert.equal(formatDurationShort(23 * 60 + 59), '23 h 59 min');
    assert.equal(formatDurationShort(24 * 60), '1 d');
    assert.equal(formatDurationShort((3 * 24 + 4) * 60 + 59), '3 d 4 h');
  });
  it('drops the sign: the caller says "in" or "overdue by"', () => {
    assert.equal(formatDurationShort(-120), '2 h');
  });
});
