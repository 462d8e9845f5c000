#!/usr/bin/env bash
# Install everything the test suite needs, then run it. Used by the README and CI.
#   bash tests/run.sh            # the whole suite
#   bash tests/run.sh -k store   # extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's Chromium drives the browser tests (Playwright cannot download one here).
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
export MPLBACKEND=Agg

# Lint first (ruff, pinned in the test extra; rules in pyproject.toml): a finding fails
# the run as a failing test does.
.venv/bin/ruff check tappedin_widgets tests benchmarks

# JupyterHub's proxy, for the hub test (tests/test_deploy_hub.py); node and npm are needed.
command -v configurable-http-proxy >/dev/null 2>&1 || npm install -g -s configurable-http-proxy

# axe-core for the accessibility tests (tests/browser/test_a11y.py), at the version in
# tests/browser/node/package-lock.json; a second run finds it installed and skips this.
[ -f tests/browser/node/node_modules/axe-core/axe.min.js ] ||
  npm ci --prefix tests/browser/node --no-audit --no-fund -s

# A throwaway PostgreSQL on 127.0.0.1: the store, analysis, exchange and cohort
# suites run against it as well as against SQLite.
source tests/pg.sh
trap pg_stop EXIT
pg_start
.venv/bin/python -m pytest "$@"
