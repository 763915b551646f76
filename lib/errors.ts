/**
 * Errors that carry their HTTP meaning. Services throw them; the route and action
 * wrappers turn them into problem+json responses or form errors. Anything else is a 500
 * whose details are logged, never shown.
 */
export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors?: FieldErrors,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, code = 'bad_request') => new AppError(400, code, message);
export const unauthorized = (message = 'Sign in or send an API token (Authorization: Bearer …).') =>
  new AppError(401, 'unauthorized', message);
export const forbidden = (message = 'You do not have permission to do this.') => new AppError(403, 'forbidden', message);
export const notFound = (message: string) => new AppError(404, 'not_found', message);
export const conflict = (message: string, code = 'conflict') => new AppError(409, code, message);
export const payloadTooLarge = (message: string) => new AppError(413, 'payload_too_large', message);
export const unprocessable = (message: string, fieldErrors?: FieldErrors, code = 'validation_failed') =>
  new AppError(422, code, message, fieldErrors);
export const tooManyRequests = (message: string) => new AppError(429, 'too_many_requests', message);
