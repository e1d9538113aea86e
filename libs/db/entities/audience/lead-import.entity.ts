import { Entity, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';

export const IMPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const IMPORT_STATUSES = ['awaiting_file', 'queued', 'running', 'completed', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** A lead import job: the uploaded file, how its columns map to lead fields, and its progress. */
@Entity({ tableName: 'lead_imports' })
export class LeadImport extends BaseEntity {
  [OptionalProps]?:
    | 'createdAt'
    | 'status'
    | 'filePath'
    | 'bytes'
    | 'rowsRead'
    | 'imported'
    | 'updated'
    | 'unchanged'
    | 'rejected'
    | 'error'
    | 'finishedAt';

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 8 })
  format!: ImportFormat;

  /** Source column (or NDJSON key) → target: a lead field, `attributes.x`, `externalIds.source` or `consent.channel`. */
  @Property({ type: 'json' })
  mapping!: Record<string, string>;

  @Property({ type: 'string', length: 16 })
  status: ImportStatus = 'awaiting_file';

  @Property({ type: 'text', nullable: true })
  filePath: string | null = null;

  @Property({ type: 'bigint' })
  bytes: string = '0';

  @Property({ type: 'integer' })
  rowsRead: number = 0;

  @Property({ type: 'integer' })
  imported: number = 0;

  @Property({ type: 'integer' })
  updated: number = 0;

  @Property({ type: 'integer' })
  unchanged: number = 0;

  @Property({ type: 'integer' })
  rejected: number = 0;

  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;
}
