import { EmptySection } from '@/components/shell/empty-section';

export const metadata = { title: 'Models' };

export default function ModelsPage() {
  return <EmptySection path="/models" title="Models" permission="models:read" message="No models registered yet." />;
}
