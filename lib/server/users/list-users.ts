import 'server-only';
import { db } from '@/lib/db';

/** All users, admins' view. Small by nature (people, not events), so one page. */
export function listUsers() {
  return db().user.findMany({ orderBy: [{ active: 'desc' }, { email: 'asc' }], take: 1000 });
}
