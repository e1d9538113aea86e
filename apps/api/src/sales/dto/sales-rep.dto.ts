import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';
import { checkReceiverUrl, MAX_URL_LENGTH } from '@activities/webhook/webhook.step';

/** The most open hand-offs a rep's capacity may allow. */
export const MAX_REP_CAPACITY = 10_000;
export const MAX_EMAIL_LENGTH = 320;

/** Optional, but not nullable: `null` is refused rather than written to a required column. */
const Omittable = () => ValidateIf((_object, value) => value !== undefined);
const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Emails are kept trimmed and lower-cased. */
export const normalisedEmail = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

const EMAIL_MESSAGE = `must be an email address of at most ${MAX_EMAIL_LENGTH} characters`;
const CAPACITY_MESSAGE = `must be a whole number from 1 to ${MAX_REP_CAPACITY}, or null for no limit`;

/** An http(s) URL of a sane length: the rules a flow's webhook step applies to its URL. */
export function IsReceiverUrl(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isReceiverUrl',
      validator: {
        validate: (value: unknown) => checkReceiverUrl(value) === null,
        defaultMessage: (args) => checkReceiverUrl(args?.value) ?? 'must be an http:// or https:// URL',
      },
    },
    options,
  );
}

const NAME_DOC = { example: 'Dana Fischer', minLength: 1, maxLength: 200, description: 'Trimmed.' } as const;
const EMAIL_DOC = { example: 'dana@example.com', maxLength: MAX_EMAIL_LENGTH, description: 'Where hand-off emails go; trimmed and lower-cased.' } as const;
const ACTIVE_DOC = { default: true, description: 'Inactive reps are given no new leads.' } as const;
const CAPACITY_DOC = {
  type: Number,
  nullable: true,
  minimum: 1,
  maximum: MAX_REP_CAPACITY,
  example: 25,
  description: 'Open hand-offs (assigned, not yet accepted or rejected) the rep may hold at once; null for no limit.',
} as const;
const WEBHOOK_DOC = {
  type: String,
  nullable: true,
  maxLength: MAX_URL_LENGTH,
  example: 'https://crm.example.com/hooks/handoff',
  description: "Where this rep's signed hand-off webhook goes; the routing settings' URL when null.",
} as const;

export class CreateSalesRepDto {
  @ApiProperty(NAME_DOC)
  @Transform(trimmed)
  @IsString({ message: 'must be a string' })
  @Length(1, 200, { message: 'must be 1 to 200 characters' })
  name!: string;

  @ApiProperty(EMAIL_DOC)
  @Transform(normalisedEmail)
  @IsString({ message: EMAIL_MESSAGE })
  @MaxLength(MAX_EMAIL_LENGTH, { message: EMAIL_MESSAGE })
  @IsEmail({}, { message: EMAIL_MESSAGE })
  email!: string;

  @ApiPropertyOptional(ACTIVE_DOC)
  @Omittable()
  @IsBoolean({ message: 'must be true or false' })
  active?: boolean;

  @ApiPropertyOptional(CAPACITY_DOC)
  @IsOptional()
  @IsInt({ message: CAPACITY_MESSAGE })
  @Min(1, { message: CAPACITY_MESSAGE })
  @Max(MAX_REP_CAPACITY, { message: CAPACITY_MESSAGE })
  capacity?: number | null;

  @ApiPropertyOptional(WEBHOOK_DOC)
  @IsOptional()
  @IsReceiverUrl()
  webhookUrl?: string | null;
}

/** Any of the fields; those left out stay as they are. */
export class UpdateSalesRepDto {
  @ApiPropertyOptional(NAME_DOC)
  @Omittable()
  @Transform(trimmed)
  @IsString({ message: 'must be a string' })
  @Length(1, 200, { message: 'must be 1 to 200 characters' })
  name?: string;

  @ApiPropertyOptional(EMAIL_DOC)
  @Omittable()
  @Transform(normalisedEmail)
  @IsString({ message: EMAIL_MESSAGE })
  @MaxLength(MAX_EMAIL_LENGTH, { message: EMAIL_MESSAGE })
  @IsEmail({}, { message: EMAIL_MESSAGE })
  email?: string;

  @ApiPropertyOptional({ ...ACTIVE_DOC, description: 'false takes the rep out of routing: no new leads. Hand-offs already assigned to the rep are not moved by this change.' })
  @Omittable()
  @IsBoolean({ message: 'must be true or false' })
  active?: boolean;

  @ApiPropertyOptional(CAPACITY_DOC)
  @IsOptional()
  @IsInt({ message: CAPACITY_MESSAGE })
  @Min(1, { message: CAPACITY_MESSAGE })
  @Max(MAX_REP_CAPACITY, { message: CAPACITY_MESSAGE })
  capacity?: number | null;

  @ApiPropertyOptional(WEBHOOK_DOC)
  @IsOptional()
  @IsReceiverUrl()
  webhookUrl?: string | null;
}

export class SalesRepDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Dana Fischer' })
  name!: string;

  @ApiProperty({ example: 'dana@example.com' })
  email!: string;

  @ApiProperty({ description: 'Whether routing gives the rep new leads.' })
  active!: boolean;

  @ApiProperty({ type: Number, nullable: true, example: 25, description: 'Open hand-offs the rep may hold at once; null for no limit.' })
  capacity!: number | null;

  @ApiProperty({ type: String, nullable: true, description: "Where this rep's hand-off webhook goes; the routing settings' URL when null." })
  webhookUrl!: string | null;

  @ApiProperty({ example: 3, description: 'Hand-offs assigned to the rep and not yet accepted or rejected.' })
  openHandoffs!: number;

  @ApiProperty({ type: Date, nullable: true, description: 'When the rep was last given a lead.' })
  lastAssignedAt!: Date | null;

  @ApiProperty()
  createdAt!: Date;
}
