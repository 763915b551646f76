import 'server-only';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { conflict } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import { generatePassword, hashPassword } from '@/lib/server/auth/passwords';
import type { CreateUserInput } from '@/lib/validation/users';

export interface CreateUserOptions {
  input: CreateUserInput;
  /** The admin creating the account, or null for the operator CLI and the seed. */
  actor: { id: string; email: string } | null;
  requestId?: string;
  /** Backdates the account and its audit entry: the demo seed's history only. */
  at?: Date;
}

/**
 * Creates a user who signs in with a password. Without a password in the input, a
 * temporary one is generated and returned once for the admin to hand over.
 */
export async function createUser({ input, actor, requestId, at }: CreateUserOptions) {
  const temporaryPassword = input.password ? undefined : generatePassword();
  const passwordHash = await hashPassword(input.password ?? temporaryPassword!);
  try {
    const user = await db().$transaction(async (tx) => {
      const created = await tx.user.create({
        data: { email: input.email, name: input.name, roles: input.roles, passwordHash, ...(at ? { createdAt: at } : {}) },
      });
      await recordAudit(tx, {
        actor,
        action: 'user.create',
        targetType: 'user',
        targetId: created.id,
        after: { email: created.email, name: created.name, roles: created.roles, active: true },
        requestId,
        at,
      });
      return created;
    });
    return { user, temporaryPassword };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw conflict(`A user with the e-mail ${input.email} already exists.`, 'email_taken');
    }
    throw error;
  }
}
