'use client';

import { useQuery } from '@tanstack/react-query';

type Verification = { valid: true; entries: number } | { valid: false; entries: number; brokenAt: { seq: string; reason: string } };

async function fetchVerification(): Promise<Verification> {
  const response = await fetch('/api/v1/audit/verify', { cache: 'no-store' });
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail ?? `Verification failed (${response.status}).`);
  return body as Verification;
}

export function VerifyChainButton() {
  const { data, error, isFetching, refetch } = useQuery({ queryKey: ['audit-verify'], queryFn: fetchVerification, enabled: false });
  return (
    <div aria-live="polite">
      <button className="btn" type="button" onClick={() => refetch()} disabled={isFetching}>
        {isFetching ? 'Verifying…' : 'Verify chain'}
      </button>
      {data?.valid ? (
        <span className="badge ok" data-testid="verify-result">Chain intact: {data.entries} entries verified</span>
      ) : data ? (
        <span className="badge danger" data-testid="verify-result">
          Broken at entry {data.brokenAt.seq}: {data.brokenAt.reason}
        </span>
      ) : null}
      {error ? <span className="badge danger">{error.message}</span> : null}
    </div>
  );
}
