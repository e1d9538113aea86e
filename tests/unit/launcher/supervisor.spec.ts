import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Supervisor } from '../../../apps/launcher/src/supervisor';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the supervisor', () => {
  let root: string;
  const script = (name: string, source: string): string => {
    const file = path.join(root, name);
    fs.writeFileSync(file, source);
    return file;
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-supervisor-'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('stops children first, kills one that ignores SIGTERM after the grace period, then stops services in reverse order', async () => {
    const stopped: string[] = [];
    const unexpected = jest.fn();
    const supervisor = new Supervisor({ log: () => undefined, onUnexpectedExit: unexpected, stopGraceMs: 500 });
    supervisor.addService('database', { stop: async () => void stopped.push('database') });
    supervisor.addService('temporal', { stop: async () => void stopped.push('temporal') });
    const ready = path.join(root, 'stubborn-ready');
    const polite = supervisor.spawnNode('polite', script('polite.js', 'setInterval(() => {}, 1000);'), process.env);
    const stubborn = supervisor.spawnNode(
      'stubborn',
      script(
        'stubborn.js',
        `process.on('SIGTERM', () => {}); require('fs').writeFileSync(${JSON.stringify(ready)}, ''); setInterval(() => {}, 1000);`,
      ),
      process.env,
    );
    while (!fs.existsSync(ready)) await new Promise((resolve) => setTimeout(resolve, 20));

    await supervisor.stopAll();

    expect(polite.signalCode).toBe('SIGTERM');
    expect(stubborn.signalCode).toBe('SIGKILL');
    expect(isAlive(polite.pid!)).toBe(false);
    expect(isAlive(stubborn.pid!)).toBe(false);
    expect(stopped).toEqual(['temporal', 'database']);
    expect(unexpected).not.toHaveBeenCalled();
  });

  it('reports a child that exits on its own, with its exit code', async () => {
    const exits: [string, number | null][] = [];
    const supervisor = new Supervisor({
      log: () => undefined,
      onUnexpectedExit: (name, code) => exits.push([name, code]),
    });
    const child = supervisor.spawnNode('API', script('crash.js', 'process.exit(7);'), process.env);
    await new Promise((resolve) => child.once('exit', resolve));

    expect(exits).toEqual([['API', 7]]);
    await supervisor.stopAll();
  });

  it('passes the environment it is given to the child', async () => {
    const out = path.join(root, 'env.txt');
    const supervisor = new Supervisor({ log: () => undefined, onUnexpectedExit: () => undefined });
    const child = supervisor.spawnNode(
      'worker',
      script('env.js', `require('fs').writeFileSync(${JSON.stringify(out)}, process.env.DATABASE_URL);`),
      { ...process.env, DATABASE_URL: 'postgres://example/db' },
    );
    await new Promise((resolve) => child.once('exit', resolve));

    expect(fs.readFileSync(out, 'utf8')).toBe('postgres://example/db');
  });
});
