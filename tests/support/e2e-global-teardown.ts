import type { E2eServices } from './e2e-global-setup';

export default async function teardown(): Promise<void> {
  const services = (globalThis as { __ceE2e?: E2eServices }).__ceE2e;
  for (const stop of (services?.stops ?? []).reverse()) {
    await stop().catch((error: Error) => console.error(`e2e teardown: ${error.message}`));
  }
}
