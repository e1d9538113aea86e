import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { DEFAULT_CHANNEL_RULES, FALLBACK_CHANNELS, taxonomyChannels } from '@ce/attribution';
import { inPgTransaction, withPgClient } from '@ce/db';
import { InputInvalidError } from '@ce/errors';
import type { Caller } from '../common/auth/api-key.guard';
import { parseChannelRules, ruleDefinition } from './channel-rule-input';
import { readChannelRules, replaceChannelRules } from './channel-rule-store';
import { ChannelTaxonomy } from './channel-taxonomy';
import type { ChannelTaxonomyDto } from './dto/channel-rules.dto';

@Injectable()
export class ChannelRulesService {
  constructor(
    private readonly em: EntityManager,
    private readonly taxonomy: ChannelTaxonomy,
  ) {}

  /** The whole taxonomy: the operator's rules, the defaults after them, and what is left when none matches. */
  async get(): Promise<ChannelTaxonomyDto> {
    const stored = await readChannelRules(this.em.getConnection());
    const rules = stored.rules.map(ruleDefinition);
    return {
      rules,
      updatedAt: stored.updatedAt?.toISOString() ?? null,
      updatedByKeyId: stored.updatedByKeyId,
      defaults: [...DEFAULT_CHANNEL_RULES],
      fallback: FALLBACK_CHANNELS.map((f) => ({ ...f })),
      channels: taxonomyChannels(rules),
    };
  }

  /**
   * Replaces the operator's rules as a whole, all or nothing: one bad rule refuses the list, with
   * every problem named. Touchpoints stored before keep their channel; new ones get the new
   * rules, at once through this process and within `RULES_CHECK_INTERVAL_MS` through others.
   */
  async replace(body: unknown, caller: Caller | null): Promise<ChannelTaxonomyDto> {
    const { rules, problems } = parseChannelRules(body);
    if (problems.length > 0) throw new InputInvalidError(problems, 'Some channel rules are not valid; nothing was changed.');
    await withPgClient(this.em, (client) => inPgTransaction(client, () => replaceChannelRules(client, rules, caller?.keyId ?? null)));
    this.taxonomy.forget();
    return this.get();
  }
}
