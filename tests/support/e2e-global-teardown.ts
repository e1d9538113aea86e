import type { GlobalServices } from './e2e-global-setup';

export default async function teardown(): Promise<void> {
  const services = (globalThis as { __ceServices?: GlobalServices }).__ceServices;
  // The first project's teardown stops everything; later ones find the list empty.
  const stops = (services?.stops.splice(0) ?? []).reverse();
  for (const stop of stops) {
    await stop().catch((error: Error) => console.error(`test teardown: ${error.message}`));
  }
}
