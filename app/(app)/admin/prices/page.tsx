import { AdminTabs } from '@/components/admin/admin-tabs';
import { UnitPricesForm } from '@/components/decisions/unit-prices-form';
import { Forbidden } from '@/components/ui/forbidden';
import { PageHeader } from '@/components/ui/page-header';
import { Time } from '@/components/ui/time';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';
import { getUnitPrices } from '@/lib/server/decisions/unit-prices';

export const metadata = { title: 'Unit prices' };

export default async function UnitPricesPage() {
  const { allowed } = await pageActorOrRedirect('/admin/prices', 'backends:manage');
  if (!allowed) return <Forbidden permission="backends:manage" />;
  const prices = await getUnitPrices();
  return (
    <>
      <PageHeader title="Admin" description="Unit prices: what the deployment decision matrix estimates monthly costs with." />
      <AdminTabs />
      <section className="panel" aria-labelledby="prices-heading">
        <h2 id="prices-heading">Unit prices</h2>
        {prices.configured && prices.updatedAt ? (
          <p className="small muted">Last saved <Time value={prices.updatedAt} mode="both" />. Every change is in the audit log.</p>
        ) : (
          <p className="notice warn" role="note">No prices yet: decision matrices show latency and throughput but no costs until you save some.</p>
        )}
        <UnitPricesForm prices={prices} />
      </section>
    </>
  );
}
