import 'server-only';
import { db } from '@/lib/db';
import type { AuditFilter } from '@/lib/validation/audit';
import { auditWhere } from './list-audit-entries';

const COLUMNS = ['seq', 'at', 'actorEmail', 'action', 'targetType', 'targetId', 'before', 'after', 'requestId', 'hash'] as const;
const BATCH = 1000;

/** Streams matching entries as CSV, oldest first, a batch at a time (memory stays flat). */
export function exportAuditCsv(filter: AuditFilter): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const where = auditWhere(filter);
  let after = 0n;
  let headerSent = false;
  return new ReadableStream({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(COLUMNS.join(',') + '\r\n'));
      }
      const batch = await db().auditEntry.findMany({
        where: { ...where, seq: { gt: after } },
        orderBy: { seq: 'asc' },
        take: BATCH,
      });
      if (batch.length === 0) {
        controller.close();
        return;
      }
      const lines = batch.map((entry) =>
        [
          entry.seq.toString(),
          entry.at.toISOString(),
          entry.actorEmail ?? '',
          entry.action,
          entry.targetType,
          entry.targetId ?? '',
          entry.before === null ? '' : JSON.stringify(entry.before),
          entry.after === null ? '' : JSON.stringify(entry.after),
          entry.requestId ?? '',
          entry.hash,
        ]
          .map(csvField)
          .join(','),
      );
      controller.enqueue(encoder.encode(lines.join('\r\n') + '\r\n'));
      after = batch.at(-1)!.seq;
    },
  });
}

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed so spreadsheets do not run it as a formula. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
