import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { ATTRIBUTION_MODELS } from '@ce/attribution';
import { MAX_RANGE_YEARS } from '../reports/report-query';
import { DEFAULT_MODEL } from '../reports/roi-query';

/** One file the dashboard serves: its bytes and media type. */
export interface DashboardAsset {
  body: Buffer;
  contentType: string;
}

/** Where the page's own files live: next to this file in the source tree and in dist/ (scripts/build.sh copies them). */
const ASSETS_DIR = join(__dirname, 'assets');

/**
 * Chart.js's browser build (UMD: it defines `window.Chart`), read from the installed package,
 * never from a CDN. The package's exports name only its module builds, so the file is found
 * next to the CommonJS entry point.
 */
const CHART_JS_BUNDLE = join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');

/** The page and its files, read once at start-up so that a missing file stops the API from starting. */
@Injectable()
export class DashboardAssets {
  readonly page: string = renderPage(readFileSync(join(ASSETS_DIR, 'dashboard.html'), 'utf8'));

  private readonly files = new Map<string, DashboardAsset>([
    ['dashboard.js', { body: readFileSync(join(ASSETS_DIR, 'dashboard.js')), contentType: 'text/javascript; charset=utf-8' }],
    ['dashboard.css', { body: readFileSync(join(ASSETS_DIR, 'dashboard.css')), contentType: 'text/css; charset=utf-8' }],
    ['chart.umd.min.js', { body: readFileSync(CHART_JS_BUNDLE), contentType: 'text/javascript; charset=utf-8' }],
  ]);

  /** The file of that name, or null for any other name. */
  file(name: string): DashboardAsset | null {
    return this.files.get(name) ?? null;
  }
}

/** Fills in what the page takes from the server: every attribution model (the default one selected) and the longest range. */
function renderPage(template: string): string {
  const options = ATTRIBUTION_MODELS.map(
    (model) => `<option value="${model}"${model === DEFAULT_MODEL ? ' selected' : ''}>${modelLabel(model)}</option>`,
  ).join('');
  return template.replace('<!-- model options -->', options).replace('{{maxRangeYears}}', String(MAX_RANGE_YEARS));
}

/** `last_non_direct` → `Last non direct`. */
function modelLabel(model: string): string {
  const words = model.replace(/_/g, ' ');
  return words[0].toUpperCase() + words.slice(1);
}
