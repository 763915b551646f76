import { AdminTabs } from '@/components/admin/admin-tabs';
import { CreateUserForm } from '@/components/admin/create-user-form';
import { UserRow } from '@/components/admin/user-row';
import { Forbidden } from '@/components/ui/forbidden';
import { PageHeader } from '@/components/ui/page-header';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';
import { listUsers } from '@/lib/server/users/list-users';
import { serializeUser } from '@/lib/server/users/serialize-user';
import { DataTable } from '@/components/ui/data-table';

export const metadata = { title: 'Admin' };

export default async function AdminPage() {
  const { actor, allowed } = await pageActorOrRedirect('/admin', 'users:manage');
  if (!allowed) return <Forbidden permission="users:manage" />;
  const users = (await listUsers()).map(serializeUser);
  return (
    <>
      <PageHeader title="Admin" description="Users and their roles. Deactivated users lose access at their next request." />
      <AdminTabs />
      <section className="panel" aria-labelledby="create-user-heading">
        <h2 id="create-user-heading">Create a user</h2>
        <CreateUserForm />
      </section>
      <h2>Users ({users.length})</h2>
      <DataTable columns={['User', 'Roles', 'Status', 'Last sign-in']}>
        {users.map((user) => (
          <UserRow key={user.id} user={user} isSelf={user.id === actor.id} />
        ))}
      </DataTable>
    </>
  );
}
