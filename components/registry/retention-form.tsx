'use client';

import { useState } from 'react';
import { setRetentionAction } from '@/app/(app)/models/[name]/actions';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FormMessage } from '@/components/ui/form-feedback';
import { SubmitButton, TextField } from '@/components/ui/form-fields';
import { useFormAction } from '@/components/ui/use-form-action';
import { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from '@/lib/validation/form-options';

/**
 * How long the model's monitoring data is kept. Shortening it deletes data for good, so that
 * asks first; lengthening it saves straight away.
 */
export function RetentionForm({ model, days }: { model: string; days: number }) {
  const { state, pending, errors, errorId, form } = useFormAction(setRetentionAction);
  const [value, setValue] = useState(String(days));
  const shorter = Number(value) < days && Number(value) >= MIN_RETENTION_DAYS;
  return (
    <form className="inline" {...form} aria-label="Monitoring retention">
      <input type="hidden" name="name" value={model} />
      <TextField
        id="retention-days"
        name="days"
        label="Keep monitoring data for (days)"
        type="number"
        inputMode="numeric"
        min={MIN_RETENTION_DAYS}
        max={MAX_RETENTION_DAYS}
        required
        value={value}
        onChange={(event) => setValue(event.target.value)}
        hint={`${MIN_RETENTION_DAYS}–${MAX_RETENTION_DAYS} days; 90 by default.`}
        errors={errors}
        errorId={errorId('days')}
      />
      {shorter ? (
        <ConfirmDialog
          label="Save retention"
          title={`Keep ${model}'s monitoring data for ${value} days?`}
          confirmLabel={`Delete data older than ${value} days`}
          pending={pending}
          pendingLabel="Saving…"
        >
          <p>
            Predictions, labels and chart data older than {value} days are deleted within a minute and cannot be brought
            back. Drift and performance charts will start {value} days ago.
          </p>
        </ConfirmDialog>
      ) : (
        <SubmitButton pending={pending} label="Save retention" pendingLabel="Saving…" />
      )}
      <FormMessage state={state} fields={['days']} />
    </form>
  );
}
