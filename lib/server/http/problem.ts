import 'server-only';
import { z } from 'zod';
import { AppError, unprocessable, type FieldErrors } from '@/lib/errors';
import { logger } from '@/lib/server/logger';

/** RFC 9457 problem details. 4xx messages pass through; anything else is masked and logged. */
export function problemResponse(error: unknown, requestId: string, extra?: Record<string, unknown>): Response {
  const known = toAppError(error);
  if (!known) {
    logger().error({ err: error, requestId }, 'unhandled error');
  }
  const status = known?.status ?? 500;
  const body = {
    type: `urn:modeldeck:problem:${known?.code ?? 'internal_error'}`,
    title: titleFor(status),
    status,
    detail: known?.message ?? `Something went wrong on our side. Quote request id ${requestId} when reporting it.`,
    code: known?.code ?? 'internal_error',
    requestId,
    ...(known?.fieldErrors ? { errors: known.fieldErrors } : {}),
    ...extra,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json', 'x-request-id': requestId },
  });
}

export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) return validationError(error);
  if (isDatabaseUnavailable(error)) {
    return new AppError(503, 'database_unavailable', 'The database is not reachable right now. Try again shortly.');
  }
  return null;
}

/** Zod issues → 422 with errors keyed by field path ("features.0.name"); unknown keys are named one by one. */
export function validationError(error: z.ZodError, where = 'body'): AppError {
  // Keys come from the client (unknown field names such as "constructor" or "__proto__"):
  // a Map cannot collide with built-in properties the way a plain object's keys do.
  const byField = new Map<string, string[]>();
  const add = (path: string, message: string) => {
    const key = path || where;
    byField.set(key, [...(byField.get(key) ?? []), message]);
  };
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add(base ? `${base}.${key}` : key, 'Unknown field.');
    } else if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
      add(base, 'This field is required.');
    } else {
      add(base, issue.message);
    }
  }
  const summary = [...byField]
    .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
    .join('; ');
  // Object.fromEntries defines own properties, so even "__proto__" stays an ordinary key.
  const fieldErrors: FieldErrors = Object.fromEntries(byField);
  return unprocessable(`Invalid ${where}: ${summary}`, fieldErrors);
}

function isDatabaseUnavailable(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message} ${String((error as { code?: unknown }).code ?? '')}` : '';
  return /ECONNREFUSED|ETIMEDOUT|Connection terminated|connect ENETUNREACH|DatabaseNotReachable|P1001|the database system is (starting up|shutting down)/i.test(text);
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

function titleFor(status: number): string {
  return TITLES[status] ?? 'Error';
}
