import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { objectUrl, s3Settings } from './s3';

const base = { S3_BUCKET: 'models', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret' };

function problemsOf(env: Record<string, string>): string {
  try {
    s3Settings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(503);
    expect((error as AppError).code).toBe('artifact_store_misconfigured');
    return (error as AppError).message;
  }
  throw new Error('expected the settings to be refused');
}

describe('s3Settings', () => {
  it('defaults to AWS in us-east-1 with virtual-hosted URLs', () => {
    const settings = s3Settings(base);
    expect(settings).toMatchObject({ bucket: 'models', prefix: '', region: 'us-east-1', forcePathStyle: false });
    expect(settings.endpoint.origin).toBe('https://s3.us-east-1.amazonaws.com');
    expect(objectUrl(settings, 'churn/1/abc').href).toBe('https://models.s3.us-east-1.amazonaws.com/churn/1/abc');
    expect(s3Settings({ ...base, S3_REGION: 'eu-west-3' }).endpoint.origin).toBe('https://s3.eu-west-3.amazonaws.com');
  });

  it('uses path-style URLs when S3_ENDPOINT is set, unless S3_FORCE_PATH_STYLE=false', () => {
    const minio = s3Settings({ ...base, S3_ENDPOINT: 'http://127.0.0.1:9000', S3_PREFIX: '/team a/artifacts/' });
    expect(minio).toMatchObject({ forcePathStyle: true, prefix: 'team a/artifacts' });
    expect(objectUrl(minio, 'churn/1/abc').href).toBe('http://127.0.0.1:9000/models/team%20a/artifacts/churn/1/abc');
    const vhost = s3Settings({ ...base, S3_ENDPOINT: 'https://storage.example.com', S3_FORCE_PATH_STYLE: 'false' });
    expect(objectUrl(vhost, 'k').href).toBe('https://models.storage.example.com/k');
  });

  it('names every missing or invalid variable at once, with how to fix it', () => {
    const missing = problemsOf({});
    expect(missing).toContain('S3_BUCKET is not set');
    expect(missing).toContain('S3_ACCESS_KEY_ID is not set');
    expect(missing).toContain('S3_SECRET_ACCESS_KEY is not set');

    const invalid = problemsOf({
      ...base,
      S3_BUCKET: 'Models_Bucket',
      S3_REGION: 'EU West',
      S3_ENDPOINT: 'minio:9000/path',
      S3_FORCE_PATH_STYLE: 'sometimes',
      S3_PREFIX: 'a/../b',
    });
    for (const name of ['S3_BUCKET must be', 'S3_REGION must be', 'S3_ENDPOINT must be', 'S3_FORCE_PATH_STYLE must be', 'S3_PREFIX must be']) {
      expect(invalid).toContain(name);
    }
    expect(problemsOf({ ...base, S3_ENDPOINT: 'http://127.0.0.1:9000/bucket' })).toContain('S3_ENDPOINT must be');
  });
});
