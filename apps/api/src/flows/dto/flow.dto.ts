import { ApiProperty } from '@nestjs/swagger';
import { IsObject, IsString, Length } from 'class-validator';
import type { FlowDefinition } from '@ce/flows';

const EXAMPLE_DEFINITION = {
  entry: 'welcome',
  steps: {
    welcome: { type: 'send_email', templateId: '6f1c1c8e-0d7b-4a51-9b0e-2f4f5c1f2a10', next: 'pause' },
    pause: { type: 'wait', duration: '3d', next: 'follow_up' },
    follow_up: { type: 'send_email', templateId: '0b8f3a52-9c0e-4a8e-8d55-5d3f6e0f7b21' },
  },
};

export class CreateFlowDto {
  @ApiProperty({ example: 'Onboarding nurture', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: EXAMPLE_DEFINITION,
    description:
      'The flow: `entry` names the first step; `steps` maps step ids to steps. Each step has a `type` ' +
      '(send_email, wait, exit), its settings, and `next` (absent or null ends the flow).',
  })
  @IsObject()
  definition!: Record<string, unknown>;
}

export class FlowDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ description: 'The latest published version number.' })
  version!: number;

  @ApiProperty({ format: 'uuid' })
  versionId!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: EXAMPLE_DEFINITION })
  definition!: FlowDefinition;

  @ApiProperty()
  createdAt!: Date;
}
