export { nurture } from './nurture.workflow';
export { launchCampaign } from './launch-campaign.workflow';
export { importLeads } from './import-leads.workflow';
