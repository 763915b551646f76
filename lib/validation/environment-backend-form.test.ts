import { describe, expect, it } from 'vitest';
import { ZEnvironmentBackendForm } from './deployments';

describe('environment backend form', () => {
  it('turns the KServe fields into its config, leaving empty ones to the defaults', () => {
    const parsed = ZEnvironmentBackendForm.parse({
      environment: 'production',
      type: 'kserve',
      namespace: ' models ',
      ingressBaseUrl: '',
      cpu: '500m',
      memory: '',
      gpu: '1',
      timeoutSeconds: '',
      secret: 'apiVersion: v1',
      url: 'http://ignored-for-kserve',
    });
    expect(parsed.input).toMatchObject({ type: 'kserve', config: { namespace: 'models', resources: { cpu: '500m', gpu: 1 } }, secret: 'apiVersion: v1' });
    expect(Object.keys(parsed.input.config).sort()).toEqual(['namespace', 'resources']);
  });

  it('keeps the reference model server fields for the local backend', () => {
    const parsed = ZEnvironmentBackendForm.parse({ environment: 'staging', url: 'http://127.0.0.1:8090', namespace: 'ignored' });
    expect(parsed.input).toMatchObject({ type: 'local', config: { url: 'http://127.0.0.1:8090' } });
    expect(parsed.input.config).not.toHaveProperty('namespace');
  });

  it('refuses a GPU count that is not a whole number', () => {
    expect(ZEnvironmentBackendForm.safeParse({ environment: 'production', type: 'kserve', namespace: 'models', gpu: '1.5' }).success).toBe(false);
  });
});
