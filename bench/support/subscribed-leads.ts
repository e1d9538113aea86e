import type { Client } from 'pg';

/**
 * Fills a migrated database with `count` synthetic leads, every one subscribed to email, inside
 * PostgreSQL with generate_series (a hundred thousand leads take seconds), then analyses the
 * tables as autovacuum would after a bulk load.
 */
export async function generateSubscribedLeads(client: Client, count: number): Promise<void> {
  await client.query(
    `insert into leads (id, email, first_name, last_name, company, country, attributes, lifecycle_stage, score, created_at, updated_at)
     select gen_random_uuid(), 'lead' || g || '@example.com', 'First' || (g % 5000), 'Last' || (g % 7000), 'Company ' || (g % 20000),
            (array['US','DE','GB','FR','IN'])[1 + g % 5], '{}'::jsonb, 'lead', (g::bigint * 7919) % 101, now(), now()
     from generate_series(1, $1::int) g`,
    [count],
  );
  await client.query(
    `insert into lead_consents (id, lead_id, channel, status, changed_at, source)
     select gen_random_uuid(), id, 'email', 'subscribed', now(), 'bench' from leads`,
  );
  await client.query('vacuum analyze leads');
  await client.query('vacuum analyze lead_consents');
}
