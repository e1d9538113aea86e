#!/usr/bin/env bash
# Compiles the TypeScript tree into dist/ and rewrites the path aliases to relative imports.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p tsconfig.build.json
npx tsc-alias -p tsconfig.build.json
