import { ApiKey } from './auth/api-key.entity';
import { Lead } from './audience/lead.entity';
import { LeadConsent } from './audience/lead-consent.entity';
import { LeadExternalId } from './audience/lead-external-id.entity';
import { LeadEvent } from './audience/lead-event.entity';
import { AttributeDefinition } from './audience/attribute-definition.entity';
import { Segment } from './audience/segment.entity';
import { SegmentMember } from './audience/segment-member.entity';
import { LeadImport } from './audience/lead-import.entity';
import { LeadImportRejection } from './audience/lead-import-rejection.entity';
import { AuditEntry } from './audit/audit-entry.entity';
import { CampaignAudienceMember } from './campaigns/campaign-audience-member.entity';
import { Template } from './content/template.entity';
import { Flow } from './flows/flow.entity';
import { FlowVersion } from './flows/flow-version.entity';
import { Campaign } from './campaigns/campaign.entity';
import { Enrollment } from './campaigns/enrollment.entity';
import { Cost } from './campaigns/cost.entity';
import { Message } from './messaging/message.entity';
import { Touchpoint } from './analytics/touchpoint.entity';
import { Conversion } from './analytics/conversion.entity';
import { AttributionCredit } from './analytics/attribution-credit.entity';
import { AttributionRollup } from './analytics/attribution-rollup.entity';
import { AttributionChannelRollup } from './analytics/attribution-channel-rollup.entity';
import { ChannelWeight } from './analytics/channel-weight.entity';
import { AttributionSettings } from './analytics/attribution-settings.entity';
import { ChannelRule } from './analytics/channel-rule.entity';
import { CurrencyRate } from './analytics/currency-rate.entity';
import { ParticipationRollup } from './analytics/participation-rollup.entity';
import { ParticipationFirst } from './analytics/participation-first.entity';
import { ParticipationLead } from './analytics/participation-lead.entity';
import { ParticipationDelivery } from './analytics/participation-delivery.entity';
import { StepRun } from './flows/step-run.entity';
import { SendRateSlot } from './messaging/send-rate-slot.entity';
import { ScoringModelVersion } from './scoring/scoring-model-version.entity';
import { LeadScoreAdjustment } from './scoring/lead-score-adjustment.entity';
import { LeadScore } from './scoring/lead-score.entity';
import { ScoreQueueEntry } from './scoring/score-queue-entry.entity';
import { PredictiveModelVersion } from './scoring/predictive-model-version.entity';
import { SalesRep } from './sales/sales-rep.entity';
import { RoutingSettings } from './sales/routing-settings.entity';
import { Handoff } from './sales/handoff.entity';
import { HandoffNotice } from './sales/handoff-notice.entity';

export * from './base';
export * from './analytics/attribution-credit.entity';
export * from './analytics/attribution-rollup.entity';
export * from './analytics/attribution-channel-rollup.entity';
export * from './analytics/channel-weight.entity';
export * from './analytics/attribution-settings.entity';
export * from './analytics/channel-rule.entity';
export * from './analytics/currency-rate.entity';
export * from './analytics/participation-rollup.entity';
export * from './analytics/participation-first.entity';
export * from './analytics/participation-lead.entity';
export * from './analytics/participation-delivery.entity';
export * from './auth/api-key.entity';
export * from './audience/lead.entity';
export * from './audience/lead-consent.entity';
export * from './audience/lead-external-id.entity';
export * from './audience/lead-event.entity';
export * from './audience/attribute-definition.entity';
export * from './audience/segment.entity';
export * from './audience/segment-member.entity';
export * from './audience/lead-import.entity';
export * from './audience/lead-import-rejection.entity';
export * from './audit/audit-entry.entity';
export * from './campaigns/campaign-audience-member.entity';
export * from './content/template.entity';
export * from './flows/flow.entity';
export * from './flows/flow-version.entity';
export * from './campaigns/campaign.entity';
export * from './campaigns/enrollment.entity';
export * from './campaigns/cost.entity';
export * from './messaging/message.entity';
export * from './analytics/touchpoint.entity';
export * from './analytics/conversion.entity';
export * from './flows/step-run.entity';
export * from './messaging/send-rate-slot.entity';
export * from './scoring/scoring-model-version.entity';
export * from './scoring/lead-score-adjustment.entity';
export * from './scoring/lead-score.entity';
export * from './scoring/score-queue-entry.entity';
export * from './scoring/predictive-model-version.entity';
export * from './sales/sales-rep.entity';
export * from './sales/routing-settings.entity';
export * from './sales/handoff.entity';
export * from './sales/handoff-notice.entity';

export const ENTITIES = [
  ApiKey,
  Lead,
  LeadConsent,
  LeadExternalId,
  LeadEvent,
  AttributeDefinition,
  Segment,
  SegmentMember,
  LeadImport,
  LeadImportRejection,
  AuditEntry,
  Template,
  Flow,
  FlowVersion,
  Campaign,
  CampaignAudienceMember,
  Enrollment,
  Cost,
  Message,
  Touchpoint,
  AttributionCredit,
  AttributionRollup,
  AttributionChannelRollup,
  ChannelWeight,
  AttributionSettings,
  ChannelRule,
  CurrencyRate,
  ParticipationRollup,
  ParticipationFirst,
  ParticipationLead,
  ParticipationDelivery,
  Conversion,
  StepRun,
  SendRateSlot,
  ScoringModelVersion,
  LeadScoreAdjustment,
  LeadScore,
  ScoreQueueEntry,
  PredictiveModelVersion,
  SalesRep,
  RoutingSettings,
  Handoff,
  HandoffNotice,
];
