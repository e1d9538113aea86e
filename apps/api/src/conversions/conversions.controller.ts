import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/endpoint.decorator';
import { ConversionsService } from './conversions.service';
import { ConversionDto, CreateConversionDto } from './dto/conversion.dto';

@ApiTags('conversions')
@Controller('v1/conversions')
export class ConversionsController {
  constructor(private readonly conversions: ConversionsService) {}

  @Post()
  @Endpoint({
    summary: 'Record a conversion',
    description: 'Credited to the campaign of the lead\'s last campaign touchpoint in the previous 90 days. Sending the same externalId again returns the conversion already recorded.',
    roles: ['marketer', 'sales', 'analyst'],
    status: 201,
    response: ConversionDto,
  })
  create(@Body() body: CreateConversionDto): Promise<ConversionDto> {
    return this.conversions.create(body);
  }
}
