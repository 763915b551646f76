import { ROLES, ROLE_DESCRIPTIONS, type RoleName } from '@/lib/auth/permissions';

export function RoleCheckboxes({ selected, idPrefix }: { selected: readonly RoleName[]; idPrefix: string }) {
  return (
    <div className="checks" role="group" aria-label="Roles">
      {ROLES.map((role) => (
        <label key={role} title={ROLE_DESCRIPTIONS[role]} htmlFor={`${idPrefix}-${role}`}>
          <input type="checkbox" id={`${idPrefix}-${role}`} name="roles[]" value={role} defaultChecked={selected.includes(role)} />
          {role}
        </label>
      ))}
    </div>
  );
}
