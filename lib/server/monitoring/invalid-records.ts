import 'server-only';
import type { z } from 'zod';
import { AppError, type FieldErrors } from '@/lib/errors';

/** Collects problems per record (keyed `records.<index>[.<field>]`) and rejects the batch whole. */
export class RecordErrors {
  readonly errors: FieldErrors = {};
  private records = new Set<number>();

  add(index: number, field: string | null, message: string) {
    this.records.add(index);
    (this.errors[field ? `records.${index}.${field}` : `records.${index}`] ??= []).push(message);
  }

  addZod(index: number, error: z.ZodError, input: unknown) {
    for (const issue of error.issues) {
      const field = issue.path.map(String).join('.') || null;
      // A union (prediction, label) reports a missing value as "Invalid input": say what it is.
      const missing = issue.path.length === 1 && typeof input === 'object' && input !== null && !(String(issue.path[0]) in input);
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) this.add(index, field ? `${field}.${key}` : key, 'Unknown field.');
      } else if (missing || (issue.code === 'invalid_type' && /received undefined$/.test(issue.message))) {
        this.add(index, field, 'This field is required.');
      } else {
        this.add(index, field, issue.message);
      }
    }
  }

  get count() {
    return this.records.size;
  }

  /** 400 problem+json naming each bad record's index and reason; nothing of the batch is stored. */
  throwIfAny(total: number): void {
    if (this.records.size === 0) return;
    const entries = Object.entries(this.errors);
    const shown = entries
      .slice(0, 10)
      .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
      .join('; ');
    throw new AppError(
      400,
      'invalid_records',
      `${this.records.size} of ${total} records are invalid; nothing was stored. ${shown}${entries.length > 10 ? `; and ${entries.length - 10} more (see errors)` : ''}`,
      this.errors,
    );
  }
}

/** A header that does not parse is a 400 too (same contract as records). */
export function parseHeaderOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.') || 'header';
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) (errors[key] ??= []).push('Unknown field.');
    else (errors[field] ??= []).push(issue.code === 'invalid_type' && /received undefined$/.test(issue.message) ? 'This field is required.' : issue.message);
  }
  const summary = Object.entries(errors)
    .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
    .join('; ');
  throw new AppError(400, 'invalid_batch', `Invalid batch header: ${summary}`, errors);
}
