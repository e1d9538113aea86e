import type { QueueItemDto, QueueQuery } from './dto/handoff.dto';

/** A row of the queue statement. */
export interface QueueRow {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  job_title: string | null;
  score: number;
  lifecycle_stage: string;
  predicted: number | null;
  contributions: { ruleId: string; name: string; points: number }[] | null;
  handoff: Record<string, unknown> | null;
}

/**
 * A rep's leads (those it owns), highest score first, then by id, after the cursor, with each
 * lead's latest hand-off and stored score; filtered by hand-off status, stage and least score.
 * Reads the leads through their owner index.
 */
export function queueSql(repId: string, q: QueueQuery & { limit: number }): { sql: string; params: unknown[] } {
  const where: string[] = ['l.owner_id = ?'];
  const params: unknown[] = [repId];
  if (q.stage) (where.push('l.lifecycle_stage = ?'), params.push(q.stage));
  if (q.minScore !== undefined) (where.push('l.score >= ?'), params.push(q.minScore));
  if (q.handoff === 'open') where.push(`h.status in ('assigned', 'escalated')`);
  else if (q.handoff) (where.push('h.status = ?'), params.push(q.handoff));
  if (q.after) {
    const [score, id] = [Number(q.after.slice(0, q.after.indexOf('_'))), q.after.slice(q.after.indexOf('_') + 1)];
    where.push('(l.score, l.id) < (?, ?::uuid)');
    params.push(score, id);
  }
  params.push(q.limit);
  return {
    sql: `select l.id, l.email, l.first_name, l.last_name, l.company, l.job_title, l.score, l.lifecycle_stage,
                 s.predicted, s.contributions,
                 case when h.id is null then null else jsonb_build_object(
                   'id', h.id, 'status', h.status, 'repId', h.rep_id, 'createdAt', h.created_at, 'assignedAt', h.assigned_at,
                   'dueAt', h.due_at, 'decidedAt', h.decided_at, 'reason', h.reason, 'disposition', h.disposition, 'reassignments', h.reassignments) end as handoff
            from leads l
            left join lateral (select * from handoffs h where h.lead_id = l.id order by h.created_at desc, h.id desc limit 1) h on true
            left join lead_scores s on s.lead_id = l.id
           where ${where.join(' and ')}
           order by l.score desc, l.id desc
           limit ?`,
    params,
  };
}

export function queueItem(r: QueueRow): QueueItemDto {
  return {
    leadId: r.id,
    email: r.email,
    name: [r.first_name, r.last_name].filter(Boolean).join(' ') || null,
    company: r.company,
    jobTitle: r.job_title,
    score: r.score,
    predicted: r.predicted === null ? null : Math.round(r.predicted * 1e4) / 1e4,
    lifecycleStage: r.lifecycle_stage,
    reasons: (r.contributions ?? []).slice(0, 3).map((c) => ({ ruleId: c.ruleId, name: c.name, points: c.points })),
    handoff: r.handoff as QueueItemDto['handoff'],
  };
}
