import 'server-only';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { parseRoleList, parseRoleMap, rolesFromClaims } from '@/lib/auth/oidc-roles';
import { recordAudit } from '@/lib/server/audit/record-audit';

/**
 * Creates or updates the ModelDeck user behind an OIDC sign-in. With OIDC_ROLE_MAP set,
 * the identity provider owns roles (they are replaced at every sign-in); without it, new
 * users get OIDC_DEFAULT_ROLES and admins assign roles in ModelDeck. Returns the user id,
 * or null when the account is deactivated or ends up with no role.
 */
export async function signInWithOidc(claims: Record<string, unknown>): Promise<string | null> {
  const subject = typeof claims.sub === 'string' ? claims.sub : null;
  const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : null;
  if (!subject || !email) return null;
  const config = env();
  const map = parseRoleMap(config.OIDC_ROLE_MAP);
  const roles = rolesFromClaims(claims, {
    claim: config.OIDC_ROLE_CLAIM,
    map,
    defaults: parseRoleList(config.OIDC_DEFAULT_ROLES, 'OIDC_DEFAULT_ROLES'),
  });
  const name = typeof claims.name === 'string' && claims.name ? claims.name : email;

  return db().$transaction(async (tx) => {
    const existing = await tx.user.findFirst({ where: { OR: [{ oidcSubject: subject }, { email }] } });
    if (existing && !existing.active) return null;
    const idpOwnsRoles = map.size > 0;
    if (!existing) {
      if (roles.length === 0) return null;
      const user = await tx.user.create({ data: { email, name, roles, oidcSubject: subject, lastLoginAt: new Date() } });
      await recordAudit(tx, {
        actor: { id: user.id, email },
        action: 'user.create',
        targetType: 'user',
        targetId: user.id,
        after: { email, name, roles, source: 'oidc' },
      });
      return user.id;
    }
    const nextRoles = idpOwnsRoles ? roles : existing.roles;
    if (nextRoles.length === 0) return null;
    const rolesChanged = nextRoles.join() !== existing.roles.join();
    await tx.user.update({
      where: { id: existing.id },
      data: { oidcSubject: subject, roles: nextRoles, lastLoginAt: new Date() },
    });
    await recordAudit(tx, {
      actor: { id: existing.id, email: existing.email },
      action: 'auth.sign_in',
      targetType: 'user',
      targetId: existing.id,
      before: rolesChanged ? { roles: existing.roles } : undefined,
      after: { method: 'oidc', ...(rolesChanged ? { roles: nextRoles } : {}) },
    });
    return existing.id;
  });
}
