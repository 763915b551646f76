'use client';

import { useActionState } from 'react';
import { archiveVersionAction } from '@/app/(app)/models/[name]/versions/[version]/actions';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FormMessage } from '@/components/ui/form-feedback';

export function ArchiveVersionButton({ model, version }: { model: string; version: number }) {
  const [state, action, pending] = useActionState(archiveVersionAction, { status: 'idle' });
  return (
    <form action={action} aria-label={`Archive v${version}`} className="align-end">
      <input type="hidden" name="name" value={model} />
      <input type="hidden" name="version" value={version} />
      <ConfirmDialog
        label="Archive version"
        tooltip="Keep it for history and lineage, but stop it from being promoted"
        title={`Archive ${model} v${version}?`}
        confirmLabel={`Archive v${version}`}
        pending={pending}
        pendingLabel="Archiving…"
      >
        <p>
          v{version} will be archived: it can never be promoted again, and this cannot be undone. It stays in the registry
          for history and lineage.
        </p>
      </ConfirmDialog>
      <FormMessage state={state} />
    </form>
  );
}
