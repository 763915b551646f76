'use client';

import { createTokenAction } from '@/app/(app)/settings/tokens/actions';
import { FormMessage } from '@/components/ui/form-feedback';
import { SecretOnce, TextField } from '@/components/ui/form-fields';
import { useFormAction } from '@/components/ui/use-form-action';

const FIELDS = ['name', 'expiresInDays'];

export function CreateTokenForm() {
  const { state, pending, errors, errorId, form } = useFormAction(createTokenAction, { resetOnSuccess: true });
  return (
    <>
      <form className="inline" {...form} aria-label="Create API token">
        <TextField id="token-name" name="name" label="Name" required placeholder="training pipeline" errors={errors} errorId={errorId('name')} />
        <TextField
          id="token-expiry"
          name="expiresInDays"
          label="Expires after (days)"
          type="number"
          min={1}
          max={3650}
          placeholder="never"
          errors={errors}
          errorId={errorId('expiresInDays')}
        />
        <button className="btn primary" type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create token'}
        </button>
      </form>
      <FormMessage state={state} fields={FIELDS} />
      {state.status === 'success' && state.data?.token ? (
        <SecretOnce intro="Copy it now — it will not be shown again:" secret={state.data.token} testId="new-token" />
      ) : null}
    </>
  );
}
