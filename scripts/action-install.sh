#!/usr/bin/env bash
# The GitHub Action's install step: archreview from the action's own
# checkout into a virtual environment of its own (no clash with the
# project's packages, and no "externally managed" system Python refusing
# pip). Prints where its Python is, for the steps after it.
#
#   scripts/action-install.sh SOURCE_DIR VENV_DIR
set -euo pipefail

source_dir=${1:?usage: action-install.sh SOURCE_DIR VENV_DIR}
venv=${2:?usage: action-install.sh SOURCE_DIR VENV_DIR}
python=${ARCHREVIEW_BASE_PYTHON:-python3}

"$python" -m venv "$venv"
if [ -x "$venv/bin/python" ]; then bin="$venv/bin"; else bin="$venv/Scripts"; fi
"$bin/python" -m pip install --quiet --disable-pip-version-check "$source_dir"
"$bin/python" -m archreview --version

if [ -n "${GITHUB_PATH:-}" ]; then echo "$bin" >> "$GITHUB_PATH"; fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "python=$bin/python" >> "$GITHUB_OUTPUT"; fi
