import 'server-only';
import { headers } from 'next/headers';
import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import type { Permission } from '@/lib/auth/permissions';
import type { FieldErrors } from '@/lib/errors';
import { currentActor, requirePermissionOrThrow } from '@/lib/server/auth/current-actor';
import type { RequestContext } from '@/lib/server/context';
import { logger } from '@/lib/server/logger';
import { toAppError, validationError } from './problem';
import { requestIdFrom } from './request-id';

export type ActionState<T = undefined> =
  | { status: 'idle' }
  | { status: 'success'; message?: string; data?: T }
  | { status: 'error'; message: string; fieldErrors?: FieldErrors };

export const IDLE: ActionState<never> = { status: 'idle' };

/**
 * The one wrapper for server actions (used with useActionState): session → permission →
 * zod parse of the form → call. Errors come back as form state; 5xx details are logged,
 * never shown. The permission check here is the real one — the UI hiding a button is not.
 */
export function formAction<S extends z.ZodType, T = undefined>(
  options: { permission?: Permission; schema: S },
  run: (input: z.output<S>, ctx: RequestContext) => Promise<{ message?: string; data?: T } | void>,
) {
  return async (_previous: ActionState<T>, formData: FormData): Promise<ActionState<T>> => {
    const requestId = requestIdFrom(await incomingHeaders());
    try {
      const actor = requirePermissionOrThrow(await currentActor(), options.permission);
      const parsed = options.schema.safeParse(formDataToObject(formData));
      if (!parsed.success) {
        const error = validationError(parsed.error, 'form');
        return { status: 'error', message: error.message, fieldErrors: error.fieldErrors };
      }
      const result = await run(parsed.data, { actor, requestId });
      return { status: 'success', ...(result ?? {}) };
    } catch (error) {
      unstable_rethrow(error);
      const known = toAppError(error);
      if (!known) {
        logger().error({ err: error, requestId }, 'server action failed');
        return { status: 'error', message: `Something went wrong on our side (request ${requestId}).` };
      }
      return { status: 'error', message: known.message, fieldErrors: known.fieldErrors };
    }
  };
}

/** Form fields → plain object: `name[]` fields become arrays, empty fields are left out. */
export function formDataToObject(formData: FormData): Record<string, unknown> {
  // Field names are the client's: collected in a Map so "__proto__" or "constructor" are
  // just names, then defined as own properties by Object.fromEntries.
  const out = new Map<string, string | string[]>();
  for (const [key, value] of formData.entries()) {
    if (key.startsWith('$ACTION') || typeof value !== 'string') continue;
    if (key.endsWith('[]')) {
      const name = key.slice(0, -2);
      const previous = out.get(name);
      out.set(name, [...(Array.isArray(previous) ? previous : []), value]);
    } else if (value !== '') {
      out.set(key, value);
    }
  }
  return Object.fromEntries(out);
}

/** The action's request headers; none when called outside a request (scripts, tests). */
async function incomingHeaders() {
  try {
    return await headers();
  } catch {
    return null;
  }
}
