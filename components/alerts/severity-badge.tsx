const TONE: Record<string, string> = { critical: 'badge danger', warning: 'badge warn', info: 'badge' };
const STATUS_TONE: Record<string, string> = { firing: 'badge danger', acknowledged: 'badge warn', resolved: 'badge ok' };

export function SeverityBadge({ severity }: { severity: string }) {
  return <span className={TONE[severity] ?? 'badge'}>{severity}</span>;
}

export function AlertStatusBadge({ status }: { status: string }) {
  return <span className={STATUS_TONE[status] ?? 'badge'}>{status}</span>;
}
