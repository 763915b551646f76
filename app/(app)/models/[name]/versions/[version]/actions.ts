'use server';

import { revalidatePath } from 'next/cache';
import { formAction } from '@/lib/server/http/action';
import { archiveVersion } from '@/lib/server/registry/archive-version';
import { ZArchiveVersionForm } from '@/lib/validation/registry-forms';

export const archiveVersionAction = formAction({ permission: 'models:write', schema: ZArchiveVersionForm }, async (input, ctx) => {
  await archiveVersion(ctx, input.name, input.version);
  revalidatePath(`/models/${input.name}`);
  revalidatePath(`/models/${input.name}/versions/${input.version}`);
  return { message: `Archived v${input.version}. It stays in the history but can no longer be promoted.` };
});
