#!/bin/sh
# Assembles what the GPU machine (the H100: no network, no mxc Python) needs into
# one folder, default bench/results/gpu_kit (git-ignored):
#   mxc-run (built by `make install`/pip: build/<tag>/mxc-run), gpu_programs/
#   (bench/gpu_programs.py, generated if absent), gpu_torch_peer.py, gpu_run_all.sh,
#   and with --debs the Vulkan loader packages TOOLCHAIN.md lists (apt-get download).
#     sh bench/gpu_kit.sh [--debs] [DEST]
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEBS=0
if [ "$1" = "--debs" ]; then DEBS=1; shift; fi
DEST=${1:-$ROOT/bench/results/gpu_kit}
BIN=$(ls "$ROOT"/build/*/mxc-run 2>/dev/null | head -1)
[ -n "$BIN" ] || { echo "mxc-run is not built: run make install" >&2; exit 1; }
PY=${PYTHON:-$ROOT/.venv/bin/python}
[ -f "$ROOT/bench/gpu_programs/matmul_8192.mxcp" ] || "$PY" "$ROOT/bench/gpu_programs.py"
mkdir -p "$DEST"
cp "$BIN" "$DEST/mxc-run"
rm -rf "$DEST/gpu_programs"
cp -r "$ROOT/bench/gpu_programs" "$DEST/gpu_programs"
cp "$ROOT/bench/gpu_torch_peer.py" "$ROOT/bench/gpu_run_all.sh" "$DEST/"
if [ $DEBS = 1 ]; then
  mkdir -p "$DEST/debs"
  (cd "$DEST/debs" && apt-get download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
fi
du -sh "$DEST"
echo "kit ready: $DEST (on the GPU machine: sh gpu_run_all.sh inside it)"
