'use client';

import { createEnvironmentAction } from '@/app/(app)/admin/environments/actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';
import { useFormAction } from '@/components/ui/use-form-action';
import { FIRST } from '@/lib/validation/environments';

/**
 * Adds an environment at a chosen place in the promotion order. Its rules start
 * permissive (no approvals, no gates) and are edited below once it exists.
 */
export function NewEnvironmentForm({ environments }: { environments: string[] }) {
  const { state, pending, errors, errorId, form, field } = useFormAction(createEnvironmentAction, { resetOnSuccess: true });
  return (
    <form className="stack" {...form} aria-label="New environment">
      <div className="field">
        <label htmlFor="new-env-name">Name</label>
        <input
          id="new-env-name"
          name="name"
          required
          maxLength={64}
          placeholder="qa"
          {...field('name', 'new-env-name-hint')}
        />
        <span className="hint" id="new-env-name-hint">Lower-case letters, digits and dashes, e.g. qa or pre-production.</span>
        <FieldError errors={errors} name="name" id={errorId('name')} />
      </div>
      <div className="field">
        <label htmlFor="new-env-description">Description</label>
        <input id="new-env-description" name="description" maxLength={500} {...field('description')} />
        <FieldError errors={errors} name="description" id={errorId('description')} />
      </div>
      <div className="field">
        <label htmlFor="new-env-after">Place after</label>
        {/* Remounted when the order changes, so the default is always the current last environment. */}
        <select
          key={environments.join(',')}
          id="new-env-after"
          name="after"
          defaultValue={environments.at(-1) ?? FIRST}
          {...field('after', 'new-env-after-hint')}
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
        <FieldError errors={errors} name="after" id={errorId('after')} />
      </div>
      <FormMessage state={state} fields={['name', 'description', 'after']} />
      <div>
        <button className="btn primary" type="submit" disabled={pending}>
          {pending ? 'Adding…' : 'Add environment'}
        </button>
      </div>
    </form>
  );
}
