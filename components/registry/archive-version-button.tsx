'use client';

import { archiveVersionAction } from '@/app/(app)/models/[name]/versions/[version]/actions';
import { ConfirmActionButton } from '@/components/ui/confirm-action-button';

export function ArchiveVersionButton({ model, version }: { model: string; version: number }) {
  return (
    <ConfirmActionButton
      action={archiveVersionAction}
      fields={{ name: model, version }}
      formLabel={`Archive v${version}`}
      formClassName="align-end"
      label="Archive version"
      tooltip="Keep it for history and lineage, but stop it from being promoted"
      title={`Archive ${model} v${version}?`}
      confirmLabel={`Archive v${version}`}
      pendingLabel="Archiving…"
    >
      <p>
        v{version} will be archived: it can never be promoted again, and this cannot be undone. It stays in the registry
        for history and lineage.
      </p>
    </ConfirmActionButton>
  );
}
