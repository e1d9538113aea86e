import { ApplicationFailure } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActionInput, ActionResult } from '@ce/contracts';
import { AttributeDefinition, LeadEvent, LeadEventType } from '@ce/db';
import { AttributeRule, parseLeadRecord } from '@ce/leads';
import { assertCampaignActive } from '../campaign-guard';
import type { ActivityDeps } from '../deps';
import { runStepOnce } from '../step-ledger';
import type { UpdateLeadSettings } from './update-lead.step';

interface LeadRow {
  attributes: Record<string, unknown>;
  lifecycle_stage: string;
  tags: string[];
}

interface Change {
  type: LeadEventType;
  data: Record<string, unknown>;
}

/** What the step needs from the worker's dependencies. */
export type UpdateLeadDeps = Pick<ActivityDeps, 'orm' | 'logger'>;

export const createUpdateLeadActivities = ({ orm, logger }: UpdateLeadDeps) => ({
  /**
   * Applies an `update_lead` step to the lead once per (enrollment, step): the changes, their
   * timeline events and the ledger row are written in one transaction.
   */
  async updateLead(input: ActionInput): Promise<ActionResult> {
    const em = orm.em.fork();
    await assertCampaignActive(em, input.campaignId);
    const settings = input.step as UpdateLeadSettings;

    const result = await runStepOnce(em, input, async (tx) => {
      // Checked after the ledger: a step that already ran is done, whatever the rules say now.
      const values = await checkValues(tx, settings);
      const rows = await tx.execute<LeadRow[]>('select attributes, lifecycle_stage, tags from leads where id = ? for update', [input.leadId]);
      if (!rows[0]) throw ApplicationFailure.nonRetryable('The lead no longer exists', 'LeadMissing');
      const { attributes, stage, tags, changes } = applyChanges(rows[0], values, settings);
      if (changes.length === 0) return { outcome: 'unchanged' };

      await tx.execute(
        `update leads set attributes = ?::jsonb, lifecycle_stage = ?,
           tags = array(select jsonb_array_elements_text(?::jsonb)), updated_at = now()
         where id = ?`,
        [JSON.stringify(attributes), stage, JSON.stringify(tags), input.leadId],
      );
      const occurredAt = new Date();
      for (const change of changes)
        tx.create(LeadEvent, {
          lead: input.leadId,
          type: change.type,
          occurredAt,
          data: { ...change.data, source: 'flow', campaignId: input.campaignId, stepId: input.stepId },
        });
      return { outcome: 'updated', changes: changes.map((c) => c.type) };
    });
    logger.info({ msg: 'lead updated by flow', outcome: result.outcome, leadId: input.leadId, campaignId: input.campaignId, stepId: input.stepId });
    return result;
  },
});

/**
 * Checks the step's values against the lead rules (declared attributes, lifecycle stages) as
 * they are now: a declaration may have changed since the flow was published. A bad value is a
 * permanent failure naming the attribute.
 */
async function checkValues(em: EntityManager, settings: UpdateLeadSettings) {
  const names = Object.keys(settings.set?.attributes ?? {});
  const definitions = names.length === 0 ? [] : await em.find(AttributeDefinition, { name: { $in: names } });
  const rules = new Map<string, AttributeRule>(definitions.map((d) => [d.name, { type: d.type, required: d.required, options: d.options }]));
  const { record, problems } = parseLeadRecord(
    { ...(settings.set?.attributes ? { attributes: settings.set.attributes } : {}), lifecycleStage: settings.set?.lifecycleStage },
    { attributes: rules, mode: 'update' },
  );
  if (problems.length > 0) {
    const described = problems.map((p) =>
      p.path.startsWith('attributes.') ? `attribute "${p.path.slice('attributes.'.length)}" ${p.message}` : `${p.path} ${p.message}`,
    );
    throw ApplicationFailure.nonRetryable(`The step cannot update the lead: ${described.join('; ')}`, 'LeadValueInvalid');
  }
  return record;
}

/** The lead after the step, and what changed, one timeline event per change. */
function applyChanges(lead: LeadRow, values: { attributes?: Record<string, unknown>; lifecycleStage?: string }, settings: UpdateLeadSettings) {
  const changes: Change[] = [];
  const attributes = { ...lead.attributes };
  for (const [key, to] of Object.entries(values.attributes ?? {})) {
    const from = attributes[key] ?? null;
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    if (to === null) delete attributes[key];
    else attributes[key] = to;
    changes.push({ type: 'attribute_changed', data: { attribute: key, from, to } });
  }

  let stage = lead.lifecycle_stage;
  if (values.lifecycleStage && values.lifecycleStage !== stage) {
    changes.push({ type: 'stage_changed', data: { from: stage, to: values.lifecycleStage } });
    stage = values.lifecycleStage;
  }

  const removing = new Set(settings.removeTags ?? []);
  const tags = lead.tags.filter((tag) => {
    if (!removing.has(tag)) return true;
    changes.push({ type: 'tag_removed', data: { tag } });
    return false;
  });
  for (const tag of settings.addTags ?? []) {
    if (tags.includes(tag)) continue;
    tags.push(tag);
    changes.push({ type: 'tag_added', data: { tag } });
  }
  return { attributes, stage, tags, changes };
}
