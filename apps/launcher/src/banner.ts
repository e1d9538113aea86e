export interface BannerInfo {
  apiPort: number;
  /** Web UI of the dev server we started; null when headless or external. */
  temporalUiUrl: string | null;
  temporalAddress: string;
  temporalExternal: boolean;
  smtpUrl: string | null;
  outboxDir: string;
  databaseUrl: string;
  databaseEmbedded: boolean;
}

/** The plain-text summary printed once everything answers. Never shows credentials. */
export function formatBanner(info: BannerInfo): string {
  const api = `http://127.0.0.1:${info.apiPort}`;
  const rows: [string, string][] = [
    ['API', api],
    ['API docs', `${api}/docs`],
    ['Dashboard', `${api}/dashboard`],
  ];
  if (info.temporalExternal) rows.push(['Temporal', `${info.temporalAddress} (external)`]);
  else if (info.temporalUiUrl !== null) rows.push(['Temporal UI', info.temporalUiUrl]);
  else rows.push(['Temporal', `${info.temporalAddress} (dev server)`]);
  if (info.smtpUrl !== null) rows.push(['SMTP', hostOf(info.smtpUrl)]);
  else rows.push(['Mail outbox', info.outboxDir]);
  rows.push(['Database', `${databaseOf(info.databaseUrl)}${info.databaseEmbedded ? ' (embedded)' : ''}`]);

  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return [
    '',
    'Campaign Engine is running.',
    '',
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}${value}`),
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

/** host:port of a URL, without user or password. */
export function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname;
  } catch {
    return '(unreadable URL)';
  }
}

/** host:port/database of a PostgreSQL URL, without user or password. */
export function databaseOf(url: string): string {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    return `${host}:${parsed.port || '5432'}/${database}`;
  } catch {
    return '(unreadable URL)';
  }
}
