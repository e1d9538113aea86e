import { NO_CAMPAIGN } from '@ce/db';

/**
 * One statement that counts the rows of either roll-up (`attribution_rollups`, by day × campaign
 * × channel × model × currency, and `attribution_channel_rollups`, by model × day × channel ×
 * currency) that differ from the sums of the credits they stand for: 0 when the roll-up triggers
 * kept both equal to the credits. Answers one row, `n`. Attributed conversions are sums of
 * floats, so they may differ by `tolerance`; revenue must be equal. Used by the tests and the
 * ROI benchmark; it reads every credit, so it is not for a request path.
 */
export function rollupDriftSql(tolerance = 1e-9): string {
  if (!Number.isFinite(tolerance) || tolerance < 0) throw new RangeError('the tolerance must be a number of 0 or more');
  const differs = `abs(coalesce(c.conversions, 0) - coalesce(r.conversions, 0)) > ${tolerance} or coalesce(c.revenue, 0) <> coalesce(r.revenue_minor, 0)`;
  return `select ((select count(*) from (
       select (converted_at at time zone 'UTC')::date as day, coalesce(campaign_id, '${NO_CAMPAIGN}') as campaign_key,
              channel, model, currency, sum(credit) as conversions, sum(revenue_minor) as revenue
         from attribution_credits group by 1, 2, 3, 4, 5
     ) c full join attribution_rollups r using (day, campaign_key, channel, model, currency)
     where ${differs})
   + (select count(*) from (
       select model, (converted_at at time zone 'UTC')::date as day, channel, currency, sum(credit) as conversions, sum(revenue_minor) as revenue
         from attribution_credits group by 1, 2, 3, 4
     ) c full join attribution_channel_rollups r using (model, day, channel, currency)
     where ${differs}))::int as n`;
}
