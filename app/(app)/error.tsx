'use client';

import { useQuery } from '@tanstack/react-query';

/** Page errors: says plainly when the cause is the database, and offers a retry. */
export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const health = useQuery({
    queryKey: ['health'],
    queryFn: async () => (await fetch('/api/health', { cache: 'no-store' })).status,
    refetchInterval: 5000,
  });
  const databaseDown = health.data === 503;
  return (
    <div role="alert">
      <h1>{databaseDown ? 'The database is not reachable' : 'This page could not be loaded'}</h1>
      <p>
        {databaseDown
          ? 'ModelDeck cannot reach PostgreSQL right now. Nothing was lost; the page will work again once the database is back.'
          : 'Something went wrong on our side.'}
        {error.digest ? <span className="muted"> Reference: {error.digest}.</span> : null}
      </p>
      <button className="btn primary" type="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
