import { Entity, ManyToOne, PrimaryKeyProp, Property } from '@mikro-orm/core';
import { LeadImport } from './lead-import.entity';

/** A row an import could not take, with its number in the file and why. */
@Entity({ tableName: 'lead_import_rejections' })
export class LeadImportRejection {
  [PrimaryKeyProp]?: ['leadImport', 'rowNumber'];

  @ManyToOne(() => LeadImport, { primary: true, deleteRule: 'cascade' })
  leadImport!: LeadImport;

  /** 1-based data row number (the CSV header is not counted). */
  @Property({ type: 'integer', primary: true })
  rowNumber!: number;

  @Property({ type: 'text' })
  reason!: string;

  /** The row as it was in the file (truncated to 10,000 characters). */
  @Property({ type: 'text' })
  raw!: string;
}
