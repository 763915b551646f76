'use client';

import { useRef, useState } from 'react';
import { deleteEnvironmentAction, setArchivedAction } from '@/app/(app)/admin/environments/actions';
import { FormMessage } from '@/components/ui/form-feedback';
import { useFormAction } from '@/components/ui/use-form-action';

/**
 * Archive / Unarchive, and Delete behind a confirmation (deleting cannot be undone). Only an
 * environment nothing was ever requested for can be deleted; the server says so otherwise.
 */
export function EnvironmentLifecycleButtons({ name, archived, deletable }: { name: string; archived: boolean; deletable: boolean }) {
  const archive = useFormAction(setArchivedAction);
  const remove = useFormAction(deleteEnvironmentAction);
  const [confirming, setConfirming] = useState(false);
  const deleteButton = useRef<HTMLButtonElement>(null);

  return (
    <div className="button-row wrap">
      <form {...archive.form} aria-label={`${archived ? 'Unarchive' : 'Archive'} ${name}`}>
        <input type="hidden" name="name" value={name} />
        <input type="hidden" name="archived" value={archived ? 'false' : 'true'} />
        <button className="btn small" type="submit" disabled={archive.pending}>
          {archived ? 'Unarchive' : 'Archive'}
        </button>
      </form>
      {deletable ? (
        confirming ? (
          <form
            {...remove.form}
            className="confirm"
            role="group"
            aria-label={`Confirm deleting ${name}`}
            onKeyDown={(event) => {
              if (event.key !== 'Escape') return;
              setConfirming(false);
              requestAnimationFrame(() => deleteButton.current?.focus());
            }}
          >
            <input type="hidden" name="name" value={name} />
            <span>Delete {name}? This cannot be undone.</span>
            <button className="btn small danger" type="submit" disabled={remove.pending} autoFocus>
              {remove.pending ? 'Deleting…' : `Delete ${name}`}
            </button>
            <button
              className="btn small"
              type="button"
              onClick={() => {
                setConfirming(false);
                requestAnimationFrame(() => deleteButton.current?.focus());
              }}
            >
              Cancel
            </button>
          </form>
        ) : (
          <button ref={deleteButton} className="btn small danger" type="button" onClick={() => setConfirming(true)}>
            Delete…
          </button>
        )
      ) : null}
      <FormMessage state={archive.state} />
      <FormMessage state={remove.state} />
    </div>
  );
}
