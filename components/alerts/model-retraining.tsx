import { RetrainingStatus } from './retraining-panel';
import type { RetrainingRequestView } from '@/lib/validation/retraining';

/** On a model's page: its retraining requests, newest first; nothing when there are none. */
export function ModelRetraining({ requests }: { requests: RetrainingRequestView[] }) {
  if (requests.length === 0) return null;
  return (
    <section aria-labelledby="retraining-heading" className="panel">
      <h2 id="retraining-heading">Retraining requests</h2>
      <ul className="home-list">
        {requests.slice(0, 10).map((request) => (
          <li key={request.id}>
            <RetrainingStatus request={request} />
          </li>
        ))}
      </ul>
    </section>
  );
}
