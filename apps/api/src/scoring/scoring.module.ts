import { Module } from '@nestjs/common';
import { LeadScoreController, ScoringController } from './scoring.controller';
import { ScoringService } from './scoring.service';

@Module({ controllers: [ScoringController, LeadScoreController], providers: [ScoringService] })
export class ScoringModule {}
