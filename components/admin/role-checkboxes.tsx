import type { HTMLAttributes } from 'react';
import { ROLES, ROLE_DESCRIPTIONS, type RoleName } from '@/lib/auth/permissions';

export function RoleCheckboxes({
  selected,
  idPrefix,
  groupProps,
}: {
  selected: readonly RoleName[];
  idPrefix: string;
  /** e.g. aria-invalid/aria-describedby from useFormAction's field(). */
  groupProps?: HTMLAttributes<HTMLDivElement>;
}) {
  return (
    <div className="checks" role="group" aria-label="Roles" {...groupProps}>
      {ROLES.map((role) => (
        <label key={role} title={ROLE_DESCRIPTIONS[role]} htmlFor={`${idPrefix}-${role}`}>
          <input type="checkbox" id={`${idPrefix}-${role}`} name="roles[]" value={role} defaultChecked={selected.includes(role)} />
          {role}
        </label>
      ))}
    </div>
  );
}
