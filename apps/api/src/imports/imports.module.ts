import { Module } from '@nestjs/common';
import { ImportsController } from './imports.controller';
import { ImportsService } from './imports.service';
import { RawUploadParsers } from './raw-upload.parsers';

@Module({ controllers: [ImportsController], providers: [ImportsService, RawUploadParsers] })
export class ImportsModule {}
