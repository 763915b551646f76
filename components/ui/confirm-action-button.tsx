'use client';

import type { ReactNode } from 'react';
import { ConfirmDialog } from './confirm-dialog';
import { FormMessage } from './form-feedback';
import { useFormAction, type FormState } from './use-form-action';

/**
 * A button that asks before running a server action on one thing (delete a channel, revoke a
 * token, roll back an environment): its own form carrying the thing's identifiers as hidden
 * fields, the confirmation dialog (ConfirmDialog: focus on Cancel, Escape cancels, focus back on
 * the button), the button's pending label while the action runs, and the action's outcome below.
 */
export function ConfirmActionButton<T>(props: {
  action: (previous: FormState<T>, formData: FormData) => Promise<FormState<T>>;
  /** What the action acts on, sent as hidden fields (`{ id }`, `{ name, version }`). */
  fields: Record<string, string | number>;
  /** Accessible name of the form, when the page lists several of its kind. */
  formLabel?: string;
  formClassName?: string;
  /**
   * Where the thing disappears on success (a deleted row), a success message would vanish with
   * it: show only a refusal. Otherwise the success message is shown too.
   */
  errorsOnly?: boolean;
  label: ReactNode;
  labelForAssistiveTech?: string;
  className?: string;
  tooltip?: string;
  title: string;
  /** What will happen, naming the thing ("Rules that use ops-pager stop notifying it…"). */
  children: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
}) {
  const { state, pending, form } = useFormAction(props.action);
  return (
    <form {...form} aria-label={props.formLabel} className={props.formClassName}>
      {Object.entries(props.fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <ConfirmDialog
        label={props.label}
        labelForAssistiveTech={props.labelForAssistiveTech}
        className={props.className}
        tooltip={props.tooltip}
        title={props.title}
        confirmLabel={props.confirmLabel}
        pending={pending}
        pendingLabel={props.pendingLabel}
      >
        {props.children}
      </ConfirmDialog>
      {props.errorsOnly && state.status !== 'error' ? null : <FormMessage state={state} />}
    </form>
  );
}

/**
 * Deleting one row of a list: "Delete" (named "Delete {kind} {name}" for assistive tech) asks
 * "Delete this {kind}?". The row disappears on success, so only a refusal is shown.
 */
export function ConfirmDeleteButton<T>(props: {
  action: (previous: FormState<T>, formData: FormData) => Promise<FormState<T>>;
  id: string;
  /** What it is, in the words of the page: "channel", "rule", "webhook". */
  kind: string;
  name: string;
  /** What deleting it takes with it, naming it. */
  children: ReactNode;
}) {
  return (
    <ConfirmActionButton
      action={props.action}
      fields={{ id: props.id }}
      errorsOnly
      label="Delete"
      labelForAssistiveTech={`Delete ${props.kind} ${props.name}`}
      className="btn small danger"
      title={`Delete this ${props.kind}?`}
      confirmLabel={`Delete ${props.kind}`}
      pendingLabel="Deleting…"
    >
      {props.children}
    </ConfirmActionButton>
  );
}
