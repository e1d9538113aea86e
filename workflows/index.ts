export { nurture } from './nurture.workflow';
export { campaignLifecycle } from './campaign.workflow';
export { importLeads } from './import-leads.workflow';
export * from './attribute-conversion.workflow';
export * from './recompute-scores.workflow';
export * from './handoff.workflow';
