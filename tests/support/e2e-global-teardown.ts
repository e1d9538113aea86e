import type { GlobalServices } from './e2e-global-setup';

export default async function teardown(): Promise<void> {
  const services = (globalThis as { __ceServices?: GlobalServices }).__ceServices;
  for (const stop of (services?.stops ?? []).reverse()) {
    await stop().catch((error: Error) => console.error(`test teardown: ${error.message}`));
  }
}
