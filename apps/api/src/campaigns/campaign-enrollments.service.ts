import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Client } from '@temporalio/client';
import { NurtureProgress, progressQuery, workflowIds } from '@ce/contracts';
import { Campaign, Enrollment, FlowVersion } from '@ce/db';
import { ConflictError, NotFoundError } from '@ce/errors';
import type { ReenrollmentPolicy } from '@ce/flows';
import { startNurture } from '@activities/enrollment/start-nurture';
import { FlowsService } from '../flows/flows.service';
import { audienceSize, CampaignsService } from './campaigns.service';
import { CampaignProgressDto, CountByKeyDto, EnrollOutcomeDto, EnrollResultDto, JourneyDto } from './dto/campaign-progress.dto';

const DAY_MS = 86_400_000;

interface LeadFacts {
  id: string;
  time_zone: string | null;
  consented: boolean;
  last_sequence: number | null;
  last_status: string | null;
  /** Raw query: the driver may hand timestamps back as text. */
  last_ended_at: string | Date | null;
}

/** Adding leads to a running campaign (with the flow's re-enrollment policy), its progress, and one lead's journey. */
@Injectable()
export class CampaignEnrollmentsService {
  constructor(
    private readonly em: EntityManager,
    private readonly campaigns: CampaignsService,
    private readonly flows: FlowsService,
    private readonly temporal: Client,
  ) {}

  /**
   * Enrolls leads into a launched campaign on the flow's latest version. A lead already on a
   * journey here is left alone; one whose journey ended goes again only if the policy allows.
   */
  async enroll(campaignId: string, leadIds: string[]): Promise<EnrollResultDto> {
    const campaign = await this.campaigns.find(campaignId);
    if (campaign.status !== 'running' && campaign.status !== 'paused' && campaign.status !== 'launching')
      throw new ConflictError(`The campaign is ${campaign.status}; leads can be added once it has launched and until it ends.`);
    const version = await this.flows.latestVersion(campaign.flow.id);
    const policy: ReenrollmentPolicy = version.definition.reenrollment ?? { policy: 'never' };
    const unique = [...new Set(leadIds.map((id) => id.toLowerCase()))];
    const facts = new Map((await this.leadFacts(campaign, unique)).map((f) => [f.id, f]));

    const results: EnrollOutcomeDto[] = [];
    for (const leadId of unique) {
      const lead = facts.get(leadId);
      const outcome = this.eligibility(lead, policy);
      if (outcome !== 'ok') {
        results.push({ leadId, outcome });
        continue;
      }
      const sequence = (lead!.last_sequence ?? 0) + 1;
      const rows = await this.em.getConnection().execute<{ id: string }[]>(
        `insert into enrollments (id, campaign_id, lead_id, flow_version_id, status, workflow_id, sequence)
         values (gen_random_uuid(), ?, ?, ?, 'active', ?, ?)
         on conflict (campaign_id, lead_id, sequence) do nothing returning id`,
        [campaign.id, leadId, version.id, workflowIds.nurture(campaign.id, leadId, sequence), sequence],
      );
      // Another request enrolled the lead a moment ago.
      if (rows.length === 0) {
        results.push({ leadId, outcome: 'already_enrolled' });
        continue;
      }
      await startNurture(this.temporal, campaign, version, workflowIds.nurture(campaign.id, leadId, sequence), [
        { enrollmentId: rows[0].id, leadId, leadTimeZone: lead!.time_zone },
      ]);
      results.push({ leadId, outcome: sequence === 1 ? 'enrolled' : 're_enrolled', enrollmentId: rows[0].id, flowVersion: version.version });
    }
    return { results };
  }

  async progress(campaignId: string): Promise<CampaignProgressDto> {
    const campaign = await this.campaigns.find(campaignId);
    const conn = this.em.getConnection();
    const statuses = await conn.execute<{ status: string; n: number }[]>(
      'select status, count(*)::int as n from enrollments where campaign_id = ? group by status',
      [campaign.id],
    );
    const count = (status: string) => statuses.find((s) => s.status === status)?.n ?? 0;
    const reasons = await conn.execute<{ key: string; count: number }[]>(
      `select end_reason as key, count(*)::int as count from enrollments
       where campaign_id = ? and status <> 'active' group by end_reason order by count desc, key`,
      [campaign.id],
    );
    const versions = await conn.execute<{ key: string; count: number }[]>(
      `select v.version::text as key, count(*)::int as count from enrollments e join flow_versions v on v.id = e.flow_version_id
       where e.campaign_id = ? group by v.version order by v.version`,
      [campaign.id],
    );
    const messages = await conn.execute<{ step_id: string; status: string; n: number }[]>(
      'select step_id, status, count(*)::int as n from messages where campaign_id = ? group by step_id, status order by step_id, status',
      [campaign.id],
    );
    const byStep = new Map<string, CountByKeyDto[]>();
    for (const m of messages) byStep.set(m.step_id, [...(byStep.get(m.step_id) ?? []), { key: m.status, count: m.n }]);
    return {
      status: campaign.status,
      audienceSize: audienceSize(campaign),
      enrolled: statuses.reduce((sum, s) => sum + s.n, 0),
      active: count('active'),
      completed: count('completed'),
      exited: count('exited'),
      endReasons: reasons.map((r) => ({ key: r.key ?? 'unknown', count: r.count })),
      byFlowVersion: versions,
      messagesByStep: [...byStep].map(([stepId, byStatus]) => ({ stepId, byStatus })),
    };
  }

  /** The lead's latest journey in the campaign: live from its cohort's workflow while it runs, else from the database. */
  async journey(campaignId: string, leadId: string): Promise<JourneyDto> {
    await this.campaigns.find(campaignId);
    const enrollment = await this.em.findOne(
      Enrollment,
      { campaign: campaignId, lead: leadId.toLowerCase() },
      { orderBy: { sequence: 'desc' }, populate: ['flowVersion'] },
    );
    if (!enrollment) throw new NotFoundError('Enrollment', `${campaignId}/${leadId}`);
    const live =
      enrollment.status === 'active'
        ? await this.temporal.workflow
            .getHandle(enrollment.workflowId)
            .query(progressQuery, enrollment.id)
            .catch((): NurtureProgress | null => null)
        : null;
    return {
      enrollmentId: enrollment.id,
      sequence: enrollment.sequence,
      flowVersion: (enrollment.flowVersion as FlowVersion).version,
      status: enrollment.status,
      endReason: enrollment.endReason,
      currentStepId: live?.currentStepId ?? null,
      paused: live?.paused ?? false,
      awaiting: live?.awaiting ?? null,
      path: live?.path ?? enrollment.path ?? [],
      enrolledAt: enrollment.createdAt,
      endedAt: enrollment.endedAt,
    };
  }

  private eligibility(lead: LeadFacts | undefined, policy: ReenrollmentPolicy): EnrollOutcomeDto['outcome'] | 'ok' {
    if (!lead) return 'not_found';
    if (!lead.consented) return 'no_consent';
    if (lead.last_sequence === null) return 'ok';
    if (lead.last_status === 'active') return 'already_enrolled';
    if (policy.policy === 'never') return 'not_eligible';
    const endedAt = lead.last_ended_at === null ? Date.now() : new Date(lead.last_ended_at).getTime();
    return Date.now() - endedAt >= policy.days * DAY_MS ? 'ok' : 'not_eligible';
  }

  private leadFacts(campaign: Campaign, leadIds: string[]): Promise<LeadFacts[]> {
    return this.em.getConnection().execute<LeadFacts[]>(
      `select l.id, l.time_zone,
              exists (select 1 from lead_consents c where c.lead_id = l.id and c.channel = ? and c.status = 'subscribed') as consented,
              e.sequence as last_sequence, e.status as last_status, e.ended_at as last_ended_at
       from leads l
       left join lateral (
         select sequence, status, ended_at from enrollments
         where campaign_id = ? and lead_id = l.id order by sequence desc limit 1
       ) e on true
       where l.id = any(?::uuid[])`,
      [campaign.channel, campaign.id, `{${leadIds.join(',')}}`],
    );
  }
}
