import { describe, expect, it } from 'vitest';
import { DAY, HISTORY_DRIFT, HOUR, HOURLY_VOLUME, historyRecordId, hourlyVolume, LABEL_DELAY_HOURS, planHour, shiftsAt } from './history';

const START = Date.UTC(2026, 9, 1);

describe('the demo history plan', () => {
  it('sends 20–60 records per model and hour, more in the afternoon than at night', () => {
    const volumes = Array.from({ length: 30 * 24 }, (_, h) => hourlyVolume('fraud-detector', START + h * HOUR));
    expect(Math.min(...volumes)).toBeGreaterThanOrEqual(HOURLY_VOLUME[0]);
    expect(Math.max(...volumes)).toBeLessThanOrEqual(HOURLY_VOLUME[1]);
    const atHour = (hour: number) => volumes.filter((_, h) => h % 24 === hour).reduce((a, b) => a + b, 0);
    expect(atHour(15)).toBeGreaterThan(2 * atHour(3));
  });

  it('plans the same records on every run, with ids unique across models and hours', () => {
    expect(planHour('churn-predictor', START)).toEqual(planHour('churn-predictor', START));
    const ids = ['churn-predictor', 'fraud-detector'].flatMap((model) =>
      Array.from({ length: 48 }, (_, h) => planHour(model, START + h * HOUR).map((r) => r.id)).flat(),
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(historyRecordId('fraud-detector', START + 5 * HOUR, 7)).toBe('demo-fraud-detector-2026100105-7');
  });

  it('puts each record inside its hour and its label 2–30 hours later, about 15 % never', () => {
    const records = Array.from({ length: 7 * 24 }, (_, h) => planHour('demand-forecast', START + h * HOUR).map((r) => ({ ...r, hour: START + h * HOUR }))).flat();
    for (const record of records) {
      expect(record.timestamp).toBeGreaterThanOrEqual(record.hour);
      expect(record.timestamp).toBeLessThan(record.hour + HOUR);
      expect(record.latencyMs).toBeGreaterThan(0);
      if (record.labelAt === null) continue;
      expect(record.labelAt - record.timestamp).toBeGreaterThanOrEqual(LABEL_DELAY_HOURS[0] * HOUR);
      expect(record.labelAt - record.timestamp).toBeLessThanOrEqual(LABEL_DELAY_HOURS[1] * HOUR);
    }
    const unlabelled = records.filter((r) => r.labelAt === null).length / records.length;
    expect(unlabelled).toBeGreaterThan(0.1);
    expect(unlabelled).toBeLessThan(0.2);
  });

  it('shifts only the drifting model, and only from the middle day of the window on', () => {
    const window = { from: START, to: START + 30 * DAY };
    expect(shiftsAt(HISTORY_DRIFT.model, START + 15 * DAY - 1, window)).toEqual([]);
    expect(shiftsAt(HISTORY_DRIFT.model, START + 15 * DAY, window)).toEqual([HISTORY_DRIFT.shift]);
    expect(shiftsAt('fraud-detector', START + 29 * DAY, window)).toEqual([]);
  });
});
