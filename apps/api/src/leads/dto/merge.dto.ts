import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID } from 'class-validator';
import { LeadDto } from './lead.dto';

export class MergeLeadsDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'Leads to fold into this one; they are removed afterwards.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true, message: 'each duplicate id must be a UUID' })
  duplicateIds!: string[];
}

export class DuplicateLeadDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty({ nullable: true, type: String })
  firstName!: string | null;

  @ApiProperty({ nullable: true, type: String })
  lastName!: string | null;

  @ApiProperty({ nullable: true, type: String })
  company!: string | null;

  @ApiProperty()
  createdAt!: Date;
}

export class DuplicateGroupDto {
  @ApiProperty({ enum: ['same_email', 'same_external_id', 'same_name_and_company'] })
  reason!: string;

  @ApiProperty({ example: 'ada@gmail.com', description: 'What the leads share.' })
  key!: string;

  @ApiProperty({ type: [DuplicateLeadDto] })
  leads!: DuplicateLeadDto[];
}

export class MergeResultDto {
  @ApiProperty({ type: LeadDto })
  lead!: LeadDto;

  @ApiProperty({ type: [String], format: 'uuid' })
  merged!: string[];

  @ApiProperty({ example: { touchpoints: 12, messages: 3, conversions: 1, enrollments: 1 } })
  moved!: Record<string, number>;
}
