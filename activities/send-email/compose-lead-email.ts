import type { AppConfig } from '@ce/config';
import { appendOpenPixel, clickUrl, openPixelUrl, RenderedEmail, rewriteLinks, rewriteTextLinks, unsubscribeUrl } from '@ce/mail';
import type { RawEmail } from './hand-over';
import { buildMimeMessage } from './mime-message';

export interface LeadEmail {
  /** The ledger row's id: it names the message everywhere (Message-ID, tracking links). */
  messageId: string;
  campaignId: string;
  to: string;
  rendered: RenderedEmail;
}

type ComposeConfig = Pick<AppConfig, 'mailFrom' | 'publicBaseUrl' | 'trackingSecret'>;

/** The Message-ID a ledger row's message carries; the same on every attempt. */
export const messageIdHeader = (messageId: string) => `<${messageId}@campaign-engine>`;

/**
 * The whole message as it goes over the wire: tracked links, a visible unsubscribe link, an
 * open pixel, and the one-click unsubscribe headers (RFC 8058).
 */
export function composeLeadEmail(email: LeadEmail, config: ComposeConfig): RawEmail {
  const { messageId, rendered } = email;
  const track = (url: string) => clickUrl(config.publicBaseUrl, config.trackingSecret, messageId, url);
  const unsubscribe = unsubscribeUrl(config.publicBaseUrl, config.trackingSecret, messageId);
  const html = appendOpenPixel(
    beforeBodyEnd(rewriteLinks(rendered.html, track).html, unsubscribeFooterHtml(unsubscribe)),
    openPixelUrl(config.publicBaseUrl, config.trackingSecret, messageId),
  );
  const text = `${rewriteTextLinks(rendered.text, track).text}\n\n--\nUnsubscribe: ${unsubscribe}\n`;

  const id = messageIdHeader(messageId);
  const raw = buildMimeMessage({
    from: config.mailFrom,
    to: email.to,
    subject: rendered.subject,
    html,
    text,
    messageId: id,
    headers: [
      ['X-Campaign-Id', email.campaignId],
      // One-click unsubscribe (RFC 8058): mail clients POST to the link; nothing else needed.
      ['List-Unsubscribe', `<${unsubscribe}>`],
      ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'],
    ],
  });
  return { from: envelopeAddress(config.mailFrom), to: email.to, messageId: id, raw };
}

/** `Campaign Engine <campaigns@localhost>` → `campaigns@localhost`, for MAIL FROM. */
export function envelopeAddress(from: string): string {
  return /<([^<>]+)>\s*$/.exec(from)?.[1].trim() ?? from.trim();
}

function beforeBodyEnd(html: string, fragment: string): string {
  const end = html.search(/<\/body\s*>/i);
  return end < 0 ? html + fragment : html.slice(0, end) + fragment + html.slice(end);
}

/** A visible way out in every message; not click-tracked. */
function unsubscribeFooterHtml(url: string): string {
  const href = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<p style="font-size:12px;color:#666"><a href="${href}" data-no-track>Unsubscribe</a> from these emails.</p>`;
}
