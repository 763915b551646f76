import { startTransition, type FormEvent } from 'react';

/**
 * onSubmit for forms driven by useActionState. React 19 resets a form after a function
 * passed to `action` completes — also when the server refused the input — which empties
 * uncontrolled fields and puts checkboxes and selects back on their defaults. Dispatching
 * the action ourselves inside a transition skips that reset (the React team's recommended
 * way out, facebook/react#29034); the form keeps its `action` prop so it still posts before
 * hydration. The clicked button's name/value is kept (FormData with the submitter).
 */
export function submitWithoutReset(dispatch: (formData: FormData) => void) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const formData = new FormData(event.currentTarget, submitter);
    startTransition(() => dispatch(formData));
  };
}
