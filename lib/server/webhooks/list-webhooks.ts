import 'server-only';
import { db } from '@/lib/db';

/** Every webhook endpoint, newest first (the secret stays in the row; callers serialize). */
export function listWebhooks() {
  return db().webhookEndpoint.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 500 });
}
