import { z } from 'zod';
import { ZRole, ZUuid } from './common';

/** Form-shaped variants of the user schemas (the UI posts one field set per button). */
export const ZSetRolesForm = z.object({
  id: ZUuid,
  roles: z.array(ZRole, { error: 'Choose at least one role.' }).min(1, 'Choose at least one role.'),
});

export const ZSetActiveForm = z.object({
  id: ZUuid,
  active: z.enum(['true', 'false']).transform((value) => value === 'true'),
});
