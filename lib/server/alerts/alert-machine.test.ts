import { describe, expect, it } from 'vitest';
import { nextAlertStatus, nextAlertStatusOrThrow } from './alert-machine';

describe('alert lifecycle', () => {
  it('goes firing → acknowledged → resolved', () => {
    expect(nextAlertStatus('firing', 'acknowledge')).toBe('acknowledged');
    expect(nextAlertStatus('acknowledged', 'resolve')).toBe('resolved');
    expect(nextAlertStatus('firing', 'resolve')).toBe('resolved');
  });

  it('keeps an acknowledged alert acknowledged when the condition persists', () => {
    expect(nextAlertStatus('acknowledged', 'refire')).toBe('acknowledged');
  });

  it('refuses to acknowledge twice or to touch a resolved alert, with a 409', () => {
    expect(nextAlertStatus('acknowledged', 'acknowledge')).toBeNull();
    expect(() => nextAlertStatusOrThrow('resolved', 'resolve')).toThrow(/resolved; it cannot be resolved/);
    expect(() => nextAlertStatusOrThrow('resolved', 'acknowledge')).toThrow(expect.objectContaining({ status: 409 }));
  });
});
