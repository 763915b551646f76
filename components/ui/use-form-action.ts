'use client';

import { useActionState, useEffect, useId, useRef } from 'react';
import type { FieldErrors } from '@/lib/errors';
import { submitWithoutReset } from './submit-without-reset';

/** The state a `formAction` server action returns (lib/server/http/action.ts). */
export type FormState<T = undefined> =
  | { status: 'idle' }
  | { status: 'success'; message?: string; data?: T }
  | { status: 'error'; message: string; fieldErrors?: FieldErrors };

/**
 * useActionState for a form: what the user typed survives a refused submission (the form
 * is only cleared after a success, and only with `resetOnSuccess`), and each field gets
 * `aria-invalid`/`aria-describedby` pointing at its own error, rendered once by
 * `<FieldError>` next to the field.
 */
export function useFormAction<T>(
  action: (previous: FormState<T>, formData: FormData) => Promise<FormState<T>>,
  options: { resetOnSuccess?: boolean } = {},
) {
  const [state, dispatch, pending] = useActionState(action, { status: 'idle' });
  const ref = useRef<HTMLFormElement>(null);
  const prefix = useId();
  const resetOnSuccess = options.resetOnSuccess ?? false;
  useEffect(() => {
    if (resetOnSuccess && state.status === 'success') ref.current?.reset();
  }, [state, resetOnSuccess]);

  const errors = state.status === 'error' ? state.fieldErrors : undefined;
  const errorId = (name: string) => `${prefix}-${name.replace(/[^\w-]/g, '-')}-error`;
  return {
    state,
    pending,
    errors,
    errorId,
    /** Spread on the <form>. */
    form: { ref, action: dispatch, onSubmit: submitWithoutReset(dispatch) },
    /** Spread on a field's input: marks it invalid and links its error (and any hints). */
    field(name: string, ...hintIds: string[]) {
      const invalid = Boolean(errors?.[name]?.length);
      const describedBy = [...hintIds, ...(invalid ? [errorId(name)] : [])].join(' ');
      return { 'aria-invalid': invalid || undefined, 'aria-describedby': describedBy || undefined };
    },
  };
}
