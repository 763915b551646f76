'use client';

import { useActionState } from 'react';
import { createEnvironmentAction } from '@/app/(app)/admin/environments/actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';
import { FIRST } from '@/lib/validation/environments';

/**
 * Adds an environment at a chosen place in the promotion order. Its rules start
 * permissive (no approvals, no gates) and are edited below once it exists.
 */
export function NewEnvironmentForm({ environments }: { environments: string[] }) {
  const [state, action, pending] = useActionState(createEnvironmentAction, { status: 'idle' });
  const errors = state.status === 'error' ? state.fieldErrors : undefined;
  return (
    <form className="stack" action={action} aria-label="New environment">
      <div className="field">
        <label htmlFor="new-env-name">Name</label>
        <input
          id="new-env-name"
          name="name"
          required
          maxLength={64}
          placeholder="qa"
          aria-describedby="new-env-name-hint"
          aria-invalid={Boolean(errors?.name)}
        />
        <span className="hint" id="new-env-name-hint">Lower-case letters, digits and dashes, e.g. qa or pre-production.</span>
        <FieldError errors={errors} name="name" />
      </div>
      <div className="field">
        <label htmlFor="new-env-description">Description</label>
        <input id="new-env-description" name="description" maxLength={500} aria-invalid={Boolean(errors?.description)} />
        <FieldError errors={errors} name="description" />
      </div>
      <div className="field">
        <label htmlFor="new-env-after">Place after</label>
        {/* Remounted when the order changes, so the default is always the current last environment. */}
        <select
          key={environments.join(',')}
          id="new-env-after"
          name="after"
          defaultValue={environments.at(-1) ?? FIRST}
          aria-describedby="new-env-after-hint"
          aria-invalid={Boolean(errors?.after)}
        >
          <option value={FIRST}>(first)</option>
          {environments.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <span className="hint" id="new-env-after-hint">
          The environment that comes right after the new one will have it as its previous environment: its
          previous-environment and soak gates will then check the new environment.
        </span>
        <FieldError errors={errors} name="after" />
      </div>
      <FormMessage state={state} />
      <div>
        <button className="btn primary" type="submit" disabled={pending}>
          {pending ? 'Adding…' : 'Add environment'}
        </button>
      </div>
    </form>
  );
}
