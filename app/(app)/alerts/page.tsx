import { EmptySection } from '@/components/shell/empty-section';

export const metadata = { title: 'Alerts' };

export default function AlertsPage() {
  return <EmptySection path="/alerts" title="Alerts" permission="alerts:read" message="No alerts." />;
}
