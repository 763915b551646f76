import { describe, expect, it } from 'vitest';
import { ZRequestPromotionForm } from './registry-forms';

const base = { name: 'fraud-detector', version: '4', environment: 'production' };

describe('ZRequestPromotionForm', () => {
  it('turns a canary with steps and an interval into the API strategy', () => {
    const parsed = ZRequestPromotionForm.parse({ ...base, strategy: 'canary', steps: '10, 50,100', intervalSeconds: ' 30 ', percent: '' });
    expect(parsed.input.strategy).toEqual({ type: 'canary', steps: [10, 50, 100], intervalSeconds: 30 });
  });

  it('leaves the interval to the environment when the field is empty, and ignores the other strategy\'s field', () => {
    expect(ZRequestPromotionForm.parse({ ...base, strategy: 'canary', intervalSeconds: '', percent: '40' }).input.strategy).toEqual({ type: 'canary' });
    expect(ZRequestPromotionForm.parse({ ...base, strategy: 'shadow', steps: '10,100', intervalSeconds: '5', percent: '40' }).input.strategy).toEqual({ type: 'shadow', percent: 40 });
    expect(ZRequestPromotionForm.parse({ ...base, strategy: 'replace', intervalSeconds: '5', percent: '40' }).input.strategy).toEqual({ type: 'replace' });
  });

  it('names the field that is wrong', () => {
    const badInterval = ZRequestPromotionForm.safeParse({ ...base, strategy: 'canary', intervalSeconds: 'soon' });
    expect(badInterval.error?.issues[0]).toMatchObject({ path: ['intervalSeconds'], message: 'Write a whole number.' });
    const zeroShare = ZRequestPromotionForm.safeParse({ ...base, strategy: 'shadow', percent: '0' });
    expect(zeroShare.error?.issues[0]?.path).toEqual(['percent']);
    const tooLong = ZRequestPromotionForm.safeParse({ ...base, strategy: 'canary', intervalSeconds: '7200' });
    expect(tooLong.error?.issues[0]?.path).toEqual(['intervalSeconds']);
  });
});
