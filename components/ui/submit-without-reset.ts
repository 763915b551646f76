import { startTransition, type FormEvent } from 'react';

/**
 * onSubmit for forms with controlled inputs. React resets a form after a function passed
 * to `action` completes, which puts controlled <select>s back on their first option while
 * the state still holds the chosen one; dispatching the action ourselves skips that reset.
 * The clicked button's name/value is kept (FormData with the submitter).
 */
export function submitWithoutReset(dispatch: (formData: FormData) => void) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const formData = new FormData(event.currentTarget, submitter);
    startTransition(() => dispatch(formData));
  };
}
