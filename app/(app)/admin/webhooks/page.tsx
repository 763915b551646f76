import { AdminTabs } from '@/components/admin/admin-tabs';
import { EmptyState } from '@/components/ui/empty-state';
import { Forbidden } from '@/components/ui/forbidden';
import { PageHeader } from '@/components/ui/page-header';
import { CreateWebhookForm } from '@/components/webhooks/create-webhook-form';
import { DeleteWebhookButton } from '@/components/webhooks/delete-webhook-button';
import { DeliveryLog } from '@/components/webhooks/delivery-log';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';
import { listDeliveries } from '@/lib/server/webhooks/list-deliveries';
import { listWebhooks } from '@/lib/server/webhooks/list-webhooks';
import { serializeDelivery, serializeWebhook } from '@/lib/server/webhooks/serialize-webhook';

export const metadata = { title: 'Webhooks' };

const DELIVERIES_SHOWN = 20;

export default async function WebhooksPage() {
  const { allowed } = await pageActorOrRedirect('/admin/webhooks', 'webhooks:manage');
  if (!allowed) return <Forbidden permission="webhooks:manage" />;
  const webhooks = await Promise.all(
    (await listWebhooks()).map(async (endpoint) => ({
      ...serializeWebhook(endpoint),
      deliveries: (await listDeliveries(endpoint.id, { limit: DELIVERIES_SHOWN })).items.map(serializeDelivery),
    })),
  );
  return (
    <>
      <PageHeader
        title="Webhooks"
        description={
          <>
            ModelDeck POSTs each subscribed event as JSON, signed with the endpoint&apos;s secret in{' '}
            <code>x-modeldeck-signature</code>. Failed deliveries are retried with backoff.
          </>
        }
      />
      <AdminTabs />
      <section className="panel" aria-labelledby="create-webhook-heading">
        <h2 id="create-webhook-heading">Create a webhook</h2>
        <CreateWebhookForm />
      </section>
      <h2>Endpoints ({webhooks.length})</h2>
      {webhooks.length === 0 ? (
        <EmptyState title="No webhooks yet." />
      ) : (
        webhooks.map((webhook) => (
          <section className="panel" key={webhook.id} data-testid={`webhook-${webhook.url}`} aria-label={`Webhook ${webhook.url}`}>
            <header className="page-header">
              <div>
                <h3 className="mono">{webhook.url}</h3>
                {webhook.description ? <p>{webhook.description}</p> : null}
                <div>
                  {webhook.events.map((event) => (
                    <span key={event} className="badge">
                      {event}
                    </span>
                  ))}
                </div>
                <p className="muted">Created {new Date(webhook.createdAt).toLocaleString()}</p>
              </div>
              <div>
                <DeleteWebhookButton id={webhook.id} url={webhook.url} />
              </div>
            </header>
            <details open={webhook.deliveries.length > 0}>
              <summary>Latest deliveries ({webhook.deliveries.length})</summary>
              <DeliveryLog deliveries={webhook.deliveries} label={`Deliveries to ${webhook.url}`} />
            </details>
          </section>
        ))
      )}
    </>
  );
}
