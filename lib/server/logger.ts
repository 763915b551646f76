import 'server-only';
import pino, { type Logger } from 'pino';

let instance: Logger | undefined;

/** Structured JSON logs on stdout (one object per line), level from LOG_LEVEL. */
export function logger(): Logger {
  return (instance ??= pino({ level: process.env.LOG_LEVEL ?? 'info', base: { service: 'modeldeck' } }));
}
