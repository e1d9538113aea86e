import { Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Client } from '@temporalio/client';
import { refreshAgain, startAttributionRefresh } from '@activities/attribution/refresh-request';
import { ATTRIBUTION_SETTINGS_ID, AttributionSettings, ChannelWeight } from '@ce/db';
import { AttributionSettingsDto, ChannelWeightDto, RefreshStartedDto, SettingsChangedDto, UpdateAttributionSettingsDto } from './dto/attribution.dto';

@Injectable()
export class AttributionService {
  constructor(
    private readonly em: EntityManager,
    private readonly temporal: Client,
  ) {}

  /** Starts the refresh of the data-driven models, or answers the one already running. */
  refresh(): Promise<RefreshStartedDto> {
    return startAttributionRefresh(this.temporal);
  }

  async weights(): Promise<ChannelWeightDto[]> {
    const rows = await this.em.fork().find(ChannelWeight, {}, { orderBy: { model: 'asc', weight: 'desc', channel: 'asc' } });
    return rows.map((r) => ({ model: r.model, channel: r.channel, weight: r.weight, computedAt: r.computedAt }));
  }

  async settings(): Promise<AttributionSettingsDto> {
    return toSettingsDto(await this.currentSettings(this.em.fork()));
  }

  /**
   * Changes the look-back window and the half-life. When either changes, every conversion is
   * attributed again: the refresh starts, or, when one is running, runs once more after its
   * current pass (signal-with-start), so no conversion keeps credits from the old settings. If
   * the refresh cannot be asked for (Temporal unreachable), the change is taken back and the
   * request fails, so that sending it again does the whole of it.
   */
  async updateSettings(input: UpdateAttributionSettingsDto): Promise<SettingsChangedDto> {
    const em = this.em.fork();
    const { settings, before } = await em.transactional(async (tx) => {
      const row = await this.currentSettings(tx, true);
      if (row.lookbackDays === input.lookbackDays && row.halfLifeDays === input.halfLifeDays) return { settings: row, before: null };
      const before = { lookbackDays: row.lookbackDays, halfLifeDays: row.halfLifeDays, updatedAt: row.updatedAt };
      Object.assign(row, { lookbackDays: input.lookbackDays, halfLifeDays: input.halfLifeDays, updatedAt: new Date() });
      return { settings: row, before };
    });
    if (!before) return { ...toSettingsDto(settings), refresh: null };
    try {
      return { ...toSettingsDto(settings), refresh: await refreshAgain(this.temporal) };
    } catch (error) {
      // Only if nobody has changed them since.
      await em.nativeUpdate(AttributionSettings, { id: ATTRIBUTION_SETTINGS_ID, lookbackDays: settings.lookbackDays, halfLifeDays: settings.halfLifeDays, updatedAt: settings.updatedAt }, before);
      throw error;
    }
  }

  /** The settings row (made with the defaults if the migration's row was removed), locked for update when asked. */
  private async currentSettings(em: EntityManager, lock = false): Promise<AttributionSettings> {
    await em.execute('insert into attribution_settings (id) values (?) on conflict do nothing', [ATTRIBUTION_SETTINGS_ID]);
    return em.findOneOrFail(AttributionSettings, ATTRIBUTION_SETTINGS_ID, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  }
}

function toSettingsDto(s: AttributionSettings): AttributionSettingsDto {
  return { lookbackDays: s.lookbackDays, halfLifeDays: s.halfLifeDays, updatedAt: s.updatedAt };
}
