import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { stringify } from 'csv-stringify';
import QueryStream from 'pg-query-stream';
import { withPgClient } from '@ce/db';
import { InputInvalidError, NotFoundError } from '@ce/errors';
import type { SegmentQuery } from '@ce/segments';
import { SegmentsService } from '../segments/segments.service';
import { ExportLeadsQuery } from './dto/export-leads.query';

/** The fixed columns: CSV header → SQL expression over `leads l`. */
const LEAD_COLUMNS: [header: string, sql: string][] = [
  ['id', 'l.id'],
  ['email', 'l.email'],
  ['first_name', 'l.first_name'],
  ['last_name', 'l.last_name'],
  ['company', 'l.company'],
  ['job_title', 'l.job_title'],
  ['phone', 'l.phone'],
  ['country', 'l.country'],
  ['time_zone', 'l.time_zone'],
  ['source_channel', 'l.source_channel'],
  ['lifecycle_stage', 'l.lifecycle_stage'],
  ['score', 'l.score'],
  ['owner_id', 'l.owner_id'],
  ['created_at', 'l.created_at'],
];
/** Rows fetched from the server-side cursor per round trip. */
const CURSOR_BATCH = 1_000;

interface ExportSql {
  sql: string;
  bindings: unknown[];
  headers: string[];
}

@Injectable()
export class LeadExportService {
  private readonly logger = new Logger('LeadExport');

  constructor(
    private readonly em: EntityManager,
    private readonly segments: SegmentsService,
  ) {}

  /**
   * The chosen leads as CSV: the lead's fields, one `attr:<name>` column per declared attribute
   * and `consent:email`. Rows come from one server-side cursor (one consistent snapshot) and
   * leave as fast as the client reads them, so memory stays flat for any number of leads.
   */
  async export(query: ExportLeadsQuery): Promise<Readable> {
    const em = this.em.fork();
    const members = query.segmentId === undefined ? null : await this.segmentMembers(query.segmentId, em);
    const attributes = await em.getConnection().execute<{ name: string }[]>(`select name from attribute_definitions order by name`);
    const built = buildExportSql(query, attributes.map((a) => a.name), members);
    const native = em.getConnection().getKnex().raw(built.sql, built.bindings as never[]).toSQL().toNative();

    const output = new PassThrough();
    const csv = stringify({
      header: true,
      columns: built.headers.map((header, i) => ({ key: `c${i}`, header })),
      cast: { date: (value: Date) => value.toISOString() },
    });
    // The response holds a pooled connection while it downloads; the pipeline gives it back
    // when the last row is sent, the client goes away, or the query fails (which ends the
    // response early, so a cut-off file never looks complete).
    void withPgClient(em, (client) =>
      pipeline(client.query(new QueryStream(native.sql, [...native.bindings], { batchSize: CURSOR_BATCH })), csv, output),
    ).catch((error: Error) => {
      if (!output.destroyed) this.logger.error({ msg: 'lead export failed', err: error.message });
      output.destroy(error);
    });
    return output;
  }

  /** The segment's members as a query; a segment that does not exist is a bad filter. */
  private async segmentMembers(segmentId: string, em: EntityManager): Promise<SegmentQuery> {
    try {
      return await this.segments.membersSql(segmentId, em);
    } catch (error) {
      if (error instanceof NotFoundError) throw new InputInvalidError([{ path: 'segmentId', message: `segment ${segmentId} does not exist` }]);
      throw error;
    }
  }
}

/** One query over leads: fixed columns, then attributes, then email consent; `?` bindings. */
export function buildExportSql(query: ExportLeadsQuery, attributes: string[], members: SegmentQuery | null): ExportSql {
  const headers = [...LEAD_COLUMNS.map(([header]) => header), ...attributes.map((name) => `attr:${name}`), 'consent:email'];
  const select = [...LEAD_COLUMNS.map(([, sql]) => sql), ...attributes.map(() => `l.attributes ->> ?`), 'c.status'];
  const bindings: unknown[] = [...attributes];
  const where: string[] = [];
  if (members) {
    // `select l.id from leads l where …`; its own `l` is scoped to the subquery.
    where.push(`l.id in (${members.sql})`);
    bindings.push(...members.params);
  }
  if (query.lifecycleStage !== undefined) {
    where.push('l.lifecycle_stage = ?');
    bindings.push(query.lifecycleStage);
  }
  if (query.minScore !== undefined) {
    where.push('l.score >= ?');
    bindings.push(query.minScore);
  }
  if (query.createdAfter !== undefined) {
    where.push('l.created_at >= ?::timestamptz');
    bindings.push(query.createdAfter);
  }
  const sql =
    `select ${select.map((expression, i) => `${expression} as c${i}`).join(', ')}
     from leads l
     left join lead_consents c on c.lead_id = l.id and c.channel = 'email'
     ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
     order by l.id`;
  return { sql, bindings, headers };
}
