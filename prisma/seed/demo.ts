import type { RoleName } from '@/lib/auth/permissions';
import { db } from '@/lib/db';
import { stopBoss } from '@/lib/server/jobs/queue';
import { createUser } from '@/lib/server/users/create-user';
import { seedRegistry } from './registry';
import { historyWindow } from './timeline';

/** Demo password for every seeded account. Only ever seeded into local/demo databases. */
export const DEMO_PASSWORD = 'modeldeck-demo';

export const DEMO_USERS: { email: string; name: string; roles: RoleName[] }[] = [
  { email: 'admin@example.com', name: 'Ada Admin', roles: ['admin'] },
  { email: 'engineer@example.com', name: 'Eli Engineer', roles: ['engineer'] },
  { email: 'reviewer@example.com', name: 'Rae Reviewer', roles: ['reviewer'] },
  { email: 'manager@example.com', name: 'Mo Manager', roles: ['manager'] },
  { email: 'viewer@example.com', name: 'Vi Viewer', roles: ['viewer'] },
];

export async function hasUsers(): Promise<boolean> {
  return (await db().user.count()) > 0;
}

/** Adds the demo scenario (people, then a lived-in registry); running it again changes nothing. */
export async function seedDemo(): Promise<{ created: number; existing: number; models: number }> {
  let created = 0;
  // The team joined when the demo's history starts, a minute apart.
  const { start } = await historyWindow();
  for (const [index, user] of DEMO_USERS.entries()) {
    const found = await db().user.findUnique({ where: { email: user.email }, select: { id: true } });
    if (found) continue;
    await createUser({ input: { ...user, password: DEMO_PASSWORD }, actor: null, at: new Date(start.getTime() + index * 60_000) });
    created += 1;
  }
  try {
    const { models } = await seedRegistry();
    return { created, existing: DEMO_USERS.length - created, models };
  } finally {
    // Releases enqueue deployment jobs; the seed deploys them itself, so stop the queue client.
    await stopBoss();
  }
}

export function printDemoSignIns(log: (line: string) => void): void {
  log('Demo sign-ins (password for all: ' + DEMO_PASSWORD + '):');
  for (const user of DEMO_USERS) log(`  ${user.email.padEnd(24)} ${user.roles.join(', ')}`);
}
