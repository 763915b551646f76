import 'server-only';
import { db } from '@/lib/db';
import { withNames } from './get-rule';

/** Every rule, by model then name. Optional model name filter. */
export async function listRules(options: { model?: string } = {}) {
  const rules = await db().alertRule.findMany({
    where: options.model ? { model: { name: options.model } } : {},
    include: { model: { select: { name: true } } },
    orderBy: [{ model: { name: 'asc' } }, { name: 'asc' }],
  });
  return withNames(db(), rules);
}
