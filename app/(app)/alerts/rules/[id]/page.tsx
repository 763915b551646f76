import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DeleteRuleButton, ToggleRuleButton } from '@/components/alerts/rule-buttons';
import { RuleEditor } from '@/components/alerts/rule-editor';
import { ruleFormValues } from '@/components/alerts/rule-form-values';
import { Forbidden } from '@/components/ui/forbidden';
import { PageHeader } from '@/components/ui/page-header';
import { can } from '@/lib/auth/permissions';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { getRuleOrThrow } from '@/lib/server/alerts/get-rule';
import { loadRuleEditorOptions } from '@/lib/server/alerts/load-rule-editor-options';
import { serializeRule } from '@/lib/server/alerts/serialize-rule';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';

export const metadata = { title: 'Alert rule' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function AlertRulePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { actor, allowed } = await pageActorOrRedirect(`/alerts/rules/${id}`, 'alerts:read');
  if (!allowed) return <Forbidden permission="alerts:read" />;
  if (!UUID.test(id)) notFound();
  const rule = serializeRule(
    await getRuleOrThrow(id).catch((error: unknown) => {
      if (error instanceof AppError && error.status === 404) notFound();
      throw error;
    }),
  );
  const [options, openAlerts] = await Promise.all([loadRuleEditorOptions(), db().alert.count({ where: { ruleId: id, status: { in: ['firing', 'acknowledged'] } } })]);
  const mayEdit = can(actor.roles, 'alerts:manage');
  return (
    <>
      <p>
        <Link href="/alerts/rules">← Alert rules</Link>
      </p>
      <PageHeader
        title={rule.name}
        description={`${rule.model} in ${rule.environment}${rule.enabled ? '' : ' — disabled'}. ${mayEdit ? 'Change it below; the preview follows your changes.' : 'Engineers and admins can change it.'}`}
        actions={
          mayEdit ? (
            <div className="button-row">
              <ToggleRuleButton id={rule.id} name={rule.name} enabled={rule.enabled} />
              <DeleteRuleButton id={rule.id} name={rule.name} openAlerts={openAlerts} />
            </div>
          ) : undefined
        }
      />
      <RuleEditor options={options} initial={ruleFormValues(rule)} ruleId={rule.id} readOnly={!mayEdit} />
    </>
  );
}
