'use client';

import { createEnvironmentAction } from '@/app/(app)/admin/environments/actions';
import { FormMessage } from '@/components/ui/form-feedback';
import { SelectField, SubmitButton, TextField } from '@/components/ui/form-fields';
import { useFormAction } from '@/components/ui/use-form-action';
import { FIRST } from '@/lib/validation/form-options';

/**
 * Adds an environment at a chosen place in the promotion order. Its rules start
 * permissive (no approvals, no gates) and are edited below once it exists.
 */
export function NewEnvironmentForm({ environments }: { environments: string[] }) {
  const { state, pending, errors, errorId, form } = useFormAction(createEnvironmentAction, { resetOnSuccess: true });
  return (
    <form className="stack" {...form} aria-label="New environment">
      <TextField
        id="new-env-name"
        name="name"
        label="Name"
        required
        maxLength={64}
        placeholder="qa"
        hint="Lower-case letters, digits and dashes, e.g. qa or pre-production."
        errors={errors}
        errorId={errorId('name')}
      />
      <TextField id="new-env-description" name="description" label="Description" maxLength={500} errors={errors} errorId={errorId('description')} />
      {/* Remounted when the order changes, so the default is always the current last environment. */}
      <SelectField
        key={environments.join(',')}
        id="new-env-after"
        name="after"
        label="Place after"
        defaultValue={environments.at(-1) ?? FIRST}
        hint="The environment that comes right after the new one will have it as its previous environment: its previous-environment and soak gates will then check the new environment."
        errors={errors}
        errorId={errorId('after')}
      >
        <option value={FIRST}>(first)</option>
        {environments.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </SelectField>
      <FormMessage state={state} fields={['name', 'description', 'after']} />
      <SubmitButton pending={pending} label="Add environment" pendingLabel="Adding…" />
    </form>
  );
}
