#!/bin/sh
# Assembles what the GPU machine (the H100: no network, no mxc Python) needs into
# one folder, default bench/results/gpu_kit (git-ignored):
#   mxc-run (built by `make install`/pip: build/<tag>/mxc-run), gpu_programs/
#   (bench/gpu_programs.py, generated if absent), gpu_torch_peer.py, gpu_run_all.sh,
#   with --suite the correctness suite gpu_suite/ (bench/gpu_suite.py, regenerated
#   each time into bench/gpu_suite, ~10 s; its log in bench/results/gpu_suite.log),
#   and with --debs the Vulkan
#   loader packages TOOLCHAIN.md lists (apt-get download).
#     sh bench/gpu_kit.sh [--debs] [--suite] [DEST]
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEBS=0
SUITE=0
while :; do
  case "$1" in
    --debs) DEBS=1; shift ;;
    --suite) SUITE=1; shift ;;
    *) break ;;
  esac
done
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
rm -rf "$DEST/gpu_suite"
if [ $SUITE = 1 ]; then
  rm -rf "$ROOT/bench/gpu_suite"
  mkdir -p "$ROOT/bench/results"
  "$PY" "$ROOT/bench/gpu_suite.py" >"$ROOT/bench/results/gpu_suite.log"
  cp -r "$ROOT/bench/gpu_suite" "$DEST/gpu_suite"
  echo "suite: $(ls "$DEST"/gpu_suite/*.mxcp | wc -l) programs"
fi
if [ $DEBS = 1 ]; then
  mkdir -p "$DEST/debs"
  (cd "$DEST/debs" && apt-get download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
fi
du -sh "$DEST"
echo "kit ready: $DEST (on the GPU machine: sh gpu_run_all.sh inside it; --suite: the suite only)"
