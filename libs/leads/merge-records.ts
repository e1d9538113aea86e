import type { LeadRecord } from './lead-record';

/**
 * Folds records that share an email into one, later values winning field by field, so a
 * file or batch that names a lead twice writes it once. Order of first appearance is kept.
 */
export function mergeByEmail<T extends { record: LeadRecord }>(items: T[]): { merged: LeadRecord; sources: T[] }[] {
  const byEmail = new Map<string, { merged: LeadRecord; sources: T[] }>();
  for (const item of items) {
    const email = item.record.email!;
    const existing = byEmail.get(email);
    if (!existing) {
      byEmail.set(email, { merged: { ...item.record }, sources: [item] });
      continue;
    }
    existing.sources.push(item);
    existing.merged = mergeRecords(existing.merged, item.record);
  }
  return [...byEmail.values()];
}

export function mergeRecords(earlier: LeadRecord, later: LeadRecord): LeadRecord {
  const merged: LeadRecord = { ...earlier };
  for (const [key, value] of Object.entries(later) as [keyof LeadRecord, unknown][]) {
    if (value === undefined) continue;
    if (key === 'attributes' || key === 'externalIds' || key === 'consent') {
      (merged as Record<string, unknown>)[key] = { ...((earlier[key] as object) ?? {}), ...(value as object) };
    } else {
      (merged as Record<string, unknown>)[key] = value;
    }
  }
  return merged;
}
