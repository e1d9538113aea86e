import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { REJECT_DISPOSITIONS } from '@ce/db';
import { IsCurrencyCode, IsDecimalAmount } from '../../common/dto/money.dto';
import { ConversionDto } from '../../conversions/dto/conversion.dto';

const DEAL_ID_EXAMPLE = 'crm-deal-4711';

export class OpenOpportunityDto {
  @ApiProperty({ example: DEAL_ID_EXAMPLE, description: 'Your id for the deal (from the CRM), 1–200 characters.' })
  @IsString()
  @Length(1, 200)
  dealId!: string;

  @ApiPropertyOptional({ example: '2026-11-24T10:00:00Z', description: 'When the opportunity was opened; defaults to now.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  occurredAt?: string;
}

export class LoseDealDto extends OpenOpportunityDto {
  @ApiProperty({ example: 'Went with a competitor', description: 'Why it was lost, 1–1000 characters.' })
  @IsString()
  @Length(1, 1000)
  reason!: string;

  @ApiPropertyOptional({ enum: REJECT_DISPOSITIONS, default: 'recycle', description: 'recycle: the lead goes back to nurture at the lead stage, with no owner; disqualify: it is disqualified.' })
  @IsOptional()
  @IsIn([...REJECT_DISPOSITIONS], { message: `must be one of ${REJECT_DISPOSITIONS.join(', ')}` })
  disposition?: string;
}

export class WinDealDto extends OpenOpportunityDto {
  @ApiProperty({ example: '12000.00', description: 'The amount won, as a decimal string.' })
  @IsDecimalAmount()
  amount!: string;

  @ApiProperty({ example: 'EUR' })
  @IsCurrencyCode()
  currency!: string;

  @ApiPropertyOptional({ example: 'deal_won', default: 'deal_won', description: 'The conversion type recorded.' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,63}$/, { message: 'must be lower-case letters, digits and _ (a word such as deal_won)' })
  type?: string;
}

export class StageOutcomeDto {
  @ApiProperty({ format: 'uuid' })
  leadId!: string;

  @ApiProperty({ example: 'opportunity', description: "The lead's stage after the call." })
  lifecycleStage!: string;

  @ApiProperty({ description: 'Whether this call moved the lead (false when it already was at that stage or later).' })
  stageChanged!: boolean;
}

export class DealWonDto extends StageOutcomeDto {
  @ApiProperty({ type: ConversionDto, description: 'The conversion recorded for the deal (the same one when the deal is sent again).' })
  conversion!: ConversionDto;
}
