import { describe, expect, it } from 'vitest';
import { uncapturedSchemaChanges } from '@/lib/runtime/migrate';

describe('migrations', () => {
  it('capture every change in prisma/schema.prisma (run `npm run db:migration -- <name>` if this fails)', async () => {
    expect(await uncapturedSchemaChanges(process.env.DATABASE_URL!)).toBe('');
  });
});
