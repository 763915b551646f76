import type { HTMLAttributes } from 'react';
import { CheckboxField } from '@/components/ui/form-fields';
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
      <RoleOptions selected={selected} idPrefix={idPrefix} />
    </div>
  );
}

/** One checkbox per role, each with its description as a tooltip. */
export function RoleOptions({ selected, idPrefix }: { selected: readonly RoleName[]; idPrefix: string }) {
  return ROLES.map((role) => (
    <CheckboxField key={role} title={ROLE_DESCRIPTIONS[role]} id={`${idPrefix}-${role}`} name="roles[]" value={role} defaultChecked={selected.includes(role)} label={role} />
  ));
}
