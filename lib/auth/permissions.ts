/**
 * The one authorization table. Server guards (lib/server/auth) enforce it; the UI reads
 * the same table only to hide what a user cannot do.
 */
export const ROLES = ['viewer', 'manager', 'engineer', 'reviewer', 'admin'] as const;
export type RoleName = (typeof ROLES)[number];

export const PERMISSIONS = [
  'models:read',
  'models:write',
  'releases:read',
  'releases:request',
  'releases:review',
  'deployments:operate',
  'monitoring:read',
  'monitoring:write',
  'alerts:read',
  'alerts:manage',
  'audit:read',
  'users:manage',
  'environments:manage',
  'backends:manage',
  'webhooks:manage',
  'channels:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = ['models:read', 'releases:read', 'monitoring:read', 'alerts:read'];

export const ROLE_PERMISSIONS: Record<RoleName, readonly Permission[]> = {
  viewer: READ,
  manager: [...READ, 'audit:read'],
  // monitoring:write lets a model server's token (an engineer's, or a dedicated engineer user's) send
  // predictions and labels; viewers and managers only read them.
  engineer: [...READ, 'models:write', 'releases:request', 'deployments:operate', 'monitoring:write', 'alerts:manage'],
  reviewer: [...READ, 'releases:review', 'audit:read'],
  admin: PERMISSIONS,
};

export const ROLE_DESCRIPTIONS: Record<RoleName, string> = {
  viewer: 'Reads models, releases, monitoring and alerts.',
  manager: 'Reads everything, including the audit log; changes nothing.',
  engineer: 'Registers versions, deploys, requests promotions, rolls back, sends monitoring data, manages alert rules.',
  reviewer: 'Approves or rejects releases requested by others.',
  admin: 'Manages users, roles, environments, backends, webhooks, alert channels and tokens.',
};

export function can(roles: readonly RoleName[], permission: Permission): boolean {
  return roles.some((role) => ROLE_PERMISSIONS[role].includes(permission));
}

export function permissionsOf(roles: readonly RoleName[]): Permission[] {
  return PERMISSIONS.filter((permission) => can(roles, permission));
}
