'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { IN_FLIGHT_STATUSES } from './release-status';
import { StatusBadge } from './status-badge';

async function fetchReleaseStatus(id: string): Promise<string> {
  const response = await fetch(`/api/v1/promotions/${id}`, { cache: 'no-store' });
  const body = (await response.json()) as { status?: string; detail?: string };
  if (!response.ok || !body.status) throw new Error(body.detail ?? `Could not load the release (${response.status}).`);
  return body.status;
}

/**
 * A release's status that keeps itself current while the release is deploying: approved
 * releases go live through a background job, so this polls every 2 s until the status
 * settles, then refreshes the server-rendered page around it.
 */
export function ReleaseStatusBadge({ id, status, testId = 'release-status' }: { id: string; status: string; testId?: string }) {
  const router = useRouter();
  const inFlight = IN_FLIGHT_STATUSES.includes(status);
  const { data, error } = useQuery({
    queryKey: ['release-status', id, status],
    queryFn: () => fetchReleaseStatus(id),
    enabled: inFlight,
    staleTime: 0,
    gcTime: 0,
    refetchInterval: (query) => (IN_FLIGHT_STATUSES.includes(query.state.data ?? status) ? 2000 : false),
  });
  const current = inFlight && data ? data : status;
  const settled = inFlight && data !== undefined && !IN_FLIGHT_STATUSES.includes(data);

  useEffect(() => {
    if (settled) router.refresh();
  }, [settled, router]);

  return (
    <span aria-live="polite">
      <StatusBadge status={current} testId={testId} />
      {inFlight && !settled ? <span className="muted small">updating…</span> : null}
      {error ? <span className="error small"> {error.message}</span> : null}
    </span>
  );
}
