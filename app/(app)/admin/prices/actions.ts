'use server';

import { revalidatePath } from 'next/cache';
import { updateUnitPrices } from '@/lib/server/decisions/unit-prices';
import { formAction } from '@/lib/server/http/action';
import { ZUnitPricesInput } from '@/lib/validation/decisions';

export const saveUnitPricesAction = formAction({ permission: 'backends:manage', schema: ZUnitPricesInput }, async (input, ctx) => {
  await updateUnitPrices(ctx, input);
  revalidatePath('/admin/prices');
  return { message: `Saved. Deployment cost estimates now use these prices (${input.currency}).` };
});
