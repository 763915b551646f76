'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { startTransition } from 'react';

/** Page errors: says plainly when the cause is the database, and offers a retry. */
export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const health = useQuery({
    queryKey: ['health'],
    queryFn: async () => (await fetch('/api/health', { cache: 'no-store' })).status,
    refetchInterval: 5000,
  });
  const databaseDown = health.data === 503;
  return (
    <main className="auth-page">
      <div className="auth-card" role="alert">
        <h1>{databaseDown ? 'The database is not reachable' : 'This page could not be loaded'}</h1>
        <p>
          {databaseDown
            ? 'ModelDeck cannot reach PostgreSQL right now. Nothing was lost; the page will work again once the database is back.'
            : 'Something went wrong on our side.'}
          {error.digest ? <span className="muted"> Reference: {error.digest}.</span> : null}
        </p>
        <button className="btn primary" type="button" onClick={() => startTransition(() => {
            // Server-rendered content must be fetched again, not just re-rendered.
            router.refresh();
            reset();
          })}>
          Try again
        </button>
      </div>
    </main>
  );
}
