'use client';

import { useQuery } from '@tanstack/react-query';

type Split = { version: number; percent: number }[];

async function fetchTraffic(model: string, environment: string): Promise<{ traffic: Split; rollingOut: boolean }> {
  const response = await fetch(`/api/v1/models/${encodeURIComponent(model)}/environments/${encodeURIComponent(environment)}`, { cache: 'no-store' });
  const body = (await response.json()) as { traffic?: Split; rollingOut?: unknown; detail?: string };
  if (!response.ok || !body.traffic) throw new Error(body.detail ?? `Could not load the traffic split (${response.status}).`);
  return { traffic: body.traffic, rollingOut: Boolean(body.rollingOut) };
}

export const describeSplit = (traffic: Split) => traffic.map((t) => `v${t.version} ${t.percent}%`).join(' · ');

/**
 * A lane's traffic split ("v3 90% · v4 10%"), polled every 2 s while a release is rolling out
 * there, so a canary's steps show on the model page as they happen.
 */
export function LaneTraffic({ model, environment, traffic, rollingOut }: { model: string; environment: string; traffic: Split; rollingOut: boolean }) {
  const { data } = useQuery({
    queryKey: ['lane-traffic', model, environment],
    queryFn: () => fetchTraffic(model, environment),
    initialData: { traffic, rollingOut },
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.rollingOut ? 2000 : false),
  });
  return <>{describeSplit(data.traffic.length ? data.traffic : traffic)}</>;
}
