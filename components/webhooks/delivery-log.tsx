import { EmptyState } from '@/components/ui/empty-state';
import { DataTable } from '@/components/ui/data-table';

export interface DeliveryView {
  id: string;
  event: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

const BADGE: Record<DeliveryView['status'], string> = { delivered: 'badge ok', failed: 'badge danger', pending: 'badge' };

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : null);

/** The latest deliveries of one endpoint. */
export function DeliveryLog({ deliveries, label }: { deliveries: DeliveryView[]; label: string }) {
  if (deliveries.length === 0) return <EmptyState title="Nothing delivered yet." />;
  return (
    <DataTable label={label} columns={['Event', 'Status', 'Attempts', 'Last HTTP status', 'Last error', 'Created', 'Delivered']}>
      {deliveries.map((delivery) => (
        <tr key={delivery.id} data-testid={`delivery-${delivery.id}`}>
          <td>
            <code>{delivery.event}</code>
          </td>
          <td>
            <span className={BADGE[delivery.status]}>{delivery.status}</span>
          </td>
          <td>{delivery.attempts}</td>
          <td>{delivery.lastStatus ?? <span className="muted">—</span>}</td>
          <td>{delivery.lastError ?? <span className="muted">—</span>}</td>
          <td className="nowrap">{when(delivery.createdAt)}</td>
          <td className="nowrap">{when(delivery.deliveredAt) ?? <span className="muted">—</span>}</td>
        </tr>
      ))}
    </DataTable>
  );
}
