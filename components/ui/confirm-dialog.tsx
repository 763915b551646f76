'use client';

import { useId, useRef, type ReactNode } from 'react';

/**
 * A button that asks before a destructive action. Place it inside the action's <form>: the
 * dialog's confirm button submits that form. A native modal <dialog>: focus moves to Cancel
 * (the safe choice) on opening, stays inside while open, Escape or a click outside closes it,
 * and focus returns to the button that opened it.
 */
export function ConfirmDialog(props: {
  /** Text of the button that opens the dialog. */
  label: ReactNode;
  /** Accessible name of that button when its text alone is ambiguous ("Revoke token ci"). */
  labelForAssistiveTech?: string;
  className?: string;
  title: string;
  /** What will happen, in plain words ("Production will serve v3 again."). */
  children: ReactNode;
  confirmLabel: string;
  pending?: boolean;
  pendingLabel?: string;
  tooltip?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();
  const close = () => dialog.current?.close();

  return (
    <>
      <button
        ref={opener}
        type="button"
        className={props.className ?? 'btn danger'}
        aria-label={props.labelForAssistiveTech}
        aria-haspopup="dialog"
        title={props.tooltip}
        disabled={props.pending}
        onClick={() => {
          dialog.current?.showModal();
          cancel.current?.focus();
        }}
      >
        {props.pending && props.pendingLabel ? props.pendingLabel : props.label}
      </button>
      <dialog
        ref={dialog}
        className="confirm-dialog"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        onClose={() => opener.current?.focus()}
        onClick={(event) => {
          // A click on the backdrop lands on the <dialog> itself; clicks inside land on its content.
          if (event.target === dialog.current) close();
        }}
      >
        <div className="confirm-dialog-body">
          <h2 id={titleId}>{props.title}</h2>
          <div id={bodyId}>{props.children}</div>
          <div className="confirm-dialog-actions">
            <button ref={cancel} type="button" className="btn" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="btn danger-solid" onClick={close}>
              {props.confirmLabel}
            </button>
          </div>
        </div>
      </dialog>
    </>
  );
}
