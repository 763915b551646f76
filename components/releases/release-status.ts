/** How each release status reads and looks (shared by server and client components). */
const TONE: Record<string, '' | 'ok' | 'danger' | 'warn' | 'info'> = {
  pending_approval: 'warn',
  approved: 'info',
  deploying: 'info',
  live: 'ok',
  rejected: 'danger',
  failed: 'danger',
  cancelled: '',
  rolled_back: 'warn',
  superseded: '',
  paused: 'warn',
  aborted: 'danger',
};

export function statusLabel(status: string): string {
  return status.replaceAll('_', ' ');
}

export function statusClass(status: string): string {
  const tone = TONE[status] ?? '';
  return tone ? `badge ${tone}` : 'badge';
}

/** Statuses after approval and before the release is live: the UI polls while in them. */
export const IN_FLIGHT_STATUSES: readonly string[] = ['approved', 'deploying', 'paused'];
