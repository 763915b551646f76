import type { Gate } from './gate-summary';
import { DataTable } from '@/components/ui/data-table';
import { ValueText } from '@/components/ui/number-text';

const TONE: Record<string, string> = { passed: 'badge ok', failed: 'badge danger', skipped: 'badge' };

export function GatesTable({ gates }: { gates: Gate[] | null | undefined }) {
  const list = Array.isArray(gates) ? gates : [];
  if (list.length === 0) return <p className="muted">This environment has no gates.</p>;
  return (
    <DataTable label="Gates" columns={['Gate', 'Result', 'Detail', 'Actual', 'Required']}>
      {list.map((gate) => (
        <tr key={gate.gate} data-testid={`gate-${gate.gate}`}>
          <td className="mono">{gate.gate}</td>
          <td><span className={TONE[gate.status] ?? 'badge'}>{gate.status}</span></td>
          <td>
            {gate.detail}
            {gate.alerts?.map((alert) => (
              <a key={alert.id} className="gate-alert-link" href={`/alerts/${alert.id}`}>
                {' '}Open alert “{alert.name}”
              </a>
            ))}
          </td>
          <td className="mono"><ValueText value={gate.actual} /></td>
          <td className="mono"><ValueText value={gate.expected} /></td>
        </tr>
      ))}
    </DataTable>
  );
}
