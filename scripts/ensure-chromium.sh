#!/usr/bin/env bash
# The browser tests drive Debian's Chromium with playwright-core; no browser is ever downloaded.
# Installs the `chromium` package when /usr/bin/chromium is missing, and fails loudly when it
# cannot. `npm test` runs this first (pretest); .ci/run too.
set -euo pipefail

chromium=/usr/bin/chromium
[ -x "$chromium" ] && exit 0

echo "== $chromium is missing: installing Debian's chromium package" >&2
if ! command -v apt-get >/dev/null; then
  echo "error: $chromium is missing and apt-get is not available; install Chromium there by hand." >&2
  exit 1
fi
run_as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "error: $chromium is missing; run as root: apt-get update && apt-get install -y chromium" >&2
    exit 1
  fi
  run_as_root=(sudo -n)
fi
# Through env, since sudo drops the caller's environment.
if ! "${run_as_root[@]}" apt-get update || ! "${run_as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; then
  echo "error: installing chromium failed; the browser tests cannot run without $chromium." >&2
  exit 1
fi
if [ ! -x "$chromium" ]; then
  echo "error: the chromium package was installed but $chromium is still missing." >&2
  exit 1
fi
