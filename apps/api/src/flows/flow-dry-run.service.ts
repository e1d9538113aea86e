import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { IANAZone } from 'luxon';
import { leadMeetsConditions } from '@ce/audience';
import { Lead } from '@ce/db';
import { FieldProblem, InputInvalidError, NotFoundError } from '@ce/errors';
import { parseDuration, StepRegistry } from '@ce/flows';
import { DryRunDto, DryRunResultDto } from './dto/dry-run.dto';
import { simulate, SimulatedEvent } from './flow-simulation';
import { FlowsService } from './flows.service';

const DAY_MS = 86_400_000;
const DEFAULT_HORIZON = '365d';
const MAX_HORIZON_MS = 3650 * DAY_MS;
/** Steps a dry run walks at most; the path says `truncated` when it stops there. */
export const MAX_DRY_RUN_STEPS = 10_000;

/**
 * The dry run: walks a flow version (or the draft) for a real lead with simulated events and
 * a simulated clock, and says which steps the lead would take and when. Nothing is sent or
 * changed; branch conditions on the lead read its data as it is now.
 */
@Injectable()
export class FlowDryRunService {
  constructor(
    private readonly em: EntityManager,
    private readonly registry: StepRegistry,
    private readonly flows: FlowsService,
  ) {}

  async run(flowId: string, input: DryRunDto): Promise<DryRunResultDto> {
    const { startAt, horizonAt, events, campaignZone } = parseInput(input);
    const { version, definition } = await this.flows.runnableDefinition(flowId, input.version);
    const lead = await this.em.findOne(Lead, input.leadId, { fields: ['id', 'timeZone'] });
    if (!lead) throw new NotFoundError('Lead', input.leadId);

    const result = await simulate({
      flow: definition,
      registry: this.registry,
      leadId: lead.id,
      timeZones: { lead: lead.timeZone, campaign: campaignZone },
      startAt,
      horizonAt,
      events,
      maxSteps: MAX_DRY_RUN_STEPS,
      lookup: (conditions) => leadMeetsConditions(this.em, lead.id, conditions),
    });
    return { version, startAt: new Date(startAt).toISOString(), horizonAt: new Date(horizonAt).toISOString(), ...result };
  }
}

/** Checks what the DTO cannot: durations, the time zone, and each event's time. */
function parseInput(input: DryRunDto): { startAt: number; horizonAt: number; events: SimulatedEvent[]; campaignZone: string } {
  const problems: FieldProblem[] = [];
  const startAt = input.startAt === undefined ? Date.now() : Date.parse(input.startAt);
  if (Number.isNaN(startAt)) problems.push({ path: 'startAt', message: 'must be an ISO 8601 date-time' });
  const horizon = parseDuration(input.horizon ?? DEFAULT_HORIZON);
  if (horizon === null || horizon > MAX_HORIZON_MS)
    problems.push({ path: 'horizon', message: 'must be a positive duration of at most 3650d, such as "90d"' });
  const campaignZone = input.timeZone ?? 'UTC';
  if (!IANAZone.isValidZone(campaignZone)) problems.push({ path: 'timeZone', message: 'must be an IANA time zone such as "Europe/Berlin"' });

  const events: SimulatedEvent[] = [];
  (input.events ?? []).forEach((event, i) => {
    const path = `events[${i}]`;
    if ((event.at === undefined) === (event.after === undefined)) {
      problems.push({ path, message: 'give either at (a date-time) or after (a duration from startAt)' });
      return;
    }
    let at = Number.NaN;
    if (event.at !== undefined) {
      at = Date.parse(event.at);
      if (Number.isNaN(at)) problems.push({ path: `${path}.at`, message: 'must be an ISO 8601 date-time' });
      else if (!Number.isNaN(startAt) && at < startAt) problems.push({ path: `${path}.at`, message: 'must not be before startAt' });
    } else {
      const after = parseDuration(event.after!);
      if (after === null) problems.push({ path: `${path}.after`, message: 'must be a positive duration such as "1h" or "2d"' });
      else at = startAt + after;
    }
    events.push({ type: event.type, stepId: event.step, url: event.url, at });
  });
  if (problems.length > 0) throw new InputInvalidError(problems);
  return { startAt, horizonAt: startAt + horizon!, events, campaignZone };
}
