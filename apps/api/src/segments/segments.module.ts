import { Module } from '@nestjs/common';
import { SegmentDefinitions } from '@ce/audience';
import { SegmentsController } from './segments.controller';
import { SegmentsService } from './segments.service';

@Module({ controllers: [SegmentsController], providers: [SegmentsService, SegmentDefinitions], exports: [SegmentsService] })
export class SegmentsModule {}
