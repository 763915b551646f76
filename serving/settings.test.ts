import { describe, expect, it } from 'vitest';
import { readSettings } from './settings';

const base: NodeJS.ProcessEnv = { NODE_ENV: 'test', MODEL_SERVER_TOKEN: 't' };

describe('reporting settings', () => {
  it('reports nothing without MODEL_SERVER_REPORT_URL, and defaults to a 10,000-record buffer flushed every second', () => {
    expect(readSettings(base).report).toBeNull();
    expect(readSettings({ ...base, MODEL_SERVER_REPORT_URL: 'http://127.0.0.1:3000/', MODEL_SERVER_REPORT_TOKEN: 'md_x' }).report).toEqual({
      url: 'http://127.0.0.1:3000',
      token: 'md_x',
      bufferSize: 10_000,
      intervalMs: 1000,
      batchSize: 1000,
    });
  });

  it('refuses values it cannot use, naming the variable', () => {
    expect(() => readSettings({ ...base, MODEL_SERVER_REPORT_URL: 'dashboard' })).toThrow(/MODEL_SERVER_REPORT_URL must be the dashboard's base URL/);
    expect(() => readSettings({ ...base, MODEL_SERVER_REPORT_URL: 'ftp://x' })).toThrow(/must be an http\(s\) URL/);
    expect(() => readSettings({ ...base, MODEL_SERVER_REPORT_URL: 'http://x', MODEL_SERVER_REPORT_BUFFER: '0' })).toThrow(/MODEL_SERVER_REPORT_BUFFER must be a positive whole number/);
    expect(() => readSettings({ ...base, MODEL_SERVER_REPORT_URL: 'http://x', MODEL_SERVER_REPORT_INTERVAL_MS: '1.5s' })).toThrow(/MODEL_SERVER_REPORT_INTERVAL_MS/);
  });
});
