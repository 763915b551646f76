import { defineEndpoint } from '../contract';
import {
  ZBatchJob,
  ZBatchJobCreated,
  ZBatchJobList,
  ZBatchJobParams,
  ZBatchSchedule,
  ZBatchScheduleList,
  ZBatchScheduleParams,
  ZBatchUploadQuery,
  ZCreateBatchSchedule,
  ZRunUploadQuery,
} from '@/lib/validation/batch';
import { ZVersionParams } from '@/lib/validation/registry';

const INPUT =
  'The body is the input file, streamed to storage: `text/csv` with a header row, or `application/x-ndjson` (one JSON object per line); `Content-Encoding: gzip` is accepted. Columns are matched to the version\'s features by name. Limit: BATCH_MAX_INPUT_BYTES (default 1 GiB, counted after inflating) → 413; another Content-Type or encoding → 415; a body that is not the declared format (binary, a broken header, a first line that is not a JSON object) or has no rows → 422 — all before any job exists. 409 `no_stored_artifact` / 422 `not_onnx` when the version cannot be scored.';

export const createBatchJob = defineEndpoint({
  method: 'POST',
  path: '/api/v1/models/{name}/versions/{version}/batch-jobs',
  tag: 'Batch',
  summary: 'Start a batch scoring job over an uploaded file',
  description: `${INPUT} Answers 202 with the job id; the job runs in chunks committed every BATCH_CHUNK_ROWS rows (default 100,000) or BATCH_COMMIT_MS (default 1 s) and resumes after its last committed chunk if its worker dies. Predictions are reported to monitoring with record ids \`<jobId>:<row>\`.`,
  auth: 'user',
  permission: 'deployments:operate',
  params: ZVersionParams,
  query: ZBatchUploadQuery,
  consumes: 'text/csv',
  response: ZBatchJobCreated,
  successStatus: 202,
  errors: [400, 404, 409, 413, 415, 422],
});

export const listBatchJobs = defineEndpoint({
  method: 'GET',
  path: '/api/v1/models/{name}/versions/{version}/batch-jobs',
  tag: 'Batch',
  summary: "A version's batch jobs, newest first (50)",
  auth: 'user',
  permission: 'models:read',
  params: ZVersionParams,
  response: ZBatchJobList,
  errors: [404],
});

export const getBatchJob = defineEndpoint({
  method: 'GET',
  path: '/api/v1/batch-jobs/{id}',
  tag: 'Batch',
  summary: 'A batch job: status, row counts, the first 100 row errors, throughput and ETA',
  auth: 'user',
  permission: 'models:read',
  params: ZBatchJobParams,
  response: ZBatchJob,
  errors: [404],
});

export const downloadBatchOutput = defineEndpoint({
  method: 'GET',
  path: '/api/v1/batch-jobs/{id}/output',
  tag: 'Batch',
  summary: 'The output: the input rows plus the prediction columns, in the input format (streamed)',
  description:
    'CSV: the input header and rows with one column per model output (`name`, or `name_j` for wider outputs) and an `error` column, filled for rows that could not be scored. NDJSON: each input object with the output fields added, or an `error` field. While a job runs, the rows of its committed chunks. 409 `no_output` before the first chunk.',
  auth: 'user',
  permission: 'models:read',
  params: ZBatchJobParams,
  produces: 'text/csv',
  errors: [404, 409],
});

export const cancelBatchJob = defineEndpoint({
  method: 'POST',
  path: '/api/v1/batch-jobs/{id}/cancel',
  tag: 'Batch',
  summary: 'Cancel a queued or running batch job (or one-off run)',
  description: 'A running job stops at its next chunk; the chunks committed before stay in the output. 409 `invalid_transition` when it has already finished (or another cancel won).',
  auth: 'user',
  permission: 'deployments:operate',
  params: ZBatchJobParams,
  response: ZBatchJob,
  errors: [404, 409],
});

export const createBatchSchedule = defineEndpoint({
  method: 'POST',
  path: '/api/v1/models/{name}/versions/{version}/batch-schedules',
  tag: 'Batch',
  summary: 'Schedule a batch job with a cron expression over an input URI',
  description:
    'At each tick (five-field cron, UTC) a normal batch job is created from `inputUri`: file:// under BATCH_INPUT_DIRS, or http(s):// under the outbound address policy (a name ending in .gz is inflated). The job acts as the schedule\'s creator.',
  auth: 'user',
  permission: 'deployments:operate',
  params: ZVersionParams,
  body: ZCreateBatchSchedule,
  response: ZBatchSchedule,
  successStatus: 201,
  errors: [404, 422],
});

export const listBatchSchedules = defineEndpoint({
  method: 'GET',
  path: '/api/v1/models/{name}/versions/{version}/batch-schedules',
  tag: 'Batch',
  summary: "A version's batch schedules",
  auth: 'user',
  permission: 'models:read',
  params: ZVersionParams,
  response: ZBatchScheduleList,
  errors: [404],
});

export const deleteBatchSchedule = defineEndpoint({
  method: 'DELETE',
  path: '/api/v1/batch-schedules/{id}',
  tag: 'Batch',
  summary: 'Delete a batch schedule (its jobs stay)',
  auth: 'user',
  permission: 'deployments:operate',
  params: ZBatchScheduleParams,
  successStatus: 204,
  errors: [404],
});

export const createRun = defineEndpoint({
  method: 'POST',
  path: '/api/v1/models/{name}/versions/{version}/runs',
  tag: 'Batch',
  summary: 'Run a version once over a dataset, kept as a tracked run',
  description: `${INPUT} Or send JSON \`{inputUri, format, environment?, label?}\` to read the dataset from a URI (as batch schedules do). The run records who, when, the input sha256, the row count and the output; when rows carry the label column (\`label\`, or ?label=) its metrics are computed (classification: accuracy, precision, recall, F1, AUC, log loss; regression: MAE, RMSE, R²). A finished run is immutable (a database trigger refuses UPDATE and DELETE).`,
  auth: 'user',
  permission: 'deployments:operate',
  params: ZVersionParams,
  query: ZRunUploadQuery,
  consumes: 'text/csv',
  response: ZBatchJobCreated,
  successStatus: 202,
  errors: [400, 404, 409, 413, 415, 422],
});

export const listRuns = defineEndpoint({
  method: 'GET',
  path: '/api/v1/models/{name}/versions/{version}/runs',
  tag: 'Batch',
  summary: "A version's one-off runs, newest first (50)",
  auth: 'user',
  permission: 'models:read',
  params: ZVersionParams,
  response: ZBatchJobList,
  errors: [404],
});

export const getRun = defineEndpoint({
  method: 'GET',
  path: '/api/v1/runs/{id}',
  tag: 'Batch',
  summary: 'A one-off run: who, when, input sha256, rows, output, metrics',
  auth: 'user',
  permission: 'models:read',
  params: ZBatchJobParams,
  response: ZBatchJob,
  errors: [404],
});
