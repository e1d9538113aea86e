import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsEmail, IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';
import { LIFECYCLE_STAGES, LifecycleStage } from '@ce/db';

export class CreateLeadDto {
  @ApiProperty({ example: 'ada@example.com', description: 'Trimmed and lower-cased; unique.' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(320)
  @IsEmail({}, { message: 'must be a valid email address' })
  email!: string;

  @ApiPropertyOptional({ example: 'Ada' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  firstName?: string;

  @ApiPropertyOptional({ example: 'Lovelace' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  lastName?: string;

  @ApiPropertyOptional({ example: { company: 'Analytical Engines' }, description: 'Free-form attributes.' })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;
}

export class ListLeadsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'The `nextCursor` of the previous page.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a cursor from a previous page' })
  after?: string;
}

export class LeadDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  email!: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  firstName!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  lastName!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  attributes!: Record<string, unknown>;

  @ApiProperty({ enum: LIFECYCLE_STAGES })
  lifecycleStage!: LifecycleStage;

  @ApiProperty()
  score!: number;

  @ApiProperty()
  createdAt!: Date;
}

export class LeadPageDto {
  @ApiProperty({ type: [LeadDto] })
  items!: LeadDto[];

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Pass as `after` for the next page; null on the last.' })
  nextCursor!: string | null;
}
