import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../../apps/launcher/src/embedded-postgres';
import { findFreePort } from '../../../apps/launcher/src/ports';
import { requireWithNode } from './node-require.helper';

// Jest cannot require() these on Node 20 (ES module) / must share Node's instance with it.
jest.mock('embedded-postgres', () => requireWithNode('embedded-postgres'));
jest.mock('async-exit-hook', () => requireWithNode('async-exit-hook'));

async function query<T extends Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('embedded PostgreSQL', () => {
  let root: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-embedded-pg-'));
    // As root the server runs as the "postgres" user, which must be able to enter this folder.
    fs.chmodSync(root, 0o755);
  });
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('initialises a fresh data folder, serves queries, and keeps its data across a restart', async () => {
    const dataDir = path.join(root, 'restart', 'pgdata');
    const port = await findFreePort();

    const first = await startEmbeddedPostgres({ dataDir, port, database: 'launcher_test' });
    expect(first.url).toBe(`postgres://postgres:postgres@127.0.0.1:${port}/launcher_test`);
    try {
      expect(await query(first.url, 'select 1 as one')).toEqual([{ one: 1 }]);
      await query(first.url, 'create table kept (id int primary key); insert into kept values (42)');
    } finally {
      await first.stop();
    }
    expect(first.pid).not.toBeNull();
    expect(isAlive(first.pid!)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);

    // A killed run leaves postmaster.pid behind with a pid that no longer exists.
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    fs.writeFileSync(path.join(dataDir, 'postmaster.pid'), `${deadPid}\n${dataDir}\n`);

    const second = await startEmbeddedPostgres({ dataDir, port, database: 'launcher_test' });
    try {
      expect(await query(second.url, 'select id from kept')).toEqual([{ id: 42 }]);
    } finally {
      await second.stop();
    }
    expect(isAlive(second.pid!)).toBe(false);

    // After a reboot the old pid may belong to some other process; PostgreSQL would refuse to start.
    const other = spawn('sleep', ['30']);
    try {
      fs.writeFileSync(path.join(dataDir, 'postmaster.pid'), `${other.pid}\n${dataDir}\n`);
      const third = await startEmbeddedPostgres({ dataDir, port, database: 'launcher_test' });
      try {
        expect(await query(third.url, 'select count(*)::int as n from kept')).toEqual([{ n: 1 }]);
      } finally {
        await third.stop();
      }
    } finally {
      other.kill('SIGKILL');
    }
  }, 120_000);

  it('refuses a port that is taken, naming the port and the settings that fix it', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(
        startEmbeddedPostgres({ dataDir: path.join(root, 'busy'), port, database: 'launcher_test' }),
      ).rejects.toThrow(new RegExp(`Port ${port} is already in use.*EMBEDDED_PG_PORT.*DATABASE_URL`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    expect(fs.existsSync(path.join(root, 'busy'))).toBe(false);
  });

  it('will not initialise over a folder that holds something else', async () => {
    const dataDir = path.join(root, 'not-postgres');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'notes.txt'), 'mine');

    await expect(
      startEmbeddedPostgres({ dataDir, port: await findFreePort(), database: 'launcher_test' }),
    ).rejects.toThrow(/not a PostgreSQL data folder/);
    expect(fs.readFileSync(path.join(dataDir, 'notes.txt'), 'utf8')).toBe('mine');
  });
});
