import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import type { Caller } from '../common/auth/api-key.guard';
import { CurrentCaller } from '../common/auth/caller.decorator';
import { IdParam } from '../common/dto/id-param.dto';
import { Endpoint } from '../common/endpoint.decorator';
import { PredictiveScoreDto, TrainingStartedDto } from './dto/predictive.dto';
import { ScoreExplanationDto } from './dto/score-explanation.dto';
import { PutScoringModelDto, RecomputeStartedDto, ScoringModelDto, ScoringModelSavedDto, ScoringModelVersionSummaryDto } from './dto/scoring-model.dto';
import { ScoringService } from './scoring.service';

class VersionParam {
  @ApiProperty({ example: 3 })
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(2_147_483_647, { message: 'is too large' })
  version!: number;
}

@ApiTags('scoring')
@Controller('v1/scoring')
export class ScoringController {
  constructor(private readonly scoring: ScoringService) {}

  @Get('model')
  @Endpoint({
    summary: 'Show the scoring model in force',
    description: 'The rules and stage thresholds of the highest version saved. Before any is saved, version is null and there are no rules (a score is then the points flows gave).',
    roles: ['marketer', 'sales', 'analyst'],
    response: ScoringModelDto,
  })
  current(): Promise<ScoringModelDto> {
    return this.scoring.current();
  }

  @Put('model')
  @ApiBody({ type: PutScoringModelDto })
  @Endpoint({
    summary: 'Save a new version of the scoring model',
    description:
      'All or nothing: when any rule is invalid, nothing is saved and one 400 lists every problem by path (`rules[2].event.type[0]`, `rules[0].when.value`). ' +
      'The new version is in force at once for scores worked out from then on, and every lead\'s score is worked out again under it in the background (the recompute starts, or the running one starts over). ' +
      'Leads whose new score reaches a threshold move up the lifecycle.',
    roles: ['marketer'],
    response: ScoringModelSavedDto,
  })
  save(@Body() body: unknown, @CurrentCaller() caller: Caller | null): Promise<ScoringModelSavedDto> {
    return this.scoring.save(body, caller);
  }

  @Get('model/versions')
  @Endpoint({ summary: 'List the versions of the scoring model, newest first (up to 100)', roles: ['marketer', 'analyst'], response: [ScoringModelVersionSummaryDto] })
  versions(): Promise<ScoringModelVersionSummaryDto[]> {
    return this.scoring.versions();
  }

  @Get('model/versions/:version')
  @Endpoint({ summary: 'Show one version of the scoring model', roles: ['marketer', 'analyst'], response: ScoringModelDto, errors: [404] })
  version(@Param() params: VersionParam): Promise<ScoringModelDto> {
    return this.scoring.version(params.version);
  }

  @Post('recompute')
  @Endpoint({
    summary: 'Work out every lead\'s score again now',
    description: 'Runs the recompute the daily schedule runs (scores decay with time), or answers the one already running.',
    roles: ['marketer'],
    status: 202,
    response: RecomputeStartedDto,
  })
  recompute(): Promise<RecomputeStartedDto> {
    return this.scoring.recompute();
  }

  @Get('predictive')
  @Endpoint({
    summary: 'Show the predictive score: its latest training, AUC and strongest features',
    description:
      'A logistic regression fitted on historical leads (fit attributes, country, source, and touchpoints per type in the 90 days before a lead first converted, or before now) to whether they converted, ' +
      'trained every Monday and on demand. Its AUC is measured on a quarter of the leads held out of the fit. When there are too few conversions to fit, status is insufficient_data and reason says why; ' +
      'leads keep the chance from the last model trained, if any.',
    roles: ['marketer', 'sales', 'analyst'],
    response: PredictiveScoreDto,
  })
  predictive(): Promise<PredictiveScoreDto> {
    return this.scoring.predictive();
  }

  @Post('predictive/train')
  @Endpoint({
    summary: 'Train the predictive score now',
    description: 'Runs the training the weekly schedule runs, or answers the one running. A new model has every lead scored again.',
    roles: ['marketer', 'analyst'],
    status: 202,
    response: TrainingStartedDto,
  })
  train(): Promise<TrainingStartedDto> {
    return this.scoring.train();
  }
}

@ApiTags('scoring')
@Controller('v1/leads/:id/score')
export class LeadScoreController {
  constructor(private readonly scoring: ScoringService) {}

  @Get()
  @Endpoint({
    summary: 'Explain a lead\'s score',
    description:
      'The score worked out now under the model in force, as a sum of contributions, largest first: each names its rule and what is behind it ' +
      '(the condition that holds, the touchpoints that counted with their decayed weights, or the flow steps that gave points). Also the score stored on the lead and when it was worked out.',
    roles: ['marketer', 'sales', 'analyst'],
    response: ScoreExplanationDto,
    errors: [404],
  })
  explain(@Param() params: IdParam): Promise<ScoreExplanationDto> {
    return this.scoring.explain(params.id);
  }
}
