import { z } from 'zod';
import { ROLES } from '@/lib/auth/permissions';
import { badRequest } from '@/lib/errors';

/**
 * Input PostgreSQL would refuse is refused here, so every endpoint and form that builds its
 * schema from these helpers answers 4xx instead of a database error (500).
 */

/** Text columns cannot hold NUL, and lone UTF-16 surrogates are not Unicode (PostgreSQL refuses them in UTF-8). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Adds the storable-text checks to any string schema (plain, url, email …), keeping its type. */
export function storable<S extends z.ZodType<string, string>>(schema: S): S {
  return schema
    .refine((value) => !value.includes('\u0000'), 'Must not contain NUL (\\u0000) characters.')
    .refine((value) => !LONE_SURROGATE.test(value), 'Must be valid Unicode text (it contains a lone surrogate).');
}

/** Any text that reaches the database. Chain .max()/.trim()/.regex() as on z.string(). */
export const ZText = storable(z.string());

export const INT32_MAX = 2_147_483_647;

/** An integer column (PostgreSQL `integer`). */
export const ZInt32 = z.number().int('Must be a whole number.').min(-INT32_MAX - 1).max(INT32_MAX, `Must be at most ${INT32_MAX}.`);

/** A model version number in a JSON body (versions are PostgreSQL integers). */
export const ZVersionNumber = z
  .number({ error: 'Versions are whole numbers.' })
  .int('Versions are whole numbers.')
  .min(1, 'Versions start at 1.')
  .max(INT32_MAX, `Versions go up to ${INT32_MAX}.`);

/** The same, written as text: paths, query strings, form fields. */
export const ZVersionText = z.coerce
  .number({ error: 'Versions are whole numbers.' })
  .int('Versions are whole numbers.')
  .min(1, 'Versions start at 1.')
  .max(INT32_MAX, `Versions go up to ${INT32_MAX}.`);

/** The dates the product deals in; PostgreSQL stores far more, but nothing sensible lies outside. */
export const MIN_TIMESTAMP = Date.UTC(1970, 0, 1);
export const MAX_TIMESTAMP = Date.UTC(10_000, 0, 1) - 1;

export function isStorableDate(date: Date): boolean {
  const time = date.getTime();
  return !Number.isNaN(time) && time >= MIN_TIMESTAMP && time <= MAX_TIMESTAMP;
}

/** An ISO 8601 date-time with offset, in years 1970..9999. */
export const ZTimestamp = z
  .iso.datetime({ offset: true, error: 'Use an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z.' })
  .refine((value) => isStorableDate(new Date(value)), 'Dates must lie between 1970-01-01 and 9999-12-31.');

/**
 * The "<ISO date-time>|<uuid>" keyset cursor of time-ordered lists. Throws 400 invalid_cursor
 * for anything that is not a value such a list returned (a bad date or id would be a database error).
 */
export function parseTimeIdCursor(cursor: string): { at: Date; id: string } {
  const [at, id, ...rest] = cursor.split('|');
  const when = new Date(at ?? '');
  if (rest.length > 0 || !id || !UUID_PATTERN.test(id) || !isStorableDate(when)) {
    throw badRequest('cursor must be a value returned as nextCursor.', 'invalid_cursor');
  }
  return { at: when, id };
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ZRole = z.enum(ROLES);
export const ZEmail = z
  .email('Enter a valid e-mail address.')
  .max(254)
  .transform((value) => value.toLowerCase());
export const ZUuid = z.uuid('Must be a UUID.');

/** Keyset paging: `limit` rows after `cursor` (an opaque value returned as nextCursor). */
export const ZPage = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: ZText.max(64).optional(),
});

export const ZProblem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    requestId: z.string(),
    errors: z.record(z.string(), z.array(z.string())).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json).' });
