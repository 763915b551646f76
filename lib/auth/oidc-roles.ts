import { ROLES, type RoleName } from './permissions';

/**
 * Parses OIDC_ROLE_MAP: `claimValue=role[,role];claimValue=role`, e.g.
 * `ml-admins=admin;ml-platform=engineer,reviewer`. Throws with the offending part named.
 */
export function parseRoleMap(raw: string): Map<string, RoleName[]> {
  const map = new Map<string, RoleName[]>();
  for (const part of raw.split(';').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.lastIndexOf('=');
    if (eq <= 0) throw new Error(`OIDC_ROLE_MAP: "${part}" is not of the form claimValue=role[,role].`);
    const claimValue = part.slice(0, eq).trim();
    const roles = parseRoleList(part.slice(eq + 1), `OIDC_ROLE_MAP entry "${part}"`);
    map.set(claimValue, [...new Set([...(map.get(claimValue) ?? []), ...roles])]);
  }
  return map;
}

export function parseRoleList(raw: string, where: string): RoleName[] {
  const names = raw.split(',').map((r) => r.trim()).filter(Boolean);
  for (const name of names) {
    if (!(ROLES as readonly string[]).includes(name)) {
      throw new Error(`${where}: unknown role "${name}" (roles: ${ROLES.join(', ')}).`);
    }
  }
  return names as RoleName[];
}

/**
 * Roles for a set of ID-token claims: every mapped value found in the role claim (a
 * string or an array of strings), or the default roles when nothing matched.
 */
export function rolesFromClaims(
  claims: Record<string, unknown>,
  config: { claim: string; map: Map<string, RoleName[]>; defaults: RoleName[] },
): RoleName[] {
  const raw = claims[config.claim];
  const values = Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : typeof raw === 'string' ? [raw] : [];
  const mapped = new Set<RoleName>();
  for (const value of values) for (const role of config.map.get(value) ?? []) mapped.add(role);
  const roles = mapped.size > 0 ? [...mapped] : config.defaults;
  return ROLES.filter((role) => roles.includes(role));
}
