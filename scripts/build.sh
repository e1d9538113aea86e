#!/usr/bin/env bash
# Compiles the TypeScript tree into dist/ and rewrites the path aliases to relative imports.
set -euo pipefail
cd "$(dirname "$0")/.."
# From scratch: a file deleted or renamed in the tree (a migration, say) must not live on in dist/.
rm -rf dist
npx tsc -p tsconfig.build.json
npx tsc-alias -p tsconfig.build.json
# The dashboard's page, script and style sheet are served from next to its compiled controller.
cp -R apps/api/src/dashboard/assets dist/apps/api/src/dashboard/
