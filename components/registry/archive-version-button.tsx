'use client';

import { useActionState } from 'react';
import { archiveVersionAction } from '@/app/(app)/models/[name]/versions/[version]/actions';
import { FormMessage } from '@/components/ui/form-feedback';

export function ArchiveVersionButton({ model, version }: { model: string; version: number }) {
  const [state, action, pending] = useActionState(archiveVersionAction, { status: 'idle' });
  return (
    <form action={action} aria-label={`Archive v${version}`} className="align-end">
      <input type="hidden" name="name" value={model} />
      <input type="hidden" name="version" value={version} />
      <button className="btn danger" type="submit" disabled={pending} title="Keep it for history and lineage, but stop it from being promoted">
        {pending ? 'Archiving…' : 'Archive version'}
      </button>
      <FormMessage state={state} />
    </form>
  );
}
