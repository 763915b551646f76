import { z } from 'zod';

/** The broker ModelDeck's machines run; NATS_URL overrides it for every binding that names none. */
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

const SUBJECT_TOKEN = /^[A-Za-z0-9_-]+$/;

/**
 * A streaming binding: where the model server consumes OIP v2 infer requests
 * (`<subjectPrefix>.<environment>.<model>.requests`) and publishes predictions and dead letters.
 * Shared by the model server's management API and the dashboard's backend settings.
 */
export const ZStreamingBinding = z.object({
  natsUrl: z
    .string()
    .trim()
    .regex(/^(nats|tls|ws|wss):\/\/[^\s,]+(,(nats|tls|ws|wss):\/\/[^\s,]+)*$/, 'natsUrl must be a nats:// URL (or several, comma-separated), e.g. nats://127.0.0.1:4222')
    .default(DEFAULT_NATS_URL),
  stream: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'stream must be 1–64 letters, digits, "_" or "-"').default('MODELDECK'),
  subjectPrefix: z
    .string()
    .refine((value) => value.split('.').every((t) => SUBJECT_TOKEN.test(t)), 'subjectPrefix must be dot-separated tokens of letters, digits, "_" or "-", e.g. modeldeck')
    .default('modeldeck'),
  /** How long the broker waits for an ack before redelivering a request. */
  ackWaitSeconds: z.number().int().min(1).max(3600).default(30),
});
export type StreamingBinding = z.output<typeof ZStreamingBinding>;

/** Consumer lag and connection of one binding, as the model page polls it. */
export const ZStreamingLag = z
  .object({
    configured: z.boolean(),
    /** False when the backend could not be asked (down, or no such binding on it yet). */
    reachable: z.boolean(),
    connection: z.enum(['connecting', 'connected', 'reconnecting', 'stopped']).nullable(),
    pending: z.number().int().nullable(),
    ackPending: z.number().int().nullable(),
    processed: z.number().int().nullable(),
    deadLettered: z.number().int().nullable(),
    attempts: z.number().int().nullable(),
    lastError: z.string().nullable(),
    subjects: z.object({ requests: z.string(), predictions: z.string(), deadLetter: z.string() }).nullable(),
  })
  .meta({ id: 'StreamingLag' });
export type StreamingLag = z.infer<typeof ZStreamingLag>;

/** The lag of a model without a streaming binding. */
export const NOT_STREAMING: StreamingLag = {
  configured: false,
  reachable: false,
  connection: null,
  pending: null,
  ackPending: null,
  processed: null,
  deadLettered: null,
  attempts: null,
  lastError: null,
  subjects: null,
};
