import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BinaryPathError, findTemporalCli, findTemporalTestServer } from '../../../apps/launcher/src/binaries';

describe('finding the Temporal binaries', () => {
  let root: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-binaries-'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** A folder under the temp root holding the given executables (or plain files). */
  const folder = (name: string, files: Record<string, string> = {}, mode = 0o755): string => {
    const dir = path.join(root, name);
    fs.mkdirSync(dir, { recursive: true });
    for (const [file, content] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, file), content, { mode });
    }
    return dir;
  };
  const script = '#!/bin/sh\nexit 0\n';
  /** A fake `python3` that reports `scriptsDir` as its scripts folder. */
  const fakePython = (scriptsDir: string) => `#!/bin/sh\necho "${scriptsDir}"\n`;
  const pathOf = (...dirs: string[]) => dirs.join(path.delimiter);

  it('uses TEMPORAL_CLI_PATH before anything on PATH', () => {
    const explicit = path.join(folder('explicit', { 'my-temporal': script }), 'my-temporal');
    const onPath = folder('bin', { temporal: script });

    expect(findTemporalCli({ TEMPORAL_CLI_PATH: explicit, PATH: onPath })).toBe(explicit);
  });

  it('reports a TEMPORAL_CLI_PATH that is missing or not executable instead of quietly looking elsewhere', () => {
    const onPath = folder('bin', { temporal: script });
    const notExecutable = path.join(folder('plain', { temporal: script }, 0o644), 'temporal');

    expect(() => findTemporalCli({ TEMPORAL_CLI_PATH: path.join(root, 'nope'), PATH: onPath })).toThrow(BinaryPathError);
    expect(() => findTemporalCli({ TEMPORAL_CLI_PATH: notExecutable, PATH: onPath })).toThrow(/TEMPORAL_CLI_PATH/);
    expect(() => findTemporalCli({ TEMPORAL_CLI_PATH: onPath, PATH: onPath })).toThrow(/not an executable file/);
  });

  it('treats a blank TEMPORAL_CLI_PATH as unset', () => {
    const onPath = folder('bin', { temporal: script });

    expect(findTemporalCli({ TEMPORAL_CLI_PATH: '  ', PATH: onPath })).toBe(path.join(onPath, 'temporal'));
  });

  it('takes the first executable match in PATH order, skipping files that are not executable', () => {
    const plain = folder('plain', { temporal: script }, 0o644);
    const first = folder('first', { temporal: script });
    const second = folder('second', { temporal: script });

    expect(findTemporalCli({ PATH: pathOf(plain, first, second) })).toBe(path.join(first, 'temporal'));
  });

  it("falls back to Python's scripts folder when PATH has no temporal", () => {
    const scripts = folder('python-scripts', { temporal: script });
    const python = folder('python', { python3: fakePython(scripts) });

    expect(findTemporalCli({ PATH: python })).toBe(path.join(scripts, 'temporal'));
  });

  it("prefers PATH to Python's scripts folder", () => {
    const scripts = folder('python-scripts', { temporal: script });
    const bin = folder('bin', { temporal: script, python3: fakePython(scripts) });

    expect(findTemporalCli({ PATH: bin })).toBe(path.join(bin, 'temporal'));
  });

  it('returns null when the binary is nowhere, and when there is no python3 at all', () => {
    const empty = folder('empty');
    const scripts = folder('python-scripts');
    const python = folder('python', { python3: fakePython(scripts) });

    expect(findTemporalCli({ PATH: empty })).toBeNull();
    expect(findTemporalCli({ PATH: python })).toBeNull();
  });

  it('finds temporal-test-server the same way, through TEMPORAL_TEST_SERVER_PATH, PATH and Python', () => {
    const explicit = path.join(folder('explicit', { 'test-server': script }), 'test-server');
    const bin = folder('bin', { 'temporal-test-server': script, temporal: script });
    const scripts = folder('python-scripts', { 'temporal-test-server': script });
    const python = folder('python', { python3: fakePython(scripts) });

    expect(findTemporalTestServer({ TEMPORAL_TEST_SERVER_PATH: explicit, PATH: bin })).toBe(explicit);
    expect(findTemporalTestServer({ PATH: pathOf(python, bin) })).toBe(path.join(bin, 'temporal-test-server'));
    expect(findTemporalTestServer({ PATH: python })).toBe(path.join(scripts, 'temporal-test-server'));
    expect(() => findTemporalTestServer({ TEMPORAL_TEST_SERVER_PATH: path.join(root, 'nope') })).toThrow(
      /TEMPORAL_TEST_SERVER_PATH/,
    );
  });
});
