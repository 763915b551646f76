import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
import type { FieldErrors } from '@/lib/errors';
import { FieldError } from './form-feedback';

/**
 * The label / control / hint / error block every form repeats. Each field links its hint and
 * (when the server refused it) its own error through aria-describedby and marks itself
 * aria-invalid, so a screen reader reads why; labels stay real <label for>, so
 * `getByLabel(…)` keeps finding the control.
 */
export interface FieldProps {
  id: string;
  label: ReactNode;
  /** Shown under the control and read with it. */
  hint?: ReactNode;
  /** The form's field errors (from useFormAction or a server action's state). */
  errors?: FieldErrors;
  /** The key of this field's errors when it differs from `name`, e.g. "config.url". */
  errorKey?: string;
  /** The id its error gets (useFormAction's errorId(name)); defaults to `<id>-error`. */
  errorId?: string;
  /** Extra classes on the field block, e.g. "narrow". */
  className?: string;
  /** Classes on the control itself, e.g. "mono". */
  controlClassName?: string;
}

type Shared<T> = Omit<T, 'id' | 'className' | 'aria-invalid' | 'aria-describedby'> & FieldProps & { name: string };

function describe(props: FieldProps & { name: string }) {
  const key = props.errorKey ?? props.name;
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const errorId = props.errorId ?? `${props.id}-error`;
  const invalid = Boolean(props.errors?.[key]?.length);
  const describedBy = [hintId, invalid ? errorId : undefined].filter(Boolean).join(' ') || undefined;
  return { key, hintId, errorId, aria: { 'aria-invalid': invalid || undefined, 'aria-describedby': describedBy } };
}

function FieldShell({ field, children, labelFor = true }: { field: FieldProps & { name: string }; children: ReactNode; labelFor?: boolean }) {
  const { key, hintId, errorId } = describe(field);
  return (
    <div className={field.className ? `field ${field.className}` : 'field'}>
      {labelFor ? <label htmlFor={field.id}>{field.label}</label> : <span className="label">{field.label}</span>}
      {children}
      {field.hint ? (
        <span className="hint" id={hintId}>
          {field.hint}
        </span>
      ) : null}
      <FieldError errors={field.errors} name={key} id={errorId} />
    </div>
  );
}

function split<T extends FieldProps & { name: string }>(props: T) {
  const { id, label, hint, errors, errorKey, errorId, className, controlClassName, ...rest } = props;
  return { field: { id, label, hint, errors, errorKey, errorId, className, name: props.name }, control: { ...rest, className: controlClassName } };
}

/** A labelled <input> (text, number, url, password, …). */
export function TextField(props: Shared<InputHTMLAttributes<HTMLInputElement>>) {
  const { field, control } = split(props);
  return (
    <FieldShell field={field}>
      <input id={field.id} {...control} {...describe(field).aria} />
    </FieldShell>
  );
}

/** A labelled <textarea>. */
export function TextAreaField(props: Shared<TextareaHTMLAttributes<HTMLTextAreaElement>>) {
  const { field, control } = split(props);
  return (
    <FieldShell field={field}>
      <textarea id={field.id} {...control} {...describe(field).aria} />
    </FieldShell>
  );
}

/** A labelled <select>; its <option>s are the children. */
export function SelectField(props: Shared<SelectHTMLAttributes<HTMLSelectElement>> & { children: ReactNode }) {
  const { field, control } = split(props);
  return (
    <FieldShell field={field}>
      <select id={field.id} {...control} {...describe(field).aria} />
    </FieldShell>
  );
}

/** A checkbox with its label beside it; `title` (a tooltip) goes on the whole label. */
export function CheckboxField({
  id,
  label,
  className,
  title,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'id'> & { id: string; label: ReactNode }) {
  return (
    <label htmlFor={id} className={className} title={title}>
      <input id={id} type="checkbox" {...input} /> {label}
    </label>
  );
}

/**
 * A group of checkboxes under one caption (roles, events): the caption names the group for
 * assistive technology, and the group carries the field's error.
 */
export function CheckboxGroupField({
  id,
  label,
  name,
  errors,
  errorKey,
  errorId,
  hint,
  className,
  children,
}: FieldProps & { name: string; children: ReactNode }) {
  const field = { id, label, name, errors, errorKey, errorId, hint, className };
  return (
    <FieldShell field={field} labelFor={false}>
      <div className="checks" role="group" id={id} aria-label={typeof label === 'string' ? label : undefined} {...describe(field).aria}>
        {children}
      </div>
    </FieldShell>
  );
}

/** A form's primary submit button, disabled and relabelled while the action runs. */
export function SubmitButton({ pending, label, pendingLabel }: { pending: boolean; label: string; pendingLabel: string }) {
  return (
    <div>
      <button className="btn primary" type="submit" disabled={pending}>
        {pending ? pendingLabel : label}
      </button>
    </div>
  );
}

/** A secret the server returns once (a signing secret, a token): shown with the warning that it will not be again. */
export function SecretOnce({ intro, secret, testId }: { intro: ReactNode; secret: string; testId: string }) {
  return (
    <div className="notice warn" role="status">
      {intro}
      <div className="secret" data-testid={testId}>
        {secret}
      </div>
    </div>
  );
}
