import type { FieldErrors } from '@/lib/errors';

/** A field's own error, rendered next to it; `id` is what the field's aria-describedby names. */
export function FieldError({ errors, name, id }: { errors?: FieldErrors; name: string; id?: string }) {
  const messages = errors?.[name];
  if (!messages?.length) return null;
  return (
    <span className="error" id={id ?? `${name}-error`}>
      {messages.join(' ')}
    </span>
  );
}

/**
 * The form's outcome. When the form shows its field errors itself (`fields`: the names it
 * renders a <FieldError> for; a name also covers its sub-paths, e.g. `metricGates` covers
 * `metricGates.0.metric`), only a short pointer and the errors of other fields appear here,
 * so no message is shown twice.
 */
export function FormMessage({
  state,
  fields,
}: {
  state: { status: string; message?: string; fieldErrors?: FieldErrors };
  fields?: readonly string[];
}) {
  if (state.status === 'success' && state.message) return <div className="notice ok" role="status">{state.message}</div>;
  if (state.status !== 'error') return null;
  const fieldErrors = Object.entries(state.fieldErrors ?? {});
  if (!fields || fieldErrors.length === 0) return <div className="notice danger" role="alert">{state.message}</div>;
  const covered = (key: string) => fields.some((field) => key === field || key.startsWith(`${field}.`));
  const others = fieldErrors.filter(([key]) => !covered(key));
  const shown = fieldErrors.length - others.length;
  return (
    <div className="notice danger" role="alert">
      {shown > 0 ? (shown === 1 ? 'One field needs a change: see the message next to it.' : `${shown} fields need a change: see the messages next to them.`) : null}
      {others.map(([key, messages]) => (
        <div key={key}>
          {key}: {messages.join(' ')}
        </div>
      ))}
    </div>
  );
}
