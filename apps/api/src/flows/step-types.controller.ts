import { Controller, Get } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { StepRegistry } from '@ce/flows';
import { Endpoint } from '../common/endpoint.decorator';

export class StepTypeDto {
  @ApiProperty({ example: 'send_email' })
  type!: string;

  @ApiProperty({ enum: ['control', 'action'], description: 'Control steps are run by the workflow itself; actions run one activity.' })
  kind!: 'control' | 'action';

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: "The step's settings as a JSON Schema." })
  schema!: Record<string, unknown>;
}

/** What a flow may use: every registered step type with its settings, read from the one registry. */
@ApiTags('flows')
@Controller('v1/step-types')
export class StepTypesController {
  constructor(private readonly registry: StepRegistry) {}

  @Get()
  @Endpoint({ summary: 'List the step types flows can use, with their settings', roles: ['marketer', 'engineer'], response: [StepTypeDto] })
  list(): StepTypeDto[] {
    return this.registry.types().map((type) => {
      const def = this.registry.get(type)!;
      return { type, kind: def.kind, description: def.description, schema: def.schema };
    });
  }
}
