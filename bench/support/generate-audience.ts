import type { Client } from 'pg';

export interface AudienceSize {
  leads: number;
  touchpoints: number;
}

const STAGES = ['subscriber', 'lead', 'mql', 'sql', 'opportunity', 'customer', 'disqualified'];
const TYPES = ['open', 'click', 'visit', 'ad_click', 'form_submit'];
const CHANNELS = ['email', 'web', 'paid_search', 'social'];

/**
 * Fills a migrated database with synthetic leads (with a `plan` enum and a `seats` number
 * attribute, email consent for most) and touchpoints spread over the last 180 days, inside
 * PostgreSQL with generate_series so that ten million rows take minutes, not hours. Indexes
 * are dropped during the load and rebuilt after, as a bulk load would.
 */
export async function generateAudience(client: Client, size: AudienceSize, log: (line: string) => void): Promise<void> {
  await client.query(`insert into attribute_definitions (id, name, type, required, options) values
    (gen_random_uuid(), 'plan', 'enum', false, '["free","pro","enterprise"]'),
    (gen_random_uuid(), 'seats', 'number', false, null)`);

  log(`generating ${size.leads} leads`);
  await client.query(
    `insert into leads (id, email, first_name, last_name, company, country, attributes, lifecycle_stage, score, created_at, updated_at)
     select gen_random_uuid(), 'lead' || g || '@example.com', 'First' || (g % 5000), 'Last' || (g % 7000), 'Company ' || (g % 20000),
            (array['US','DE','GB','FR','IN'])[1 + g % 5],
            jsonb_build_object('plan', (array['free','pro','enterprise'])[1 + (g * 7) % 3], 'seats', (g * 13) % 200),
            ($2::text[])[1 + g % 7], (g::bigint * 7919) % 101, now() - ((g % 720) || ' days')::interval, now()
     from generate_series(1, $1::int) g`,
    [size.leads, STAGES],
  );
  await client.query(
    `insert into lead_consents (id, lead_id, channel, status, changed_at, source)
     select gen_random_uuid(), id, 'email', case when random() < 0.9 then 'subscribed' else 'unsubscribed' end, now(), 'bench' from leads`,
  );

  log(`generating ${size.touchpoints} touchpoints`);
  await client.query('create temp table lead_numbers as select row_number() over () as n, id from leads');
  await client.query('create unique index on lead_numbers (n); analyze lead_numbers');
  const indexes = await client.query<{ indexname: string; indexdef: string }>(
    `select indexname, indexdef from pg_indexes where tablename = 'touchpoints' and indexname <> 'touchpoints_pkey'
       and indexname not like '%external_id%'`,
  );
  for (const index of indexes.rows) await client.query(`drop index ${index.indexname}`);
  const chunk = 1_000_000;
  for (let start = 1; start <= size.touchpoints; start += chunk) {
    const end = Math.min(size.touchpoints, start + chunk - 1);
    await client.query(
      `insert into touchpoints (id, lead_id, campaign_id, channel, type, occurred_at, properties)
       select gen_random_uuid(), l.id, null, ($4::text[])[1 + (g * 31) % 4], ($3::text[])[1 + (g * 17) % 5],
              now() - (((g::bigint * 104729) % 15552000) || ' seconds')::interval, '{}'::jsonb
       from generate_series($1::int, $2::int) g
       join lead_numbers l on l.n = 1 + (g::bigint * 7919) % $5`,
      [start, end, TYPES, CHANNELS, size.leads],
    );
    log(`  ${end} touchpoints`);
  }
  log('rebuilding indexes');
  for (const index of indexes.rows) await client.query(index.indexdef);
  // As autovacuum would after a bulk load: statistics, and a visibility map for index-only scans.
  await client.query('vacuum analyze leads');
  await client.query('vacuum analyze touchpoints');
  await client.query('vacuum analyze lead_consents');
}
