import { EmptySection } from '@/components/shell/empty-section';

export const metadata = { title: 'Monitoring' };

export default function MonitoringPage() {
  return <EmptySection path="/monitoring" title="Monitoring" permission="monitoring:read" message="Nothing is being monitored yet." />;
}
