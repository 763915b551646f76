import { describe, expect, it } from 'vitest';
import { can, permissionsOf, PERMISSIONS } from './permissions';
import { parseRoleMap, rolesFromClaims } from './oidc-roles';

describe('permission table', () => {
  it('gives admins everything and viewers only reads', () => {
    expect(permissionsOf(['admin'])).toEqual([...PERMISSIONS]);
    expect(permissionsOf(['viewer']).every((p) => p.endsWith(':read'))).toBe(true);
  });

  it('keeps separation of duties: engineers request, reviewers review, managers change nothing', () => {
    expect(can(['engineer'], 'releases:request')).toBe(true);
    expect(can(['engineer'], 'releases:review')).toBe(false);
    expect(can(['reviewer'], 'releases:review')).toBe(true);
    expect(can(['reviewer'], 'models:write')).toBe(false);
    expect(permissionsOf(['manager']).filter((p) => !p.endsWith(':read'))).toEqual([]);
    expect(can(['viewer', 'engineer'], 'models:write')).toBe(true);
    expect(can([], 'models:read')).toBe(false);
  });
});

describe('OIDC role mapping', () => {
  const map = parseRoleMap('ml-admins=admin; ml-eng=engineer,reviewer ;ml-eng=viewer');

  it('maps every matching claim value and merges duplicate entries', () => {
    expect(rolesFromClaims({ groups: ['ml-eng', 'other'] }, { claim: 'groups', map, defaults: ['viewer'] })).toEqual([
      'viewer',
      'engineer',
      'reviewer',
    ]);
    expect(rolesFromClaims({ groups: 'ml-admins' }, { claim: 'groups', map, defaults: [] })).toEqual(['admin']);
  });

  it('falls back to the default roles when nothing matches or the claim is missing', () => {
    expect(rolesFromClaims({ groups: ['nope'] }, { claim: 'groups', map, defaults: ['viewer'] })).toEqual(['viewer']);
    expect(rolesFromClaims({}, { claim: 'roles', map, defaults: [] })).toEqual([]);
  });

  it('names the offending entry in configuration errors', () => {
    expect(() => parseRoleMap('admins')).toThrow(/"admins" is not of the form/);
    expect(() => parseRoleMap('admins=superuser')).toThrow(/unknown role "superuser"/);
  });
});
