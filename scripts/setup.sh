#!/usr/bin/env bash
# Set up reasonscope in ./.venv, then run the main job (the demo) unless --install-only.
#
# On a machine without an NVIDIA GPU, torch is pinned to the CPU build 2.13.0 before anything
# else is installed, so no dependency can pull a multi-GB CUDA build. With a GPU, pip picks the
# default (CUDA) build. Override either way with REASONSCOPE_TORCH="torch==X.Y.Z".
set -euo pipefail
cd "$(dirname "$0")/.."

install_only=0
for arg in "$@"; do
  case "$arg" in
    --install-only) install_only=1 ;;
    *) echo "usage: scripts/setup.sh [--install-only]" >&2; exit 2 ;;
  esac
done

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip

if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
  torch_spec=${REASONSCOPE_TORCH:-torch}
else
  torch_spec=${REASONSCOPE_TORCH:-torch==2.13.0}
fi
.venv/bin/python -m pip install --quiet "$torch_spec"
.venv/bin/python -m pip install --quiet -e ".[all,dev]"
echo "reasonscope installed in .venv ($(.venv/bin/python -c 'import torch; print("torch", torch.__version__)'))"

if [ "$install_only" = 1 ]; then
  exit 0
fi
.venv/bin/reasonscope bench stats
.venv/bin/reasonscope demo --out demo-out
