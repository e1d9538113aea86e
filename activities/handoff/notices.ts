import type { EntityManager } from '@mikro-orm/postgresql';
import type { Transporter } from 'nodemailer';
import type { NoticeChannel } from '@ce/db';
import { envelopeAddress } from '../send-email/compose-lead-email';
import { sendWithHandOver } from '../send-email/hand-over';
import { buildMimeMessage } from '../send-email/mime-message';

export interface NoticeRow {
  id: string;
  status: 'sending' | 'handed_over' | 'sent' | 'failed';
}

/**
 * The ledger row of a notification, claimed (`sending`) if there is none yet: at most one per
 * hand-off, rep and channel, whatever the retries.
 */
export async function claimNotice(em: EntityManager, handoffId: string, repId: string, channel: NoticeChannel): Promise<NoticeRow> {
  await em.execute(
    `insert into handoff_notices (id, handoff_id, rep_id, channel, status) values (gen_random_uuid(), ?, ?, ?, 'sending')
     on conflict (handoff_id, rep_id, channel) do nothing`,
    [handoffId, repId, channel],
  );
  const [row] = await em.execute<NoticeRow[]>('select id, status from handoff_notices where handoff_id = ? and rep_id = ? and channel = ?', [handoffId, repId, channel]);
  return row;
}

export async function markNotice(em: EntityManager, id: string, status: 'sent' | 'failed', error: string | null = null): Promise<void> {
  await em.execute(`update handoff_notices set status = ?, error = ?, sent_at = case when ? = 'sent' then now() else sent_at end where id = ?`, [status, error, status, id]);
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Sends a notification email once: the ledger row is marked `handed_over` (and that committed)
 * just before the message's last byte, so a retry after a crash sends again only when the mail
 * server never got the whole message, and a row found `handed_over` or `sent` is not sent again.
 * Its Message-ID is made from the row's id, the same on every attempt.
 */
export async function sendNoticeEmail(
  em: EntityManager,
  mailer: Transporter,
  notice: NoticeRow,
  mail: { from: string; to: string; subject: string; text: string },
): Promise<'sent' | 'already_sent'> {
  if (notice.status !== 'sending') return 'already_sent';
  const messageId = `<notice-${notice.id}@campaign-engine>`;
  const html = `<!doctype html><html><body><pre style="font-family: inherit; white-space: pre-wrap">${escapeHtml(mail.text)}</pre></body></html>`;
  const raw = buildMimeMessage({ from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, html, messageId, headers: [] });
  await sendWithHandOver(mailer, { from: envelopeAddress(mail.from), to: mail.to, messageId, raw }, (end) => {
    em.execute(`update handoff_notices set status = 'handed_over' where id = ? and status = 'sending'`, [notice.id]).then(
      () => end(),
      (error: Error) => end(error),
    );
  });
  await markNotice(em, notice.id, 'sent');
  return 'sent';
}
