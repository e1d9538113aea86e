import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class CampaignReportDto {
  @ApiProperty({ format: 'uuid' })
  campaignId!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ description: 'Leads enrolled.' })
  enrolled!: number;

  @ApiProperty({ description: 'Messages sent.' })
  sent!: number;

  @ApiProperty({ description: 'Leads who opened at least one message.' })
  opened!: number;

  @ApiProperty({ description: 'Leads who clicked at least one link.' })
  clicked!: number;

  @ApiProperty({ description: 'Leads with at least one conversion credited to the campaign.' })
  converted!: number;

  @ApiPropertyOptional({ nullable: true, type: Number, example: 0.25, description: 'converted / enrolled; null when nobody is enrolled.' })
  conversionRate!: number | null;

  @ApiProperty({ example: '1200.00', description: 'Revenue of the conversions credited to the campaign.' })
  revenue!: string;

  @ApiProperty({ example: '500.00' })
  cost!: string;

  @ApiPropertyOptional({ nullable: true, type: Number, example: 1.4, description: '(revenue − cost) / cost; null when cost is 0.' })
  roi!: number | null;

  @ApiProperty({ example: 'last_touch', description: 'How conversions were credited to campaigns.' })
  attribution!: string;
}
