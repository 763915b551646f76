'use client';

import { setActiveAction, setRolesAction } from '@/app/(app)/admin/actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';
import { useFormAction } from '@/components/ui/use-form-action';
import type { RoleName } from '@/lib/auth/permissions';
import { RoleCheckboxes } from './role-checkboxes';

interface UserView {
  id: string;
  email: string;
  name: string;
  roles: RoleName[];
  active: boolean;
  sso: boolean;
  lastLoginAt: string | null;
}

export function UserRow({ user, isSelf }: { user: UserView; isSelf: boolean }) {
  const roles = useFormAction(setRolesAction);
  const active = useFormAction(setActiveAction);
  return (
    <tr data-testid={`user-${user.email}`}>
      <td>
        <strong>{user.name}</strong>
        <div className="muted">{user.email}</div>
        {user.sso ? <span className="badge">SSO</span> : null}
        {isSelf ? <span className="badge">you</span> : null}
      </td>
      <td>
        <form className="inline" {...roles.form} aria-label={`Roles of ${user.email}`}>
          <input type="hidden" name="id" value={user.id} />
          <RoleCheckboxes selected={user.roles} idPrefix={`role-${user.id}`} groupProps={roles.field('roles')} />
          <button className="btn small" type="submit" disabled={roles.pending}>
            Save roles
          </button>
        </form>
        <FieldError errors={roles.errors} name="roles" id={roles.errorId('roles')} />
        <FormMessage state={roles.state} fields={['roles']} />
      </td>
      <td>
        <span className={`badge ${user.active ? 'ok' : 'danger'}`}>{user.active ? 'active' : 'deactivated'}</span>
        <form {...active.form}>
          <input type="hidden" name="id" value={user.id} />
          <input type="hidden" name="active" value={user.active ? 'false' : 'true'} />
          <button className={`btn small ${user.active ? 'danger' : ''}`} type="submit" disabled={active.pending}>
            {user.active ? 'Deactivate' : 'Reactivate'}
          </button>
        </form>
        <FormMessage state={active.state} />
      </td>
      <td className="nowrap">{user.lastLoginAt ? new Date(user.lastLoginAt).toLocaleString() : <span className="muted">never</span>}</td>
    </tr>
  );
}
