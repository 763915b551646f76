import { EmptyState } from '@/components/ui/empty-state';
import { Forbidden } from '@/components/ui/forbidden';
import { PageHeader } from '@/components/ui/page-header';
import type { Permission } from '@/lib/auth/permissions';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';

/** A section whose data does not exist yet: it says so instead of showing made-up figures. */
export async function EmptySection(props: { path: string; title: string; permission: Permission; message: string }) {
  const { allowed } = await pageActorOrRedirect(props.path, props.permission);
  if (!allowed) return <Forbidden permission={props.permission} />;
  return (
    <>
      <PageHeader title={props.title} />
      <EmptyState title={props.message} />
    </>
  );
}
