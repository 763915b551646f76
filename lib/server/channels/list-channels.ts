import 'server-only';
import { db } from '@/lib/db';

export async function listChannels() {
  return db().alertChannel.findMany({ orderBy: { name: 'asc' } });
}
