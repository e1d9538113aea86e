import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsString, Length } from 'class-validator';
import { IMPORT_FORMATS, IMPORT_STATUSES, ImportFormat, ImportStatus } from '@ce/db';

export class CreateImportDto {
  @ApiProperty({ example: 'Trade fair 2026 leads', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: IMPORT_FORMATS, description: 'csv: a header row, then one lead per row. ndjson: one JSON object per line.' })
  @IsIn(IMPORT_FORMATS)
  format!: ImportFormat;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'E-mail': 'email', 'First name': 'firstName', Plan: 'attributes.plan', 'CRM id': 'externalIds.salesforce', Newsletter: 'consent.email' },
    description:
      'Source column (CSV) or key (NDJSON) → target: a lead field (email, firstName, lastName, company, jobTitle, phone, ' +
      'country, timeZone, sourceChannel, lifecycleStage, ownerId), `attributes.<declared attribute>`, ' +
      '`externalIds.<source system>` or `consent.<email|sms>`. Exactly one column maps to email; unmapped columns are ignored.',
  })
  @IsObject()
  mapping!: Record<string, string>;
}

export class ImportDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: IMPORT_FORMATS })
  format!: ImportFormat;

  @ApiProperty({ enum: IMPORT_STATUSES })
  status!: ImportStatus;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  mapping!: Record<string, string>;

  @ApiPropertyOptional({ nullable: true, type: String, example: '/v1/imports/4b0c…/file', description: 'Where to PUT the file, while the import awaits it.' })
  uploadUrl!: string | null;

  @ApiProperty({ description: 'Size of the uploaded file in bytes; 0 until uploaded.' })
  bytes!: number;

  @ApiProperty({ description: 'Data rows read so far (a CSV header and blank lines are not rows).' })
  rowsRead!: number;

  @ApiProperty({ description: 'Leads created.' })
  imported!: number;

  @ApiProperty({ description: 'Rows that changed an existing lead (or one named earlier in the file).' })
  updated!: number;

  @ApiProperty({ description: 'Rows that matched a lead and changed nothing.' })
  unchanged!: number;

  @ApiProperty({ description: 'Rows not imported; GET …/rejections says why.' })
  rejected!: number;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why the import failed, when it did.' })
  error!: string | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiPropertyOptional({ nullable: true, type: Date })
  finishedAt!: Date | null;
}
