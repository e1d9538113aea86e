/**
 * Campaign launch throughput (issue 4). On its own Temporal dev server and its own database,
 * with one campaign worker and the API in this process:
 *
 *   launch:   a campaign for N leads (default 100,000, `--leads N`), every one subscribed to
 *             email, audience a dynamic segment, flow "wait 30d, then send an email", launched
 *             through the API. Measured from the launch request until the campaign's status is
 *             `running`, which the lifecycle workflow sets right after the enrollment activity
 *             returns, i.e. once every enrollment row is written and every nurture workflow's
 *             start has been acknowledged by the server. Enrollments started per second = N / that.
 *   baseline: the bare SDK loop: N workflows of a trivial type (its first task starts a 30-day
 *             timer, as a nurture journey's first wait does) started by a client in this
 *             process, in batches of ENROLLMENT_BATCH_SIZE (500) started together with
 *             Promise.all, one batch after another: the launch activity's own pattern. A worker
 *             of its own runs them, as the campaign worker runs the journeys during the launch,
 *             so both sides carry the same server and worker load. Half of it runs before the
 *             launch and half after, so that neither side alone runs on the fuller server.
 *
 * Between runs the benchmark waits until the worker has run every new workflow's first task.
 * Target: launch rate ≥ 0.80 × baseline rate. The Temporal server keeps its SQLite file in
 * memory-backed /dev/shm where there is one (see bench/support/bench-stack.ts).
 *
 * Then, Temporal actions per lead per step: a campaign for `--action-leads` (200) leads through
 * send_email → wait 5s → branch on "opened the first email" → send_email, to the end, with a
 * real SMTP server in this process; every other lead opens the first email (its tracking pixel
 * is requested as soon as the email is sent). Every journey's history is read and its billable actions counted as Temporal
 * Cloud defines them (bench/support/temporal-actions.ts).
 *
 *   npm run bench:launch [-- --leads 100000 --action-leads 200]
 *   BENCH_DATABASE_URL=postgres://…/postgres picks the PostgreSQL server (default: the local one).
 *
 * Prints the figures, then one JSON line. Removes its database, server and files when done.
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { ENROLLMENT_BATCH_SIZE, TASK_QUEUES } from '@ce/contracts';
import { startSmtpSink } from '../tests/support/smtp-sink';
import { BaselineStarter, createBaselineStarter, waitForFirstTasks } from './support/baseline-starts';
import { createBenchDatabase, numberOption } from './support/bench-db';
import { BenchStack, startBenchStack } from './support/bench-stack';
import { runActionsCampaign } from './support/actions-campaign';
import { generateSubscribedLeads } from './support/subscribed-leads';

const log = (line: string) => console.log(`[launch] ${line}`);

// The SDK logs every worker state change and workflow bundle at INFO; warnings are enough here.
Runtime.install({ logger: new DefaultLogger('WARN') });

async function main(): Promise<void> {
  const leads = numberOption('leads', 100_000);
  const actionLeads = numberOption('action-leads', 200);
  const started = Date.now();
  const bench = await createBenchDatabase('ce_bench_launch');
  const smtp = await startSmtpSink({ parse: false });
  let stack: BenchStack | null = null;
  let connection: Connection | null = null;
  let baseline: BaselineStarter | null = null;
  try {
    log(`generating ${leads} leads subscribed to email`);
    await generateSubscribedLeads(bench.client, leads);
    stack = await startBenchStack({ databaseUrl: bench.url, smtpUrl: smtp.url, log });
    const { address, namespace } = stack.config.temporal;
    connection = await Connection.connect({ address });
    const client = new Client({ connection, namespace });
    baseline = await createBaselineStarter(address, namespace);
    log(`ready after ${seconds(Date.now() - started)} s`);

    const firstHalf = Math.floor(leads / 2);
    log(`baseline, first half: ${firstHalf} bare starts`);
    const baselineFirst = await baseline.startMany(firstHalf, ENROLLMENT_BATCH_SIZE, 'bench-a');
    const baselineFirstDrain = await baseline.drain();

    log(`launch: campaign for ${leads} leads`);
    const launch = await measureLaunch(stack, bench.client, leads);
    const launchDrain = await waitForFirstTasks(connection, namespace, TASK_QUEUES.campaigns, stack.worker.campaigns);

    log(`baseline, second half: ${leads - firstHalf} bare starts`);
    const baselineSecond = await baseline.startMany(leads - firstHalf, ENROLLMENT_BATCH_SIZE, 'bench-b');
    const baselineSecondDrain = await baseline.drain();

    const nurtures = await visibleCount(client, `WorkflowType = 'nurture' AND ExecutionStatus = 'Running'`, leads);
    const holds = await visibleCount(client, `WorkflowType = 'benchHold' AND ExecutionStatus = 'Running'`, leads);
    stack.assertWorkerRunning();

    const baselineMs = baselineFirst + baselineSecond;
    const launchRate = leads / (launch.ms / 1000);
    const baselineRate = leads / (baselineMs / 1000);
    const ratio = launchRate / baselineRate;
    log(`running nurture workflows (Temporal visibility): ${nurtures}; running baseline workflows: ${holds}`);
    log(`launch:   ${leads} enrollments started in ${seconds(launch.ms)} s = ${launchRate.toFixed(0)} per second`);
    log(`          until the first enrollment batch: ${seconds(launch.untilFirstBatchMs)} s; enrolling: ${seconds(launch.enrollingMs)} s over ${launch.batches} batches (${launch.msPerBatch.toFixed(0)} ms a batch)`);
    log(`          worker ran the last first workflow task ${seconds(launchDrain)} s after`);
    log(`baseline: ${leads} bare starts in ${seconds(baselineMs)} s = ${baselineRate.toFixed(0)} per second (halves: ${rate(firstHalf, baselineFirst).toFixed(0)}/s before, ${rate(leads - firstHalf, baselineSecond).toFixed(0)}/s after; ${(baselineMs / Math.ceil(leads / ENROLLMENT_BATCH_SIZE)).toFixed(0)} ms a batch)`);
    log(`          worker ran the last first workflow task ${seconds(baselineFirstDrain)} s / ${seconds(baselineSecondDrain)} s after`);
    log(`ratio launch / baseline: ${ratio.toFixed(2)} (target ≥ 0.80)`);
    // Until every workflow has run its first task (the journey is on its first step): starts plus the wait after them.
    const launchFirstTasksRate = rate(leads, launch.ms + launchDrain);
    const baselineFirstTasksRate = rate(leads, baselineMs + baselineFirstDrain + baselineSecondDrain);
    log(`until every first workflow task has run: launch ${launchFirstTasksRate.toFixed(1)}/s, baseline ${baselineFirstTasksRate.toFixed(1)}/s, ratio ${(launchFirstTasksRate / baselineFirstTasksRate).toFixed(2)}`);

    log(`actions: campaign for ${actionLeads} leads, send_email → wait 5s → branch on open → send_email`);
    const actions = await runActionsCampaign(stack, bench.client, client, actionLeads, log);
    const launchLifecycle = await actions.lifecycleActions(launch.campaignId);

    const result = {
      benchmark: 'launch-campaign',
      leads,
      batchSize: ENROLLMENT_BATCH_SIZE,
      launchSeconds: round(launch.ms / 1000),
      launchPerSecond: Math.round(launchRate),
      launchUntilFirstBatchSeconds: round(launch.untilFirstBatchMs / 1000),
      launchEnrollingSeconds: round(launch.enrollingMs / 1000),
      launchDrainSeconds: round(launchDrain / 1000),
      baselineSeconds: round(baselineMs / 1000),
      baselinePerSecond: Math.round(baselineRate),
      baselineHalvesPerSecond: [Math.round(rate(firstHalf, baselineFirst)), Math.round(rate(leads - firstHalf, baselineSecond))],
      ratio: round(ratio),
      target: 0.8,
      firstTasksPerSecond: { launch: round(launchFirstTasksRate), baseline: round(baselineFirstTasksRate) },
      runningNurtureWorkflows: nurtures,
      launchLifecycleActions: launchLifecycle,
      actions: actions.summary,
      totalSeconds: round((Date.now() - started) / 1000),
    };
    console.log(JSON.stringify(result));
  } finally {
    await baseline?.close().catch((error: Error) => log(`clean-up: ${error.message}`));
    await connection?.close().catch(() => undefined);
    await stack?.stop();
    await smtp.close();
    await bench.drop();
  }
}

interface LaunchMeasure {
  campaignId: string;
  ms: number;
  untilFirstBatchMs: number;
  enrollingMs: number;
  batches: number;
  msPerBatch: number;
}

/** Creates the template, flow, segment and campaign through the API, then times the launch. */
async function measureLaunch(stack: BenchStack, db: import('pg').Client, leads: number): Promise<LaunchMeasure> {
  const template = await stack.call('POST', '/v1/templates', { name: 'Launch bench', subject: 'Hello {{lead.firstName}}', html: '<p>Hi {{lead.firstName}}</p>' });
  const flow = await stack.call('POST', '/v1/flows', {
    name: 'Hold, then send',
    definition: {
      entry: 'hold',
      steps: {
        hold: { type: 'wait', duration: '30d', next: 'send' },
        send: { type: 'send_email', templateId: template.id },
      },
    },
  });
  const segment = await stack.call('POST', '/v1/segments', { name: 'Subscribed to email', kind: 'dynamic', definition: { consent: 'email', status: 'subscribed' } });
  const campaign = await stack.call('POST', '/v1/campaigns', { name: 'Launch bench', flowId: flow.id, channel: 'email', audience: { segmentId: segment.id } });

  const wallStart = Date.now();
  const started = performance.now();
  await stack.call('POST', `/v1/campaigns/${campaign.id}/launch`);
  for (;;) {
    const { rows } = await db.query<{ status: string }>('select status from campaigns where id = $1', [campaign.id]);
    if (rows[0].status === 'running') break;
    if (rows[0].status !== 'launching') throw new Error(`the campaign became ${rows[0].status}`);
    stack.assertWorkerRunning();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const ms = performance.now() - started;

  const { rows } = await db.query<{ first: Date; last: Date; count: number }>(
    'select min(created_at) as first, max(created_at) as last, count(*)::int as count from enrollments where campaign_id = $1',
    [campaign.id],
  );
  if (rows[0].count !== leads) throw new Error(`expected ${leads} enrollments, found ${rows[0].count}`);
  const batches = Math.ceil(leads / ENROLLMENT_BATCH_SIZE);
  const enrollingMs = rows[0].last.getTime() - rows[0].first.getTime();
  return {
    campaignId: campaign.id,
    ms,
    untilFirstBatchMs: rows[0].first.getTime() - wallStart,
    enrollingMs,
    batches,
    msPerBatch: batches > 1 ? enrollingMs / (batches - 1) : enrollingMs,
  };
}

/** Temporal's count of workflows matching `query`, once visibility has caught up with `expected` (or after 60 s). */
async function visibleCount(client: Client, query: string, expected: number): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { count } = await client.workflow.count(query);
    if (count >= expected || Date.now() > deadline) return count;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const rate = (count: number, ms: number) => count / (ms / 1000);

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
