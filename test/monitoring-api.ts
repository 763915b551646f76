import { gzipSync } from 'node:zlib';
import { POST as labelsRoute } from '@/app/api/v1/labels/route';
import { POST as referenceRoute } from '@/app/api/v1/models/[name]/versions/[version]/reference/route';
import { POST as predictionsRoute } from '@/app/api/v1/predictions/route';
import { call } from './helpers';

type Format = { ndjson?: boolean; gzip?: boolean };

function encode(header: Record<string, unknown>, records: unknown[], format: Format) {
  const text = format.ndjson
    ? [header, ...records].map((line) => JSON.stringify(line)).join('\n') + '\n'
    : JSON.stringify({ ...header, records });
  const headers: Record<string, string> = { 'content-type': format.ndjson ? 'application/x-ndjson' : 'application/json' };
  if (format.gzip) headers['content-encoding'] = 'gzip';
  return { rawBody: format.gzip ? new Uint8Array(gzipSync(text)) : text, headers };
}

/** The monitoring REST endpoints, called through their route handlers with real Requests. */
export const monitoringApi = {
  predictions: (token: string | undefined, header: Record<string, unknown>, records: unknown[], format: Format = {}) =>
    call(predictionsRoute, { path: '/api/v1/predictions', method: 'POST', token, ...encode(header, records, format) }),
  labels: (token: string | undefined, header: Record<string, unknown>, records: unknown[], format: Format = {}) =>
    call(labelsRoute, { path: '/api/v1/labels', method: 'POST', token, ...encode(header, records, format) }),
  rawPredictions: (token: string, rawBody: string | Uint8Array, headers: Record<string, string>) =>
    call(predictionsRoute, { path: '/api/v1/predictions', method: 'POST', token, rawBody, headers }),
  reference: (token: string | undefined, name: string, version: number, json: unknown) =>
    call(referenceRoute, {
      path: `/api/v1/models/${name}/versions/${version}/reference`,
      token,
      json,
      params: { name, version: String(version) },
    }),
};
