import { formatNumber } from '@/components/registry/metric-value';
import type { Gate } from './gate-summary';

const TONE: Record<string, string> = { passed: 'badge ok', failed: 'badge danger', skipped: 'badge' };

export function GatesTable({ gates }: { gates: Gate[] | null | undefined }) {
  const list = Array.isArray(gates) ? gates : [];
  if (list.length === 0) return <p className="muted">This environment has no gates.</p>;
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Gates">
        <thead>
          <tr>
            <th scope="col">Gate</th>
            <th scope="col">Result</th>
            <th scope="col">Detail</th>
            <th scope="col">Actual</th>
            <th scope="col">Required</th>
          </tr>
        </thead>
        <tbody>
          {list.map((gate) => (
            <tr key={gate.gate} data-testid={`gate-${gate.gate}`}>
              <td className="mono">{gate.gate}</td>
              <td><span className={TONE[gate.status] ?? 'badge'}>{gate.status}</span></td>
              <td>{gate.detail}</td>
              <td className="mono">{gate.actual === undefined ? '—' : formatNumber(gate.actual)}</td>
              <td className="mono">{gate.expected === undefined ? '—' : formatNumber(gate.expected)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
