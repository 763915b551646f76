import type { RoleName } from '@/lib/auth/permissions';

/** The signed-in user a request acts as (through a session or an API token). */
export interface Actor {
  id: string;
  email: string;
  name: string;
  roles: RoleName[];
}

/** What every use case receives besides its input: who acts, and the request's id for the audit log. */
export interface RequestContext {
  actor: Actor;
  requestId: string;
  /**
   * When the action happens; absent means now. Only the demo seed sets it, to lay down a
   * backdated history (in chronological order, so the audit chain and the timeline agree).
   */
  at?: Date;
}
