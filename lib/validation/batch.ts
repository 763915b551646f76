import { z } from 'zod';
import { ZUuid } from './common';
import { ZEnvironmentName } from './registry';

export const ZBatchStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export const ZBatchFormat = z.enum(['csv', 'ndjson']);

export const ZBatchJobParams = z.object({ id: ZUuid });

export const ZBatchUploadQuery = z.strictObject({
  environment: ZEnvironmentName.optional().describe(
    'Monitoring environment the predictions are reported to. Default: `batch` when such an environment exists, else not reported.',
  ),
});

export const ZRunUploadQuery = z.strictObject({
  environment: ZEnvironmentName.optional().describe('As for batch jobs.'),
  label: z.string().trim().min(1).max(200).optional().describe('The column holding ground truth (default `label`); metrics are computed when rows carry it.'),
});

export const ZRunFromUri = z.strictObject({
  inputUri: z.string().trim().min(1).max(2000).describe('file:// under BATCH_INPUT_DIRS, or http(s):// allowed by the outbound policy; a name ending in .gz is inflated.'),
  format: ZBatchFormat,
  environment: ZEnvironmentName.optional(),
  label: z.string().trim().min(1).max(200).optional(),
});

export const ZRowError = z.object({ row: z.number().int().describe('1 = the first data row.'), reason: z.string() });

export const ZBatchJob = z
  .object({
    id: ZUuid,
    kind: z.enum(['batch', 'one_off']),
    model: z.string(),
    version: z.number().int(),
    status: ZBatchStatus,
    format: ZBatchFormat,
    source: z.string().describe('"upload", or the URI the input was read from.'),
    environment: z.string().nullable().describe('Where predictions are reported; null: not reported.'),
    inputSha256: z.string(),
    inputBytes: z.number().int(),
    rowsTotal: z.number().int(),
    rowsDone: z.number().int().describe('Rows processed (scored or failed).'),
    rowsFailed: z.number().int(),
    errors: z.array(ZRowError).describe('The first 100 row errors.'),
    rowsPerSecond: z.number().nullable(),
    etaSeconds: z.number().nullable(),
    failureReason: z.string().nullable(),
    labelColumn: z.string().nullable(),
    metrics: z.record(z.string(), z.unknown()).nullable(),
    outputUrl: z.string().nullable().describe('Present once rows are written.'),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'BatchJob' });
export type BatchJobView = z.infer<typeof ZBatchJob>;

export const ZBatchJobCreated = z.object({ id: ZUuid });
export const ZBatchJobList = z.object({ items: z.array(ZBatchJob) });

export const ZCreateBatchSchedule = z.strictObject({
  cron: z.string().trim().min(9).max(100).describe('Five fields (minute hour day month weekday), UTC, e.g. "0 2 * * *".'),
  inputUri: z.string().trim().min(1).max(2000),
  format: ZBatchFormat,
  environment: ZEnvironmentName.optional(),
});

export const ZBatchSchedule = z
  .object({
    id: ZUuid,
    model: z.string(),
    version: z.number().int(),
    cron: z.string(),
    inputUri: z.string(),
    format: ZBatchFormat,
    environment: z.string().nullable(),
    nextRunAt: z.string().nullable(),
    lastTickAt: z.string().nullable(),
    lastJobId: z.string().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'BatchSchedule' });
export const ZBatchScheduleList = z.object({ items: z.array(ZBatchSchedule) });
export const ZBatchScheduleParams = z.object({ id: ZUuid });
