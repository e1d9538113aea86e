import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { COMPILED_DEFAULT_CHANNEL_RULES, compileChannelRules, CompiledChannelRule } from '@ce/attribution';
import { ruleDefinition } from './channel-rule-input';
import { readChannelRules, readChannelRulesVersion } from './channel-rule-store';

/**
 * How long an API process uses the rules it holds before it asks the database whether they
 * changed. A change made through another process applies here within this time; one made
 * through this process applies at once.
 */
export const RULES_CHECK_INTERVAL_MS = 5_000;

interface Held {
  version: string;
  rules: readonly CompiledChannelRule[];
  checkedAt: number;
}

/**
 * The channel rules touchpoints are grouped by (the operator's, then the defaults), compiled
 * once and held in the process: batches of 10,000 touchpoints do not read or compile them
 * again. At most once every `RULES_CHECK_INTERVAL_MS` one cheap query compares the stored
 * version with the one held; the rules are read and compiled again only when it differs.
 * Concurrent requests share one check.
 */
@Injectable()
export class ChannelTaxonomy {
  private held: Held | null = null;
  private pending: Promise<Held> | null = null;
  /** Counts `forget` calls, so a check begun before one does not keep rules it read too early. */
  private generation = 0;

  constructor(private readonly em: EntityManager) {}

  /** The rules to group touchpoints by, in the order they are tried. */
  async rules(): Promise<readonly CompiledChannelRule[]> {
    const held = this.held;
    if (held && Date.now() - held.checkedAt < RULES_CHECK_INTERVAL_MS) return held.rules;
    return (await (this.pending ?? this.refresh())).rules;
  }

  /** Drops the rules held, after this process replaced them; the next use reads them again. */
  forget(): void {
    this.generation++;
    this.held = null;
    this.pending = null;
  }

  private refresh(): Promise<Held> {
    const generation = this.generation;
    const pending: Promise<Held> = this.check(this.held)
      .then((held) => {
        if (generation === this.generation) this.held = held;
        return held;
      })
      .finally(() => {
        if (this.pending === pending) this.pending = null;
      });
    this.pending = pending;
    return pending;
  }

  private async check(held: Held | null): Promise<Held> {
    const connection = this.em.getConnection();
    if (held && (await readChannelRulesVersion(connection)) === held.version) return { ...held, checkedAt: Date.now() };
    const stored = await readChannelRules(connection);
    const own = compileChannelRules(stored.rules.map(ruleDefinition));
    return { version: stored.version, rules: [...own, ...COMPILED_DEFAULT_CHANNEL_RULES], checkedAt: Date.now() };
  }
}
