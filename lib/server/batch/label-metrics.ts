import 'server-only';
import type { BatchJob, ModelTask } from '@/lib/generated/prisma/client';
import { classificationMetrics, regressionMetrics } from '@/lib/stats/performance';
import { BATCH_FORMATS } from './formats';
import type { BatchModel } from './load-batch-model';
import { readRecords } from './read-records';
import { batchPath } from './storage';

/**
 * A one-off run's metrics against the labels in its dataset: read back from the committed
 * output (input columns plus predictions), so a run resumed after a kill counts every row
 * once. Classification: accuracy, precision, recall, F1, ROC AUC and log loss of the
 * positive-class probability (labels 0/1, true/false); regression: MAE, RMSE, R². Rows
 * without a label or that could not be scored are left out. Null without labelled rows.
 */
export async function computeRunMetrics(job: BatchJob, model: BatchModel, task: ModelTask): Promise<object | null> {
  if (!job.labelColumn || task === 'other') return null;
  const format = BATCH_FORMATS[job.format];
  const labels: number[] = [];
  const scores: number[] = [];
  let header: string[] | null = format.hasHeader ? null : [];
  for await (const record of readRecords(batchPath(job.outputKey), format.quoted, 0)) {
    if (header === null) {
      header = format.parseHeader(record.text);
      continue;
    }
    const parsed = format.parseRow(record.text, header);
    if ('error' in parsed) continue;
    // Columns the input already used were written with a predicted_ prefix (formats/types.ts).
    const predicted = (name: string) => parsed.value(`predicted_${name}`) ?? parsed.value(name);
    const error = predicted('error');
    if (error !== undefined && error !== '' && error !== null) continue;
    const label = toNumber(parsed.value(job.labelColumn));
    const score = toNumber(predicted(model.reportedColumn));
    if (label === null || score === null) continue;
    if (task === 'classification' && label !== 0 && label !== 1) continue;
    labels.push(label);
    scores.push(score);
  }
  if (labels.length === 0) return null;
  const metrics = task === 'classification' ? classificationMetrics(labels, scores) : regressionMetrics(labels, scores);
  return { labelColumn: job.labelColumn, ...metrics };
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const lower = value.trim().toLowerCase();
  if (lower === 'true') return 1;
  if (lower === 'false') return 0;
  const number = Number(lower);
  return Number.isFinite(number) ? number : null;
}
