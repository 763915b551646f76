import { csvFormat } from './csv';
import { ndjsonFormat } from './ndjson';
import type { BatchInputFormat } from './types';

/** Every batch input format, by name (the `format` column of batch jobs and schedules). */
export const BATCH_FORMATS = { csv: csvFormat, ndjson: ndjsonFormat } as const satisfies Record<string, BatchInputFormat>;
export type BatchFormatName = keyof typeof BATCH_FORMATS;

/** The format a Content-Type names (parameters ignored), or null. */
export function formatForContentType(contentType: string | null): BatchInputFormat | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/ndjson') return ndjsonFormat;
  return Object.values(BATCH_FORMATS).find((format) => format.contentType === type) ?? null;
}

export type { BatchInputFormat } from './types';
