'use client';

import { useActionState } from 'react';
import { setActiveAction, setRolesAction } from '@/app/(app)/admin/actions';
import { FormMessage } from '@/components/ui/form-feedback';
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
  const [rolesState, rolesAction, rolesPending] = useActionState(setRolesAction, { status: 'idle' });
  const [activeState, activeAction, activePending] = useActionState(setActiveAction, { status: 'idle' });
  return (
    <tr data-testid={`user-${user.email}`}>
      <td>
        <strong>{user.name}</strong>
        <div className="muted">{user.email}</div>
        {user.sso ? <span className="badge">SSO</span> : null}
        {isSelf ? <span className="badge">you</span> : null}
      </td>
      <td>
        <form className="inline" action={rolesAction} aria-label={`Roles of ${user.email}`}>
          <input type="hidden" name="id" value={user.id} />
          <RoleCheckboxes selected={user.roles} idPrefix={`role-${user.id}`} />
          <button className="btn small" type="submit" disabled={rolesPending}>
            Save roles
          </button>
        </form>
        <FormMessage state={rolesState} />
      </td>
      <td>
        <span className={`badge ${user.active ? 'ok' : 'danger'}`}>{user.active ? 'active' : 'deactivated'}</span>
        <form action={activeAction}>
          <input type="hidden" name="id" value={user.id} />
          <input type="hidden" name="active" value={user.active ? 'false' : 'true'} />
          <button className={`btn small ${user.active ? 'danger' : ''}`} type="submit" disabled={activePending}>
            {user.active ? 'Deactivate' : 'Reactivate'}
          </button>
        </form>
        <FormMessage state={activeState} />
      </td>
      <td className="nowrap">{user.lastLoginAt ? new Date(user.lastLoginAt).toLocaleString() : <span className="muted">never</span>}</td>
    </tr>
  );
}
