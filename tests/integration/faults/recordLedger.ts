import type { Redis } from 'ioredis';

/**
 * The durable records a fault must never lose: meeting records, bookings (with their history),
 * and every entry of the audit streams. A snapshot before the fault and one after; `lost` lists
 * whatever disappeared. Records may change state (a booking moves on); they may not vanish.
 */
export interface RecordLedger {
  records: Set<string>;
  streamEntries: Map<string, Set<string>>;
}

/** Keys that hold records (not placement, seats, locks, rate counters or adapter state). */
const recordKey = /^huijian:(meeting:[^:]+|\{bk\}:booking:[^:]+(:history)?|device:[^:]+)$/;
const streams = ['huijian:audit', 'huijian:{bk}:audit'];

export async function snapshotRecords(redis: Redis): Promise<RecordLedger> {
  const records = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', 'huijian:*', 'COUNT', 1000);
    cursor = next;
    for (const key of batch) if (recordKey.test(key)) records.add(key);
  } while (cursor !== '0');
  const streamEntries = new Map<string, Set<string>>();
  for (const stream of streams) {
    const entries = await redis.xrange(stream, '-', '+');
    streamEntries.set(stream, new Set(entries.map(([id]) => id)));
  }
  return { records, streamEntries };
}

/** What `before` held that `after` does not. */
export function lostRecords(before: RecordLedger, after: RecordLedger): string[] {
  const lost = [...before.records].filter((key) => !after.records.has(key));
  for (const [stream, ids] of before.streamEntries) {
    const kept = after.streamEntries.get(stream) ?? new Set<string>();
    for (const id of ids) if (!kept.has(id)) lost.push(`${stream} ${id}`);
  }
  return lost;
}

/** How many bookings and audit entries a ledger holds (a test asserts it guards something). */
export function ledgerSize(ledger: RecordLedger): { bookings: number; auditEntries: number } {
  return {
    bookings: [...ledger.records].filter((key) => /:booking:[^:]+$/.test(key)).length,
    auditEntries: ledger.streamEntries.get('huijian:audit')?.size ?? 0,
  };
}
