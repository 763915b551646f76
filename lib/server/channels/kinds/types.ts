import type { AlertChannel } from '@/lib/generated/prisma/client';

/** What every channel kind receives: the event and a self-contained description of the alert. */
export interface AlertMessage {
  /** The notification id: stable across retries, receivers dedupe on it. */
  id: string;
  event: string;
  occurredAt: string;
  alert: {
    id: string | null;
    url: string;
    rule: string;
    model: string;
    environment: string;
    severity: string;
    status: string;
    signal: string;
    value: number;
    comparator: string;
    threshold: number;
    samples: number;
    comment?: string;
  };
}

/**
 * One notification channel kind (rule 9 of ARCHITECTURE.md): adding a kind is one file
 * implementing this, listed in kinds/index.ts; delivery code does not change.
 */
export interface ChannelKind {
  /** Sends one message; throws an Error whose message says what went wrong (the queue retries). */
  send(channel: AlertChannel, secret: string | null, message: AlertMessage): Promise<void>;
  /** Where messages go, without credentials, for lists and the audit log. */
  describeTarget(channel: AlertChannel): string;
}
