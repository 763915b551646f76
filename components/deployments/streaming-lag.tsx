'use client';

import { useQuery } from '@tanstack/react-query';
import type { StreamingLag as Lag } from '@/lib/validation/streaming';

const POLL_MS = 5000;

async function fetchLag(model: string, environment: string): Promise<Lag> {
  const response = await fetch(`/api/v1/models/${encodeURIComponent(model)}/environments/${encodeURIComponent(environment)}/streaming`, { cache: 'no-store' });
  const body = (await response.json()) as Lag & { detail?: string };
  if (!response.ok) throw new Error(body.detail ?? `Could not read the streaming status (${response.status}).`);
  return body;
}

const CONNECTION: Record<NonNullable<Lag['connection']>, { label: string; tone: string }> = {
  connected: { label: 'connected', tone: 'ok' },
  connecting: { label: 'broker unreachable, retrying', tone: 'danger' },
  reconnecting: { label: 'disconnected, reconnecting', tone: 'warn' },
  stopped: { label: 'stopped', tone: 'warn' },
};

/** A lane's NATS JetStream consumer: connection to the broker and lag, polled every 5 s. */
export function StreamingLag({ model, environment }: { model: string; environment: string }) {
  const { data, error } = useQuery({
    queryKey: ['streaming-lag', model, environment],
    queryFn: () => fetchLag(model, environment),
    refetchInterval: POLL_MS,
    staleTime: 0,
  });
  if (error) return <p className="error small">Streaming: {error.message}</p>;
  if (!data) return <p className="muted small">Streaming: reading the consumer…</p>;
  if (!data.configured) return null;
  const connection = data.connection ? CONNECTION[data.connection] : null;
  return (
    <div className="small" data-testid={`lane-${environment}-streaming`} aria-live="polite">
      <p>
        Streaming{' '}
        {connection ? (
          <span className={`badge ${connection.tone}`} data-testid="streaming-connection">
            {connection.label}
          </span>
        ) : (
          <span className="badge warn" data-testid="streaming-connection">
            status unknown
          </span>
        )}
        {data.pending !== null ? (
          <span data-testid="streaming-lag">
            {data.pending} pending · {data.ackPending ?? 0} awaiting ack
          </span>
        ) : null}
      </p>
      {data.subjects ? (
        <p className="muted">
          from <code style={{ wordBreak: 'break-all' }}>{data.subjects.requests}</code>
        </p>
      ) : null}
      {data.lastError ? <p className="muted" style={{ wordBreak: 'break-word' }}>{data.lastError}</p> : null}
    </div>
  );
}
