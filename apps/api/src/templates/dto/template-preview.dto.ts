import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsUUID } from 'class-validator';

export class PreviewTemplateDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Render with this lead\'s fields and attributes, as a send would.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  leadId?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { campaign: { name: 'Spring launch' } },
    description: 'Variables to add or override, merged over the lead\'s (e.g. `campaign.name`, which a send takes from its campaign).',
  })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
}

export class TemplatePreviewDto {
  @ApiProperty()
  subject!: string;

  @ApiProperty({ description: 'The final HTML, inside the layout; links are tracked only when sent.' })
  html!: string;

  @ApiProperty()
  text!: string;

  @ApiProperty({ type: [String], example: ['lead.company'], description: 'Printed variables that had no value (rendered as their default or as nothing).' })
  missingVariables!: string[];
}
