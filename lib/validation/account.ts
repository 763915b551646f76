import { z } from 'zod';
import { ZPassword } from './users';

/** Settings → Change password. The new password follows the same rules as create-user's. */
export const ZChangePassword = z
  .strictObject({
    currentPassword: z.string({ error: 'Enter your current password.' }).min(1, 'Enter your current password.').max(200),
    newPassword: ZPassword,
  })
  .refine((value) => value.newPassword !== value.currentPassword, {
    path: ['newPassword'],
    message: 'Choose a password different from the current one.',
  });
export type ChangePasswordInput = z.infer<typeof ZChangePassword>;

/** Settings → Sign out everywhere: the confirmation box must be ticked. */
export const ZSignOutEverywhere = z.strictObject({
  confirm: z.literal('yes', { error: 'Tick the box to confirm that every session, this one included, ends.' }),
});
