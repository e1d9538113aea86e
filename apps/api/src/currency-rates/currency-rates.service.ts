import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { withPgClient } from '@ce/db';
import { InputInvalidError } from '@ce/errors';
import { CurrencyRatesDto, CurrencyRatesQuery, PutCurrencyRatesResultDto } from './dto/currency-rate.dto';
import { TooManyRatesError } from './currency-rates.errors';
import { parseRateBatch, parseRateQuery, trimDecimal } from './rate-input';

/** A listing carries at most this many rates. */
export const MAX_LISTED_RATES = 50_000;

@Injectable()
export class CurrencyRatesService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Stores a batch of rates, all or nothing: an invalid item refuses the whole batch, with every
   * problem listed. A rate for a currency and day that has one already replaces it.
   */
  async put(body: unknown): Promise<PutCurrencyRatesResultDto> {
    const { rates, problems } = parseRateBatch(body);
    if (problems.length > 0) throw new InputInvalidError(problems, 'Some rates are not valid; nothing was stored.');
    // One statement for the whole batch; `xmax = 0` tells a new row from a replaced one.
    const result = await withPgClient(this.em, (client) =>
      client.query<{ created: string; replaced: string }>(
        `with stored as (
           insert into currency_rates (currency, day, rate)
           select * from unnest($1::text[], $2::date[], $3::numeric[])
           on conflict (currency, day) do update set rate = excluded.rate
           returning (xmax = 0) as created
         )
         select count(*) filter (where created) as created, count(*) filter (where not created) as replaced from stored`,
        [rates.map((r) => r.currency), rates.map((r) => r.day), rates.map((r) => r.rate)],
      ),
    );
    const row = result.rows[0];
    return { created: Number(row.created), replaced: Number(row.replaced) };
  }

  /** Stored rates, by currency then day, optionally for one currency and a range of days. */
  async list(raw: CurrencyRatesQuery): Promise<CurrencyRatesDto> {
    const { query, problems } = parseRateQuery({ ...raw });
    if (problems.length > 0) throw new InputInvalidError(problems);
    const result = await withPgClient(this.em, (client) =>
      client.query<{ currency: string; day: string; rate: string }>(
        `select currency, day::text as day, rate::text as rate from currency_rates
          where ($1::text is null or currency = $1) and ($2::date is null or day >= $2) and ($3::date is null or day <= $3)
          order by currency, day
          limit $4`,
        [query.currency, query.from, query.to, MAX_LISTED_RATES + 1],
      ),
    );
    if (result.rows.length > MAX_LISTED_RATES) throw new TooManyRatesError(MAX_LISTED_RATES);
    return { rates: result.rows.map((r) => ({ currency: r.currency, day: r.day, rate: trimDecimal(r.rate) })) };
  }
}
