import { z } from 'zod';
import { ZEmail, ZRole, ZText, ZUuid } from './common';

export const ZPassword = ZText
  .min(12, 'Passwords need at least 12 characters.')
  .max(200, 'Passwords can have at most 200 characters.');

export const ZCreateUser = z.strictObject({
  email: ZEmail,
  name: ZText.trim().min(1, 'Enter a name.').max(120),
  roles: z.array(ZRole, { error: 'Choose at least one role.' }).min(1, 'Choose at least one role.'),
  /** Omit to have ModelDeck generate a temporary password, returned once. */
  password: ZPassword.optional(),
});
export type CreateUserInput = z.infer<typeof ZCreateUser>;

export const ZUpdateUser = z
  .strictObject({
    name: ZText.trim().min(1).max(120).optional(),
    roles: z.array(ZRole).min(1, 'Choose at least one role.').optional(),
    active: z.boolean().optional(),
  })
  .refine((value) => Object.keys(value).length > 0, { message: 'Send at least one of name, roles, active.' });
export type UpdateUserInput = z.infer<typeof ZUpdateUser>;

export const ZUserIdParams = z.object({ id: ZUuid });

export const ZUser = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    roles: z.array(ZRole),
    active: z.boolean(),
    sso: z.boolean(),
    createdAt: z.string(),
    lastLoginAt: z.string().nullable(),
  })
  .meta({ id: 'User' });

export const ZMe = ZUser.extend({
  permissions: z.array(z.string()),
  pendingReviews: z.number().int().min(0).describe('Releases waiting for this user\'s review (0 without the releases:review permission).'),
}).meta({ id: 'Me' });

export const ZCreatedUser = z
  .object({ user: ZUser, temporaryPassword: z.string().optional() })
  .meta({ id: 'CreatedUser' });
