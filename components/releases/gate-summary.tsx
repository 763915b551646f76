export interface Gate {
  gate: string;
  status: 'passed' | 'failed' | 'skipped';
  detail: string;
  actual?: number | null;
  expected?: number | null;
  alerts?: { id: string; name: string; status: string }[];
}

/** "all passed" / "2 failed" for a list of gate results. */
export function GateSummary({ gates }: { gates: Gate[] | null | undefined }) {
  const list = Array.isArray(gates) ? gates : [];
  if (list.length === 0) return <span className="muted">no gates</span>;
  const failed = list.filter((g) => g.status === 'failed');
  if (failed.length > 0) {
    return (
      <span className="badge danger" title={failed.map((g) => `${g.gate}: ${g.detail}`).join('\n')}>
        {failed.length} failed
      </span>
    );
  }
  const skipped = list.filter((g) => g.status === 'skipped').length;
  return (
    <span className="badge ok" title={list.map((g) => `${g.gate}: ${g.status}`).join('\n')}>
      all passed{skipped ? ` (${skipped} skipped)` : ''}
    </span>
  );
}
