import { z } from 'zod';
import { ZText } from './common';
import { FIRST } from './form-options';
import { ZEnvironmentName, ZUpdateEnvironment } from './registry';

/**
 * Adding and reordering environments. The order is the promotion order: an environment's
 * "previous environment" (for the previous-environment and soak gates) is the one just
 * before it, so reordering changes what those gates check.
 */
export const ZCreateEnvironment = ZUpdateEnvironment.extend({
  name: ZEnvironmentName,
  after: ZEnvironmentName.nullable()
    .optional()
    .describe('Place the new environment right after this one; `null` puts it first; left out, it goes last.'),
});
export type CreateEnvironmentInput = z.infer<typeof ZCreateEnvironment>;

export const ZMoveEnvironment = z.strictObject({
  direction: z.enum(['up', 'down']).describe('`up` swaps the environment with the one before it, `down` with the one after it.'),
});
export type MoveEnvironmentInput = z.infer<typeof ZMoveEnvironment>;

/** Where a move goes: one place up or down, or to a 1-based position in the order. */
export type MoveTarget = MoveEnvironmentInput | { position: number };

export { FIRST } from './form-options';

/** The "New environment" form: name, description and where to put it; rules start at their defaults. */
export const ZCreateEnvironmentForm = z
  .object({
    name: ZEnvironmentName,
    description: ZText.max(500).optional(),
    after: z.union([z.literal(FIRST), ZEnvironmentName]).optional(),
  })
  .transform(({ after, ...rest }): CreateEnvironmentInput => ({
    ...rest,
    ...(after === undefined ? {} : { after: after === FIRST ? null : after }),
  }));

export const ZMoveEnvironmentForm = z.object({ name: ZEnvironmentName, direction: ZMoveEnvironment.shape.direction });

/** The delete button's form. */
export const ZEnvironmentNameForm = z.object({ name: ZEnvironmentName });

/** Archive / Unarchive: the clicked button posts `archived`. */
export const ZSetArchivedForm = z.object({
  name: ZEnvironmentName,
  archived: z.enum(['true', 'false']).transform((value) => value === 'true'),
});
