import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID } from 'class-validator';
import { MAX_LEADS_PER_REQUEST } from './segment.dto';

export class SegmentMembersDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: MAX_LEADS_PER_REQUEST,
    example: ['6f1c1c8e-0d7b-4a51-9b0e-2f4f5c1f2a10'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LEADS_PER_REQUEST)
  @IsUUID('all', { each: true, message: 'must list lead ids (UUIDs)' })
  leadIds!: string[];
}

export class MembershipChangeDto {
  @ApiProperty({ description: 'Leads added or removed by this request (leads already in, or not in, do not count).', example: 1 })
  changed!: number;

  @ApiProperty({ description: 'Members of the segment afterwards.', example: 42 })
  memberCount!: number;
}
