import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

/** Debian's Chromium; scripts/ensure-chromium.sh installs it (`npm test` runs it first). No browser is downloaded. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Where browser tests leave screenshots (ignored by git). */
export const TEST_RESULTS_DIR = join(__dirname, '..', '..', 'test-results');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not at ${CHROMIUM_PATH}: run \`bash scripts/ensure-chromium.sh\` (npm test runs it first).`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--headless'] });
}

/** The path of a file in test-results/, the folder made if needed. */
export function testResultPath(name: string): string {
  mkdirSync(TEST_RESULTS_DIR, { recursive: true });
  return join(TEST_RESULTS_DIR, name);
}

/** Everything the page reports as an error: console errors (failed requests, CSP violations) and uncaught exceptions. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

export interface ChartSnapshot {
  type: string;
  labels: unknown[];
  datasets: { label: string; data: unknown[] }[];
}

/** The few browser globals read inside page.evaluate; the project compiles without the DOM library. */
interface PageGlobals {
  document: { getElementById(id: string): unknown };
  Chart: { getChart(canvas: unknown): { config: { type: string }; data: { labels?: unknown[]; datasets: { label?: string; data: unknown[] }[] } } | undefined };
}

/** What the Chart.js chart on a canvas is drawing now, or null when the canvas has no chart. */
export function chartOn(page: Page, canvasId: string): Promise<ChartSnapshot | null> {
  return page.evaluate((id) => {
    const { document, Chart } = globalThis as unknown as PageGlobals;
    const chart = Chart.getChart(document.getElementById(id));
    if (!chart) return null;
    return {
      type: chart.config.type,
      labels: [...(chart.data.labels ?? [])],
      datasets: chart.data.datasets.map((dataset) => ({ label: dataset.label ?? '', data: [...dataset.data] })),
    };
  }, canvasId);
}
