import { Module } from '@nestjs/common';
import { SegmentDefinitions } from './segment-definitions';
import { SegmentsController } from './segments.controller';
import { SegmentsService } from './segments.service';

@Module({ controllers: [SegmentsController], providers: [SegmentsService, SegmentDefinitions], exports: [SegmentsService] })
export class SegmentsModule {}
