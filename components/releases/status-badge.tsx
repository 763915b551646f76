import { statusClass, statusLabel } from './release-status';

export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={statusClass(status)} data-testid={testId}>
      {statusLabel(status)}
    </span>
  );
}
