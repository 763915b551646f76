import 'server-only';
import { redirect } from 'next/navigation';
import { can, type Permission } from '@/lib/auth/permissions';
import type { Actor } from '@/lib/server/context';
import { currentActor } from './current-actor';

/**
 * For pages: the signed-in user, or a redirect to the sign-in page that comes back here.
 * `allowed` is false when the user lacks the permission; the page then shows <Forbidden/>.
 */
export async function pageActorOrRedirect(path: string, permission?: Permission): Promise<{ actor: Actor; allowed: boolean }> {
  const actor = await currentActor();
  if (!actor) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  return { actor, allowed: permission ? can(actor.roles, permission) : true };
}
