#!/usr/bin/env bash
# Set up the course (first run only) and open it in JupyterLab on the start page.
# Usage: bash start-course.sh              English edition (notebooks/00-start-here.ipynb)
#        bash start-course.sh --lang de    German edition (notebooks/de/00-start-here.ipynb); so does TEACHKIT_LANG=de
#        (Windows: see "Windows" in README.md)
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
lang=${TEACHKIT_LANG:-en}
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --lang) lang=${2:-}; shift 2 || { echo "--lang needs a language: en or de" >&2; exit 2; } ;;
    --lang=*) lang=${1#--lang=}; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
case "$lang" in
  en*) start=notebooks/00-start-here.ipynb; lang=en ;;
  de*) start=notebooks/de/00-start-here.ipynb; lang=de ;;
  *) echo "Unknown language '$lang': choose en or de." >&2; exit 2 ;;
esac
if [ ! -f "$start" ] && [ "$lang" = en ] && [ -f notebooks/de/00-start-here.ipynb ]; then
  start=notebooks/de/00-start-here.ipynb; lang=de   # a German-only bundle (release --lang de)
fi
if [ ! -f "$start" ]; then
  echo "$start is missing; the German edition is built with: python -m teachkit translate build" >&2
  exit 1
fi
if [ ! -x .venv/bin/jupyter ]; then
  echo "Setting up the course in .venv (first run only, about a minute)…"
  "$PY" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.txt
fi
extra=()
if [ "$(id -u)" = "0" ]; then extra+=(--allow-root); fi   # e.g. in a container
export TEACHKIT_LANG=$lang
exec .venv/bin/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir="$PWD" "${extra[@]}" "$start" ${args[@]+"${args[@]}"}
