import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClientBase } from 'pg';
import type { StoredChannelRule } from './channel-rule-input';

/** The operator's rules in order, when they were last replaced and by which key, and their version. */
export interface ChannelRuleSet {
  rules: StoredChannelRule[];
  updatedAt: Date | null;
  updatedByKeyId: string | null;
  /** Changes whenever the rules are replaced: the number of rules and when they were written. */
  version: string;
}

type Connection = ReturnType<EntityManager['getConnection']>;

const version = (count: number, stamp: string | null) => `${count}|${stamp ?? ''}`;

/** Reads the rules and their version in one statement, so both come from the same moment. */
export async function readChannelRules(connection: Connection): Promise<ChannelRuleSet> {
  // Every row of a list is written by one replacement, so they share when and by whom.
  const rows = await connection.execute<
    { channel: string; source: string[] | null; medium: string[] | null; updated_at: Date | string; updated_by_key_id: string | null; stamp: string }[]
  >(
    `select channel, source, medium, updated_at, updated_by_key_id, (max(updated_at) over ())::text as stamp
       from channel_rules order by position`,
  );
  return {
    rules: rows.map((r) => ({ channel: r.channel, source: r.source, medium: r.medium })),
    updatedAt: rows.length > 0 ? new Date(rows[0].updated_at) : null,
    updatedByKeyId: rows[0]?.updated_by_key_id ?? null,
    version: version(rows.length, rows[0]?.stamp ?? null),
  };
}

/** The rules' version alone: a count and a maximum over a few hundred rows at most. */
export async function readChannelRulesVersion(connection: Connection): Promise<string> {
  const [row] = await connection.execute<{ count: number; stamp: string | null }[]>(
    `select count(*)::int as count, max(updated_at)::text as stamp from channel_rules`,
  );
  return version(row.count, row.stamp);
}

/**
 * Replaces every rule with `rules`, in their order; run inside a transaction. The table lock
 * makes two replacements wait for each other (readers are not held up), so the last one wins
 * whole. Every row written gets the same `created_at` and `updated_at`: the transaction's time.
 */
export async function replaceChannelRules(client: ClientBase, rules: readonly StoredChannelRule[], keyId: string | null): Promise<void> {
  await client.query('lock table channel_rules in share row exclusive mode');
  await client.query('delete from channel_rules');
  if (rules.length === 0) return;
  await client.query(
    `insert into channel_rules (id, position, channel, source, medium, created_at, updated_at, updated_by_key_id)
     select gen_random_uuid(), x.position, x.channel, x.source, x.medium, now(), now(), $2::uuid
       from jsonb_to_recordset($1::jsonb) as x(position int, channel text, source text[], medium text[])`,
    [JSON.stringify(rules.map((r, position) => ({ position, ...r }))), keyId],
  );
}
