import type { FieldErrors } from '@/lib/errors';

export function FieldError({ errors, name }: { errors?: FieldErrors; name: string }) {
  const messages = errors?.[name];
  if (!messages?.length) return null;
  return (
    <span className="error" id={`${name}-error`} role="alert">
      {messages.join(' ')}
    </span>
  );
}

export function FormMessage({ state }: { state: { status: string; message?: string } }) {
  if (state.status === 'error') return <div className="notice danger" role="alert">{state.message}</div>;
  if (state.status === 'success' && state.message) return <div className="notice ok" role="status">{state.message}</div>;
  return null;
}
