import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { routingSettings } from '@activities/handoff/routing';
import { SegmentDefinitions } from '@ce/audience';
import { arrayLiteral, RoutingSettings } from '@ce/db';
import { FieldProblem, InputInvalidError } from '@ce/errors';
import type { Caller } from '../common/auth/api-key.guard';
import { capProblems } from '../common/input-checks';
import type { RoutingRuleDto, RoutingSettingsDto } from './dto/routing-settings.dto';
import { ParsedRoutingSettings, parseRoutingSettings, RoutingSettingsInput } from './routing-settings-input';

/** How MQLs are handed to sales: the routing rules, the SLA and what follows a missed one, the notifications. */
@Injectable()
export class RoutingSettingsService {
  constructor(private readonly em: EntityManager) {}

  async get(): Promise<RoutingSettingsDto> {
    return toDto(await routingSettings(this.em.fork()));
  }

  /**
   * Replaces the settings as a whole, all or nothing: any problem (in the body, a condition
   * that names an unknown attribute or segment, a rep that does not exist) refuses the whole
   * PUT with every problem named by its path, and nothing changes.
   */
  async replace(body: unknown, caller: Caller | null): Promise<RoutingSettingsDto> {
    const em = this.em.fork();
    const parsed = parseRoutingSettings(body);
    const problems = [...parsed.problems, ...(await conditionProblems(em, parsed)), ...(await unknownReps(em, parsed))];
    if (problems.length > 0 || !parsed.settings)
      throw new InputInvalidError(capProblems(problems, 'rules'), 'The routing settings are not valid; nothing was changed.');
    const input: RoutingSettingsInput = parsed.settings;
    const saved = await em.transactional(async (tx) => {
      const row = await routingSettings(tx, true);
      Object.assign(row, { ...input, updatedAt: new Date(), updatedByKeyId: caller?.keyId ?? null });
      return row;
    });
    return toDto(saved);
  }
}

/** The problems of each rule's condition in the segment language, under the rule's path. */
async function conditionProblems(em: EntityManager, parsed: ParsedRoutingSettings): Promise<FieldProblem[]> {
  const found = await new SegmentDefinitions().conditionProblems(em, parsed.conditions.map((c) => c.condition));
  return parsed.conditions.flatMap(({ path }, i) => found[i].map((p) => ({ path: p.path === '' ? path : `${path}.${p.path}`, message: p.message })));
}

/** A problem for every rep id that names no rep. */
async function unknownReps(em: EntityManager, parsed: ParsedRoutingSettings): Promise<FieldProblem[]> {
  if (parsed.repIds.length === 0) return [];
  const ids = [...new Set(parsed.repIds.map((r) => r.id))];
  const rows = await em.execute<{ id: string }[]>('select id from sales_reps where id = any(?::uuid[])', [arrayLiteral(ids)]);
  const known = new Set(rows.map((r) => String(r.id)));
  return parsed.repIds.filter((r) => !known.has(r.id)).map((r) => ({ path: r.path, message: `is not a known sales rep (${r.id})` }));
}

function toDto(s: RoutingSettings): RoutingSettingsDto {
  return {
    rules: s.rules as RoutingRuleDto[],
    slaMinutes: s.slaMinutes,
    onSlaBreach: s.onSlaBreach,
    maxReassignments: s.maxReassignments,
    escalationEmail: s.escalationEmail,
    webhookUrl: s.webhookUrl,
    emailSubject: s.emailSubject,
    emailText: s.emailText,
    updatedAt: s.updatedAt,
    updatedByKeyId: s.updatedByKeyId,
  };
}
