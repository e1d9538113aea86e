import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { formatMinor, rate, roi } from '@ce/money';
import { CampaignsService } from './campaigns.service';
import { CampaignReportDto } from './dto/campaign-report.dto';

interface ReportRow {
  enrolled: string;
  sent: string;
  opened: string;
  clicked: string;
  converted: string;
  revenue_minor: string;
  cost_minor: string;
}

/** Participation, conversions, revenue, cost and ROI for one campaign, in its currency. */
@Injectable()
export class CampaignReportService {
  constructor(
    private readonly em: EntityManager,
    private readonly campaigns: CampaignsService,
  ) {}

  async report(id: string): Promise<CampaignReportDto> {
    const campaign = await this.campaigns.find(id);
    const [row] = await this.em.getConnection().execute<ReportRow[]>(
      `with p as (select ?::uuid as id, ?::text as currency)
       select
         (select count(*) from enrollments e, p where e.campaign_id = p.id) as enrolled,
         (select count(*) from messages m, p where m.campaign_id = p.id and m.status in ('sent', 'handed_over')) as sent,
         (select count(distinct t.lead_id) from touchpoints t, p where t.campaign_id = p.id and t.type = 'open') as opened,
         (select count(distinct t.lead_id) from touchpoints t, p where t.campaign_id = p.id and t.type = 'click') as clicked,
         (select count(distinct c.lead_id) from conversions c, p where c.campaign_id = p.id) as converted,
         (select coalesce(sum(c.value_minor), 0) from conversions c, p where c.campaign_id = p.id and c.currency = p.currency) as revenue_minor,
         (select coalesce(sum(k.amount_minor), 0) from costs k, p where k.campaign_id = p.id and k.currency = p.currency) as cost_minor`,
      [campaign.id, campaign.currency],
    );
    const revenue = BigInt(row.revenue_minor);
    const cost = BigInt(row.cost_minor);
    const enrolled = Number(row.enrolled);
    const converted = Number(row.converted);
    return {
      campaignId: campaign.id,
      currency: campaign.currency,
      enrolled,
      sent: Number(row.sent),
      opened: Number(row.opened),
      clicked: Number(row.clicked),
      converted,
      conversionRate: rate(converted, enrolled),
      revenue: formatMinor(revenue, campaign.currency),
      cost: formatMinor(cost, campaign.currency),
      roi: roi(revenue, cost),
      attribution: 'last_touch',
    };
  }
}
