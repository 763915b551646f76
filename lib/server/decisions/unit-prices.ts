import 'server-only';
import { db, type Tx } from '@/lib/db';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import type { UnitPrices, UnitPricesInput } from '@/lib/validation/decisions';

const ID = 'default';

type Row = { currency: string; cpuHour: number; gbMonth: number; perMillionRequests: number; updatedAt: Date };

function serialize(row: Row | null): UnitPrices {
  if (!row) return { currency: 'USD', cpuHour: 0, gbMonth: 0, perMillionRequests: 0, updatedAt: null, configured: false };
  return { currency: row.currency, cpuHour: row.cpuHour, gbMonth: row.gbMonth, perMillionRequests: row.perMillionRequests, updatedAt: row.updatedAt.toISOString(), configured: true };
}

/** The unit prices cost estimates use; `configured: false` until an admin saves some. */
export async function getUnitPrices(client: Tx | ReturnType<typeof db> = db()): Promise<UnitPrices> {
  return serialize(await client.unitPrices.findUnique({ where: { id: ID } }));
}

/**
 * Saves the unit prices (admins). The row is locked first (or created under the primary
 * key's conflict), so two saves at once apply one after the other and each audit entry's
 * `before` is what that save replaced.
 */
export async function updateUnitPrices(ctx: RequestContext, input: UnitPricesInput): Promise<UnitPrices> {
  return db().$transaction(async (tx) => {
    const lock = () => tx.$queryRaw<Row[]>`SELECT currency, "cpuHour", "gbMonth", "perMillionRequests", "updatedAt" FROM unit_prices WHERE id = ${ID} FOR UPDATE`;
    let [locked] = await lock();
    let created = false;
    if (!locked) {
      // A concurrent first save makes this insert wait for it and then do nothing.
      created = (await tx.$executeRaw`INSERT INTO unit_prices (id, currency, "cpuHour", "gbMonth", "perMillionRequests", "updatedAt") VALUES (${ID}, ${input.currency}, 0, 0, 0, now()) ON CONFLICT (id) DO NOTHING`) === 1;
      [locked] = await lock();
    }
    const after = await tx.unitPrices.update({
      where: { id: ID },
      data: { currency: input.currency, cpuHour: input.cpuHour, gbMonth: input.gbMonth, perMillionRequests: input.perMillionRequests, updatedById: ctx.actor.id },
    });
    const strip = (row: Row) => ({ currency: row.currency, cpuHour: row.cpuHour, gbMonth: row.gbMonth, perMillionRequests: row.perMillionRequests });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'unit_prices.update',
      targetType: 'unit_prices',
      targetId: ID,
      before: created || !locked ? null : strip(locked),
      after: strip(after),
      requestId: ctx.requestId,
      ...(ctx.at ? { at: ctx.at } : {}),
    });
    return serialize(after);
  });
}
