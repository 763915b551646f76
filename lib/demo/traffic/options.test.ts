import { describe, expect, it } from 'vitest';
import { parseDuration, parseShift, parseTrafficArgs, TRAFFIC_USAGE } from './options';

describe('demo traffic options', () => {
  it('defaults to 20 requests per second to production on the local model server, until Ctrl-C', () => {
    expect(parseTrafficArgs([], {})).toEqual({
      server: 'http://127.0.0.1:8090',
      environment: 'production',
      rate: 20,
      batch: 1,
      durationSeconds: null,
      maxRequests: null,
      shifts: [],
      seed: 1,
      statusEverySeconds: 5,
      labels: { dashboard: 'http://127.0.0.1:3000', delaySeconds: 30, share: 1 },
    });
    expect(parseTrafficArgs([], { MODEL_SERVER_URL: 'http://models.internal:9000/' })?.server).toBe('http://models.internal:9000');
    // The embedded model server of `npm start` moved with MODEL_SERVER_PORT.
    expect(parseTrafficArgs([], { MODEL_SERVER_PORT: '8220' })?.server).toBe('http://127.0.0.1:8220');
  });

  it('reads the label options, with the dashboard from MODELDECK_URL or PORT', () => {
    expect(parseTrafficArgs(['--label-delay', '2m', '--label-share=0.25', '--dashboard', 'https://deck.example/'], {})?.labels).toEqual({
      dashboard: 'https://deck.example',
      delaySeconds: 120,
      share: 0.25,
    });
    expect(parseTrafficArgs([], { MODELDECK_URL: 'http://deck:8080/' })?.labels.dashboard).toBe('http://deck:8080');
    expect(parseTrafficArgs([], { PORT: '3462' })?.labels.dashboard).toBe('http://127.0.0.1:3462');
    expect(() => parseTrafficArgs(['--label-share', '1.5'], {})).toThrow(/--label-share must be a number from 0 to 1/);
    expect(() => parseTrafficArgs(['--label-delay', 'soon'], {})).toThrow(/--label-delay must look like/);
  });

  it('reads every option, in both --flag value and --flag=value forms, with repeatable shifts', () => {
    const options = parseTrafficArgs(
      ['--rate', '50', '--duration=5m', '--batch', '4', '--environment', 'staging', '--shift', 'feature=amount,factor=1.5', '--shift=feature=tenure_months,offset=-3,model=churn-predictor', '--seed', '7', '--count', '100'],
      {},
    );
    expect(options).toMatchObject({
      rate: 50,
      durationSeconds: 300,
      batch: 4,
      environment: 'staging',
      seed: 7,
      maxRequests: 100,
      shifts: [{ feature: 'amount', factor: 1.5 }, { feature: 'tenure_months', offset: -3, model: 'churn-predictor' }],
    });
    expect(parseTrafficArgs(['--help'], {})).toBeNull();
    // --help documents how to make drift appear.
    expect(TRAFFIC_USAGE).toMatch(/--shift <spec> +shift a feature: feature=amount,factor=1\.5/);
    expect(TRAFFIC_USAGE).toMatch(/--label-delay/);
  });

  it('reads durations in seconds, minutes and hours', () => {
    expect([parseDuration('90'), parseDuration('30s'), parseDuration('2m'), parseDuration('1h'), parseDuration('500ms')]).toEqual([90, 30, 120, 3600, 0.5]);
    expect(() => parseDuration('soon')).toThrow('--duration must look like 90, 30s, 5m or 1h, got "soon".');
  });

  it('explains what is wrong with a bad command line', () => {
    expect(() => parseTrafficArgs(['--rate', '0'], {})).toThrow('--rate must be a positive number, got "0".');
    expect(() => parseTrafficArgs(['--batch', '1.5'], {})).toThrow('--batch must be a positive whole number');
    expect(() => parseTrafficArgs(['--rate'], {})).toThrow('--rate needs a value.');
    expect(() => parseTrafficArgs(['--fast'], {})).toThrow('Unknown option "--fast".');
    expect(() => parseTrafficArgs(['--server', 'localhost:8090'], {})).toThrow(/must be an http\(s\) URL/);
    expect(() => parseShift('feature=amount')).toThrow(/give factor=… and\/or offset=…/);
    expect(() => parseShift('factor=2')).toThrow(/feature=… is required/);
    expect(() => parseShift('feature=amount,factor=big')).toThrow(/factor must be a number, got "big"/);
    expect(() => parseShift('feature=amount,scale=2')).toThrow(/unknown key "scale"/);
    expect(() => parseShift('feature=amount,factor=2,model=churn-predictor')).toThrow(/churn-predictor has no feature "amount"; its features are tenure_months/);
    expect(() => parseShift('feature=amount,factor=2,model=fraud')).toThrow(/no demo model "fraud"/);
    expect(() => parseShift('feature=ammount,factor=2')).toThrow(/no demo model has a feature "ammount"\. Features by model — fraud-detector: amount/);
  });
});
