import { Controller, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { Endpoint } from '../common/endpoint.decorator';
import { RawUpload } from '../imports/raw-upload.parsers';
import { CostsService } from './costs.service';

export class CostImportDto {
  @ApiProperty({ example: 120, description: 'Rows written (each replaces that campaign\'s, channel\'s and day\'s figure).' })
  rows!: number;

  @ApiProperty({ example: 3 })
  campaigns!: number;
}

@ApiTags('costs')
@Controller('v1/costs')
export class CostsController {
  constructor(private readonly costs: CostsService) {}

  @Post('import')
  @RawUpload()
  @ApiConsumes('text/csv')
  @ApiBody({
    description:
      'CSV with a header row: campaign (id, or a name that only one campaign has), channel, day (YYYY-MM-DD), amount (decimal, in the campaign\'s currency), currency (optional; must be the campaign\'s). At most 100,000 rows and 20 MB.',
    schema: { type: 'string', example: 'campaign,channel,day,amount,currency\nSpring launch,paid_search,2026-05-01,120.50,EUR\n' },
  })
  @Endpoint({
    summary: 'Import spend per campaign, channel and day from CSV',
    description: 'All or nothing: one bad row refuses the file, with every problem named by row and column (rows[n].column, n counting data rows from 1).',
    roles: ['marketer', 'analyst'],
    response: CostImportDto,
  })
  import(@Req() request: FastifyRequest): Promise<CostImportDto> {
    return this.costs.importCsv(request.body as Readable | undefined);
  }
}
