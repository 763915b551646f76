import { EmptySection } from '@/components/shell/empty-section';

export const metadata = { title: 'Releases' };

export default function ReleasesPage() {
  return <EmptySection path="/releases" title="Releases" permission="releases:read" message="No releases yet." />;
}
