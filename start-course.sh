#!/usr/bin/env bash
# Set up the course (first run only) and open it in JupyterLab on the start page.
# Usage: bash start-course.sh        (Windows: see "Windows" in README.md)
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/jupyter ]; then
  echo "Setting up the course in .venv (first run only, about a minute)…"
  "$PY" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.txt
fi
extra=()
if [ "$(id -u)" = "0" ]; then extra+=(--allow-root); fi   # e.g. in a container
exec .venv/bin/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir="$PWD" "${extra[@]}" notebooks/00-start-here.ipynb "$@"
