import { Body, Controller, Get, Param, Post, Put, Req, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Endpoint } from '../common/endpoint.decorator';
import { IdParam } from '../common/dto/id-param.dto';
import { CreateImportDto, ImportDto } from './dto/import.dto';
import { ImportsService } from './imports.service';
import { RAW_UPLOAD_TYPES, RawUpload } from './raw-upload.parsers';

@ApiTags('imports')
@Controller('v1/imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @Endpoint({
    summary: 'Open a lead import',
    description: 'Checks the column mapping, then awaits the file at `uploadUrl`.',
    roles: ['marketer'],
    status: 201,
    response: ImportDto,
  })
  create(@Body() body: CreateImportDto): Promise<ImportDto> {
    return this.imports.create(body);
  }

  @Put(':id/file')
  @RawUpload()
  @ApiConsumes(...RAW_UPLOAD_TYPES)
  @ApiBody({ description: 'The file itself: CSV with a header row, or NDJSON. Any size.', schema: { type: 'string', format: 'binary' } })
  @Endpoint({
    summary: 'Upload an import\'s file and start importing it',
    description: 'The body is the raw file, streamed to disk as it arrives. Poll the import for progress.',
    roles: ['marketer'],
    status: 202,
    response: ImportDto,
    errors: [404, 409],
  })
  upload(@Param() params: IdParam, @Req() request: FastifyRequest): Promise<ImportDto> {
    return this.imports.upload(params.id, request.headers['content-type'], request.body);
  }

  @Get()
  @Endpoint({ summary: 'List the latest 100 imports', roles: ['marketer'], response: [ImportDto] })
  list(): Promise<ImportDto[]> {
    return this.imports.list();
  }

  @Get(':id')
  @Endpoint({ summary: 'Get an import and its progress', roles: ['marketer'], response: ImportDto, errors: [404] })
  get(@Param() params: IdParam): Promise<ImportDto> {
    return this.imports.get(params.id);
  }

  @Get(':id/rejections')
  @ApiProduces('text/csv')
  @Endpoint({ summary: 'Download the rows an import rejected, as CSV (row, reason, raw)', roles: ['marketer'], errors: [404] })
  async rejections(@Param() params: IdParam): Promise<StreamableFile> {
    return new StreamableFile(await this.imports.rejections(params.id), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="import-${params.id}-rejections.csv"`,
    });
  }
}
