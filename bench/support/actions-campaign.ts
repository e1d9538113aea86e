import type { Client as TemporalClient } from '@temporalio/client';
import type { Client as PgClient } from 'pg';
import { workflowIds } from '@ce/contracts';
import { openPixelUrl } from '@ce/mail';
import type { BenchStack } from './bench-stack';
import { countActions, HistoryActions } from './temporal-actions';

/** The flow the actions are counted on: the typical steps of a nurture journey. */
const STEPS = [
  { id: 'welcome', type: 'send_email' },
  { id: 'pause', type: 'wait' },
  { id: 'check', type: 'branch' },
  { id: 'thanks', type: 'send_email' },
  { id: 'nudge', type: 'send_email' },
] as const;
/** Long enough for the opens of the first email to arrive before the branch. */
const WAIT = '5s';
const FINISH_TIMEOUT_MS = 10 * 60_000;

export interface StepRow {
  step: string;
  type: string;
  /** Leads whose path went through the step. */
  leads: number;
  actions: number;
  actionsPerLead: number;
}

export interface ActionsSummary {
  journeys: number;
  opened: number;
  stepsPerLead: number;
  actionsPerLead: number;
  actionsPerLeadPerStep: number;
  /** History events per lead (all histories' events over all leads), and the smallest and largest cohort history. */
  historyEvents: { perLead: number; cohorts: number; minPerCohort: number; maxPerCohort: number };
  actionsByKind: Record<string, number>;
  rows: StepRow[];
  /** The campaign's own lifecycle workflow, shared by all its leads. */
  lifecycle: { total: number; perLead: number; byKind: Record<string, number> };
}

export interface ActionsRun {
  summary: ActionsSummary;
  /** Billable actions in a campaign's lifecycle workflow history so far. */
  lifecycleActions(campaignId: string): Promise<{ total: number; byKind: Record<string, number> }>;
}

/**
 * Runs a small campaign through send_email → wait → branch on "opened the first email" →
 * send_email to the end, opening the first email of every other lead through the API's
 * tracking pixel as soon as it is sent; then reads every journey's history and counts its
 * billable actions, by kind and by step.
 */
export async function runActionsCampaign(
  stack: BenchStack,
  db: PgClient,
  temporal: TemporalClient,
  count: number,
  log: (line: string) => void,
): Promise<ActionsRun> {
  const template = await stack.call('POST', '/v1/templates', {
    name: 'Actions bench',
    subject: 'News for {{lead.firstName}}',
    html: '<p>Hi {{lead.firstName}}, <a href="https://example.com/news">read the news</a>.</p>',
  });
  const send = (next: string | null) => ({ type: 'send_email', templateId: template.id, next });
  const flow = await stack.call('POST', '/v1/flows', {
    name: 'Send, wait, branch on open, send',
    definition: {
      entry: 'welcome',
      steps: {
        welcome: send('pause'),
        pause: { type: 'wait', duration: WAIT, next: 'check' },
        check: { type: 'branch', branches: [{ when: { event: { type: 'opened', step: 'welcome' } }, next: 'thanks' }], otherwise: 'nudge' },
        thanks: send(null),
        nudge: send(null),
      },
    },
  });
  const leadIds = (await db.query<{ id: string }>('select id from leads order by id limit $1', [count])).rows.map((r) => r.id);
  const campaign = await stack.call('POST', '/v1/campaigns', { name: 'Actions bench', flowId: flow.id, channel: 'email', audience: { leadIds } });
  await stack.call('POST', `/v1/campaigns/${campaign.id}/launch`);

  const openers = new Set(leadIds.filter((_, i) => i % 2 === 0));
  const opened = await openAndFinish(stack, db, campaign.id, openers, leadIds.length);
  log(`  ${leadIds.length} journeys finished; ${opened} leads opened the first email`);

  // Leads share their cohort's workflow: each history is read once.
  const { rows: enrollments } = await db.query<{ workflow_id: string }>('select distinct workflow_id from enrollments where campaign_id = $1', [campaign.id]);
  const histories: HistoryActions[] = [];
  for (let i = 0; i < enrollments.length; i += 20) {
    const chunk = enrollments.slice(i, i + 20);
    histories.push(
      ...(await Promise.all(
        chunk.map(async (e) => {
          // The enrollment rows are closed by the cohort's last activity, a moment before the workflow itself ends.
          const handle = temporal.workflow.getHandle(e.workflow_id);
          await handle.result();
          return countActions(await handle.fetchHistory());
        }),
      )),
    );
  }
  const lifecycleActions = async (campaignId: string) => {
    const actions = countActions(await temporal.workflow.getHandle(workflowIds.campaign(campaignId)).fetchHistory());
    return { total: actions.total, byKind: Object.fromEntries(actions.byKind) };
  };
  const summary = summarise(histories, opened, await lifecycleActions(campaign.id));
  printSummary(summary, log);
  return { summary, lifecycleActions };
}

/** Opens the first email of each opener once it is sent, until every journey has ended; returns how many opened. */
async function openAndFinish(stack: BenchStack, db: PgClient, campaignId: string, openers: Set<string>, journeys: number): Promise<number> {
  const done = new Set<string>();
  const deadline = Date.now() + FINISH_TIMEOUT_MS;
  for (;;) {
    const { rows: sent } = await db.query<{ id: string; lead_id: string }>(
      `select id, lead_id from messages where campaign_id = $1 and step_id = 'welcome' and status = 'sent'`,
      [campaignId],
    );
    const toOpen = sent.filter((m) => openers.has(m.lead_id) && !done.has(m.lead_id));
    await Promise.all(
      toOpen.map(async (message) => {
        const response = await fetch(openPixelUrl(stack.baseUrl, stack.config.trackingSecret, message.id));
        if (!response.ok) throw new Error(`the open pixel answered ${response.status}`);
        await response.arrayBuffer();
        done.add(message.lead_id);
      }),
    );
    const { rows } = await db.query<{ total: number; active: number }>(
      `select count(*)::int as total, count(*) filter (where status = 'active')::int as active from enrollments where campaign_id = $1`,
      [campaignId],
    );
    if (rows[0].total === journeys && rows[0].active === 0) return done.size;
    stack.assertWorkerRunning();
    if (Date.now() > deadline) throw new Error(`journeys still active after ${FINISH_TIMEOUT_MS / 60_000} minutes: ${rows[0].active} of ${rows[0].total}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function summarise(histories: HistoryActions[], opened: number, lifecycle: { total: number; byKind: Record<string, number> }): ActionsSummary {
  const sum = (f: (h: HistoryActions) => number) => histories.reduce((total, h) => total + f(h), 0);
  // Every lead's path, from its cohort's result: the journeys that ended in the cohort's last run.
  const paths = histories.flatMap((h) => ((h.result as { journeys?: { path: string[] }[] } | null)?.journeys ?? []).map((j) => j.path));
  const n = paths.length;
  const through = (stepId: string) => paths.filter((path) => path.includes(stepId)).length;
  const byKind: Record<string, number> = {};
  for (const h of histories) for (const [kind, count] of h.byKind) byKind[kind] = (byKind[kind] ?? 0) + count;

  const row = (step: string, type: string, leads: number, actions: number): StepRow => ({
    step,
    type,
    leads,
    actions,
    actionsPerLead: leads > 0 ? round(actions / leads) : 0,
  });
  // Each step's own actions: an action step's activity attempts (its input names the step);
  // the wait step's timers (the journey starts timers only to wait, and this flow has one wait).
  const rows: StepRow[] = [row('(enrollment)', 'workflow started', n, byKind['workflow started'] ?? 0)];
  for (const step of STEPS) {
    const actions = step.type === 'wait' ? (byKind['timer started'] ?? 0) : sum((h) => h.byStep.get(step.id) ?? 0);
    rows.push(row(step.id, step.type, through(step.id), actions));
  }
  for (const [kind, count] of Object.entries(byKind)) {
    if (kind === 'workflow started' || kind === 'timer started' || kind.startsWith('activity ')) continue;
    rows.push(row(`(${kind})`, kind.startsWith('signal ') ? 'signal from the API' : 'other', n, count));
  }
  const bookkeeping: Record<string, number> = {};
  for (const h of histories) for (const [type, count] of h.unattributed) bookkeeping[type] = (bookkeeping[type] ?? 0) + count;
  for (const [type, count] of Object.entries(bookkeeping)) rows.push(row('(bookkeeping)', `activity ${type}`, n, count));

  const events = histories.map((h) => h.events);
  const stepsPerLead = paths.reduce((a, p) => a + p.length, 0) / n;
  const actionsPerLead = sum((h) => h.total) / n;
  return {
    journeys: n,
    opened,
    stepsPerLead: round(stepsPerLead),
    actionsPerLead: round(actionsPerLead),
    actionsPerLeadPerStep: round(actionsPerLead / stepsPerLead),
    historyEvents: { perLead: round(events.reduce((a, b) => a + b, 0) / n), cohorts: events.length, minPerCohort: Math.min(...events), maxPerCohort: Math.max(...events) },
    actionsByKind: byKind,
    rows,
    lifecycle: { ...lifecycle, perLead: round(lifecycle.total / n) },
  };
}

function printSummary(summary: ActionsSummary, log: (line: string) => void): void {
  log('  step               type                      leads   actions   actions per lead');
  for (const r of summary.rows) {
    log(`  ${r.step.padEnd(18)} ${r.type.padEnd(25)} ${String(r.leads).padStart(5)} ${String(r.actions).padStart(9)} ${r.actionsPerLead.toFixed(2).padStart(18)}`);
  }
  log(`  per lead: ${summary.actionsPerLead} actions over ${summary.stepsPerLead} steps = ${summary.actionsPerLeadPerStep} actions per lead per step`);
  const h = summary.historyEvents;
  log(`  history events: ${h.perLead} per lead; ${h.cohorts} cohort histories of ${h.minPerCohort} to ${h.maxPerCohort} events`);
  log(`  campaign lifecycle workflow: ${summary.lifecycle.total} actions (${summary.lifecycle.perLead} per lead)`);
}

const round = (n: number) => Math.round(n * 100) / 100;
