import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EMPTY_PAYLOAD_SHA256, amzDate, encodeKeyPath, presignV4, signV4, uriEncode } from './s3-signature';

// The worked examples of "Authenticating Requests: Using the Authorization Header (AWS
// Signature Version 4)" in the Amazon S3 API reference.
const options = {
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  region: 'us-east-1',
  date: new Date('2013-05-24T00:00:00Z'),
};
const host = 'https://examplebucket.s3.amazonaws.com';

describe('signV4 against the AWS S3 documentation', () => {
  it('GET Object with a Range header', () => {
    const signed = signV4(
      { method: 'GET', url: new URL(`${host}/test.txt`), headers: { Range: 'bytes=0-9' }, payloadSha256: EMPTY_PAYLOAD_SHA256 },
      options,
    );
    expect(signed.canonicalRequest).toBe(
      [
        'GET',
        '/test.txt',
        '',
        'host:examplebucket.s3.amazonaws.com',
        'range:bytes=0-9',
        'x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-amz-date:20130524T000000Z',
        '',
        'host;range;x-amz-content-sha256;x-amz-date',
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      ].join('\n'),
    );
    expect(signed.stringToSign).toBe(
      'AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972',
    );
    expect(signed.signature).toBe('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
    expect(signed.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('PUT Object: a key with a character to encode, a signed payload and an extra header', () => {
    const payload = createHash('sha256').update('Welcome to Amazon S3.').digest('hex');
    expect(payload).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
    const url = new URL(`${host}/${encodeKeyPath('test$file.text')}`);
    expect(url.pathname).toBe('/test%24file.text');
    const signed = signV4(
      {
        method: 'PUT',
        url,
        headers: { Date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
        payloadSha256: payload,
      },
      options,
    );
    expect(signed.headers.authorization).toContain('SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,');
    expect(signed.signature).toBe('98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd');
  });

  it('GET Bucket Lifecycle: a query parameter without a value', () => {
    const signed = signV4({ method: 'GET', url: new URL(`${host}/?lifecycle`), payloadSha256: EMPTY_PAYLOAD_SHA256 }, options);
    expect(signed.canonicalRequest.split('\n')[2]).toBe('lifecycle=');
    expect(signed.signature).toBe('fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543');
  });

  it('GET Bucket (list objects): query parameters sorted by name', () => {
    const signed = signV4({ method: 'GET', url: new URL(`${host}/?prefix=J&max-keys=2`), payloadSha256: EMPTY_PAYLOAD_SHA256 }, options);
    expect(signed.canonicalRequest.split('\n')[2]).toBe('max-keys=2&prefix=J');
    expect(signed.signature).toBe('34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7');
  });
});

describe('presignV4 against the AWS S3 documentation', () => {
  // "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)": the
  // presigned GET of examplebucket/test.txt, valid 86400 s from 20130524T000000Z.
  it('reproduces the documented presigned GET URL, signature last', () => {
    const url = presignV4({ method: 'GET', url: new URL(`${host}/test.txt`) }, { ...options, expiresSeconds: 86_400 });
    expect(url.href).toBe(
      'https://examplebucket.s3.amazonaws.com/test.txt' +
        '?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
        '&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
        '&X-Amz-Date=20130524T000000Z' +
        '&X-Amz-Expires=86400' +
        '&X-Amz-SignedHeaders=host' +
        '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
  });

  it('binds the signature to the key, the validity and the secret', () => {
    const sign = (path: string, expiresSeconds: number, secretAccessKey = options.credentials.secretAccessKey) =>
      presignV4({ method: 'GET', url: new URL(`${host}${path}`) }, { ...options, credentials: { ...options.credentials, secretAccessKey }, expiresSeconds }).searchParams.get('X-Amz-Signature');
    const reference = sign('/test.txt', 900);
    expect(reference).toMatch(/^[0-9a-f]{64}$/);
    expect(sign('/test2.txt', 900)).not.toBe(reference);
    expect(sign('/test.txt', 901)).not.toBe(reference);
    expect(sign('/test.txt', 900, 'other')).not.toBe(reference);
  });

  it('refuses a validity S3 would not accept', () => {
    for (const expiresSeconds of [0, -1, 1.5, 604_801]) {
      expect(() => presignV4({ method: 'GET', url: new URL(`${host}/test.txt`) }, { ...options, expiresSeconds })).toThrow(/1 to 604800/);
    }
  });
});

describe('encoding', () => {
  it('encodes every byte outside the unreserved set, including the ones encodeURIComponent keeps', () => {
    expect(uriEncode("a b!'()*~._-")).toBe('a%20b%21%27%28%29%2A~._-');
    expect(uriEncode('é')).toBe('%C3%A9');
    expect(encodeKeyPath('models/churn v2/1/abc+def')).toBe('models/churn%20v2/1/abc%2Bdef');
  });

  it('writes x-amz-date without separators or milliseconds', () => {
    expect(amzDate(new Date('2024-02-29T13:04:05.678Z'))).toBe('20240229T130405Z');
  });

  it('binds the signature to the key, the secret and the payload', () => {
    const base = { method: 'PUT', url: new URL(`${host}/a/1/x`), payloadSha256: EMPTY_PAYLOAD_SHA256 };
    const reference = signV4(base, options).signature;
    expect(signV4({ ...base, url: new URL(`${host}/a/1/y`) }, options).signature).not.toBe(reference);
    expect(signV4(base, { ...options, credentials: { ...options.credentials, secretAccessKey: 'other' } }).signature).not.toBe(reference);
    expect(signV4({ ...base, payloadSha256: 'f'.repeat(64) }, options).signature).not.toBe(reference);
  });
});
