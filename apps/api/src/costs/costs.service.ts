import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Readable } from 'node:stream';
import { arrayLiteral } from '@ce/db';
import { InputInvalidError } from '@ce/errors';
import { capProblems } from '../common/input-checks';
import { checkCostRows, CostCampaign, readCostCsv } from './cost-rows';

/** The largest file taken, in bytes. */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

@Injectable()
export class CostsService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Imports a CSV of spend (campaign, channel, day, amount, currency): every row is checked
   * first, and one bad row refuses the file with every problem named; then all rows are written
   * in one statement, each replacing that campaign's, channel's and day's figure.
   */
  async importCsv(body: Readable | string | Buffer | undefined): Promise<{ rows: number; campaigns: number }> {
    const text = await readAll(body);
    const { records, problems } = readCostCsv(text);
    if (problems.length > 0) throw new InputInvalidError(problems);
    const campaigns = await this.campaigns(records.map((r) => r.campaign ?? ''));
    const checked = checkCostRows(records, campaigns);
    if (checked.problems.length > 0) throw new InputInvalidError(capProblems(checked.problems, 'rows'));
    const rows = checked.rows;
    await this.em.getConnection().execute(
      `insert into costs (id, campaign_id, channel, day, amount_minor, currency)
       select gen_random_uuid(), x.campaign_id, x.channel, x.day, x.amount, x.currency
       from unnest(?::uuid[], ?::text[], ?::date[], ?::bigint[], ?::text[]) as x(campaign_id, channel, day, amount, currency)
       on conflict (campaign_id, channel, day) do update set amount_minor = excluded.amount_minor`,
      [
        arrayLiteral(rows.map((r) => r.campaignId)),
        arrayLiteral(rows.map((r) => r.channel)),
        arrayLiteral(rows.map((r) => r.day)),
        arrayLiteral(rows.map((r) => r.amountMinor.toString())),
        arrayLiteral(rows.map((r) => r.currency)),
      ],
    );
    return { rows: rows.length, campaigns: new Set(rows.map((r) => r.campaignId)).size };
  }

  /** The campaigns the file names, by id and by lower-cased name. */
  private async campaigns(refs: string[]): Promise<{ byId: Map<string, CostCampaign>; byName: Map<string, CostCampaign[]> }> {
    const wanted = [...new Set(refs.map((r) => r.toLowerCase()))];
    const found = await this.em.getConnection().execute<CostCampaign[]>(
      `select id, name, currency from campaigns where id::text = any(?::text[]) or lower(name) = any(?::text[])`,
      [arrayLiteral(wanted), arrayLiteral(wanted)],
    );
    const byName = new Map<string, CostCampaign[]>();
    for (const c of found) byName.set(c.name.toLowerCase(), [...(byName.get(c.name.toLowerCase()) ?? []), c]);
    return { byId: new Map(found.map((c) => [c.id, c])), byName };
  }
}

async function readAll(body: Readable | string | Buffer | undefined): Promise<string> {
  if (body === undefined) return '';
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > MAX_FILE_BYTES) throw new InputInvalidError([{ path: 'file', message: `is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` }]);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
