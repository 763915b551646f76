import { describe, expect, it } from 'vitest';
import { Pacer } from './pacer';

/** Plays a sender that sends as soon as each send is due, on a simulated clock. */
function sendTimes(pacer: Pacer, count: number, stallAt?: { index: number; untilMs: number }): number[] {
  const times: number[] = [];
  let clock = 0;
  for (let i = 0; i < count; i++) {
    if (stallAt && i === stallAt.index) clock = stallAt.untilMs;
    clock = Math.max(clock, pacer.nextDue(clock));
    times.push(clock);
    pacer.advance();
  }
  return times;
}

describe('Pacer', () => {
  it('spaces sends evenly at the rate, on an absolute schedule', () => {
    expect(sendTimes(new Pacer(20, 0), 5)).toEqual([0, 50, 100, 150, 200]);
    const third = sendTimes(new Pacer(3, 0), 301);
    expect(third[300]).toBeCloseTo(100_000, 6);
  });

  it('catches up a short delay without changing the rate', () => {
    // A 0.2 s hiccup: the four sends that fell due go out at once, then the schedule resumes.
    const times = sendTimes(new Pacer(20, 0), 10, { index: 2, untilMs: 300 });
    expect(times).toEqual([0, 50, 300, 300, 300, 300, 300, 350, 400, 450]);
  });

  it('restarts from now after a long stall instead of bursting the backlog', () => {
    const times = sendTimes(new Pacer(20, 0), 6, { index: 2, untilMs: 5_000 });
    expect(times).toEqual([0, 50, 5_000, 5_050, 5_100, 5_150]);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new Pacer(0, 0)).toThrow(/positive/);
  });
});
