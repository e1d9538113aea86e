import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Client } from '@temporalio/client';
import { SegmentDefinitions } from '@ce/audience';
import { PredictiveModelVersion, ScoringModelVersion } from '@ce/db';
import { FieldProblem, InputInvalidError, NotFoundError } from '@ce/errors';
import { ScoringModel, validateScoringModel } from '@ce/scoring';
import { explainLeadScore, ScoreExplanation } from '@activities/scoring/explain-lead';
import { recomputeAgain, startScoreRecompute } from '@activities/scoring/recompute-request';
import { currentPredictiveModel } from '@activities/scoring/predictive-models';
import { currentScoringModel } from '@activities/scoring/scoring-models';
import { startPredictiveTraining } from '@activities/scoring/training-request';
import type { Caller } from '../common/auth/api-key.guard';
import type { PredictiveScoreDto, TrainingStartedDto } from './dto/predictive.dto';
import type { RecomputeStartedDto, ScoringModelDto, ScoringModelSavedDto, ScoringModelVersionSummaryDto } from './dto/scoring-model.dto';

/** Versions listed at most, newest first. */
const VERSIONS_LISTED = 100;
/** Features of the predictive model shown. */
const TOP_FEATURES = 10;

/**
 * The scoring model, as numbered versions (the highest is in force), and the explanation of any
 * lead's score under it. Saving a model starts the recompute of every lead's score.
 */
@Injectable()
export class ScoringService {
  constructor(
    private readonly em: EntityManager,
    private readonly temporal: Client,
  ) {}

  /** The model in force; version null (no rules) before one is saved. */
  async current(): Promise<ScoringModelDto> {
    const [row] = await this.em.fork().find(ScoringModelVersion, {}, { orderBy: { version: 'desc' }, limit: 1 });
    return row ? toDto(row) : { version: null, rules: [], thresholds: { mql: 0, lead: null }, createdAt: null, createdByKeyId: null };
  }

  async version(version: number): Promise<ScoringModelDto> {
    const row = await this.em.fork().findOne(ScoringModelVersion, { version });
    if (!row) throw new NotFoundError('Scoring model version', String(version));
    return toDto(row);
  }

  async versions(): Promise<ScoringModelVersionSummaryDto[]> {
    const rows = await this.em.fork().find(ScoringModelVersion, {}, { orderBy: { version: 'desc' }, limit: VERSIONS_LISTED });
    return rows.map((r) => ({ version: r.version, rules: (r.model as unknown as ScoringModel).rules.length, createdAt: r.createdAt, createdByKeyId: r.createdByKeyId }));
  }

  /**
   * Saves a new version, all or nothing: a model with any problem is refused with every problem
   * named by its path. Then every lead's score is worked out again under it (the recompute
   * starts, or the running one starts over); if that cannot be asked for (Temporal
   * unreachable), the version is taken back and the request fails, so sending it again does
   * the whole of it.
   */
  async save(body: unknown, caller: Caller | null): Promise<ScoringModelSavedDto> {
    const em = this.em.fork();
    const model = await this.validate(em, body);
    const saved = await em.transactional(async (tx) => {
      // One version number per save, even when two saves race.
      await tx.execute('lock table scoring_models in share row exclusive mode');
      const [{ next }] = await tx.execute<{ next: number }[]>('select coalesce(max(version), 0) + 1 as next from scoring_models');
      const row = tx.create(ScoringModelVersion, { version: Number(next), model: model as unknown as Record<string, unknown>, createdByKeyId: caller?.keyId ?? null });
      await tx.flush();
      return row;
    });
    try {
      return { ...toDto(saved), recompute: await recomputeAgain(this.temporal) };
    } catch (error) {
      await em.nativeDelete(ScoringModelVersion, { version: saved.version });
      throw error;
    }
  }

  /** Starts the recompute of every lead's score, or answers the one running. */
  recompute(): Promise<RecomputeStartedDto> {
    return startScoreRecompute(this.temporal);
  }

  /** The latest training of the predictive score, and the model that scores leads now. */
  async predictive(): Promise<PredictiveScoreDto> {
    const em = this.em.fork();
    const [latest] = await em.find(PredictiveModelVersion, {}, { orderBy: { version: 'desc' }, limit: 1 });
    const inUse = await currentPredictiveModel(em);
    const features = inUse
      ? inUse.model.featureNames
          .map((feature, i) => ({ feature, weight: Math.round(inUse.model.weights[i] * 1e4) / 1e4 }))
          .filter((f) => f.weight !== 0)
          .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.feature.localeCompare(b.feature))
          .slice(0, TOP_FEATURES)
      : [];
    if (!latest)
      return { version: null, status: 'not_trained', reason: 'The predictive score has not been trained yet.', auc: null, trainedAt: null, rows: 0, positives: 0, trainRows: null, heldOutRows: null, inUseVersion: null, features };
    return {
      version: latest.version,
      status: latest.status,
      reason: latest.reason,
      auc: latest.auc === null ? null : Math.round(latest.auc * 1e4) / 1e4,
      trainedAt: latest.createdAt,
      rows: latest.rows,
      positives: latest.positives,
      trainRows: latest.trainRows,
      heldOutRows: latest.heldOutRows,
      inUseVersion: inUse?.version ?? null,
      features,
    };
  }

  /** Starts a training of the predictive score, or answers the one running. */
  train(): Promise<TrainingStartedDto> {
    return startPredictiveTraining(this.temporal);
  }

  /** A lead's score worked out now, as a sum of contributions with what is behind each. */
  async explain(leadId: string): Promise<ScoreExplanation> {
    const em = this.em.fork();
    const current = await currentScoringModel(em);
    const explanation = await explainLeadScore(em, leadId.toLowerCase(), new Date(), current);
    if (!explanation) throw new NotFoundError('Lead', leadId);
    return explanation;
  }

  /** The model as checked by the scoring library, with its conditions checked in the segment language. */
  private async validate(em: EntityManager, body: unknown): Promise<ScoringModel> {
    const check = validateScoringModel(body);
    const problems: FieldProblem[] = [...check.problems];
    const conditionProblems = await new SegmentDefinitions().conditionProblems(em, check.conditions.map((c) => c.condition));
    check.conditions.forEach(({ path }, i) => {
      for (const p of conditionProblems[i]) problems.push({ path: p.path === '' ? path : `${path}.${p.path}`, message: p.message });
    });
    if (problems.length > 0 || !check.model) throw new InputInvalidError(problems, 'The scoring model is not valid; nothing was saved.');
    return check.model;
  }
}

function toDto(row: ScoringModelVersion): ScoringModelDto {
  const model = row.model as unknown as ScoringModel;
  return { version: row.version, rules: model.rules as unknown as ScoringModelDto['rules'], thresholds: model.thresholds, createdAt: row.createdAt, createdByKeyId: row.createdByKeyId };
}
