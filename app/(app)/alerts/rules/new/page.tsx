import Link from 'next/link';
import { RuleEditor } from '@/components/alerts/rule-editor';
import { EmptyState } from '@/components/ui/empty-state';
import { Forbidden } from '@/components/ui/forbidden';
import { PageHeader } from '@/components/ui/page-header';
import { loadRuleEditorOptions } from '@/lib/server/alerts/load-rule-editor-options';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';

export const metadata = { title: 'New alert rule' };

export default async function NewAlertRulePage() {
  const { allowed } = await pageActorOrRedirect('/alerts/rules/new', 'alerts:manage');
  if (!allowed) return <Forbidden permission="alerts:manage" />;
  const options = await loadRuleEditorOptions();
  return (
    <>
      <p>
        <Link href="/alerts/rules">← Alert rules</Link>
      </p>
      <PageHeader title="New alert rule" description="Choose what to watch and when to fire; the preview shows how often this rule would have fired over the last 7 days." />
      {options.models.length === 0 ? (
        <EmptyState title="No models to watch yet.">
          <p>
            <Link href="/models">Register a model</Link> and send its predictions to monitoring first.
          </p>
        </EmptyState>
      ) : (
        <RuleEditor options={options} />
      )}
    </>
  );
}
