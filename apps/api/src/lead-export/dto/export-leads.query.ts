import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { LIFECYCLE_STAGES, LifecycleStage } from '@ce/db';

/** Which leads to export; filters combine with AND. No filter exports every lead. */
export class ExportLeadsQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the members of this segment, as they are now.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  segmentId?: string;

  @ApiPropertyOptional({ enum: LIFECYCLE_STAGES })
  @IsOptional()
  @IsIn(LIFECYCLE_STAGES)
  lifecycleStage?: LifecycleStage;

  @ApiPropertyOptional({ example: 50, description: 'Leads scoring at least this.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  minScore?: number;

  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z', description: 'Leads created at or after this time (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date or date-time' })
  createdAfter?: string;
}
