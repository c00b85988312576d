#!/bin/sh
# Runs every saved program with mxc-run, then the PyTorch peer, then the correctness
# suite (gpu_suite/, bench/gpu_suite.py), on this machine.
# Run inside the folder bench/gpu_kit.sh assembled:
#   sh gpu_run_all.sh [--bench | --suite] [REPEAT]
# --bench: the benchmark programs and the torch peer only; --suite: the suite only
# (each program once, checked against its sidecar; one log per program in
# suite_logs/, then the line "suite: N passed, M failed"). Default: both.
# If the Vulkan loader is missing and debs/ is there, it is unpacked to / first
# (TOOLCHAIN.md: dpkg -x + ldconfig; needs root). Output also goes to results.txt
# (suite_results.txt with --suite). Exit status 1 if anything failed.
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH=1
SUITE=1
case "$1" in
  --bench) SUITE=0; shift ;;
  --suite) BENCH=0; shift ;;
esac
REPEAT=${1:-20}
RESULTS=results.txt
[ $BENCH = 0 ] && RESULTS=suite_results.txt
cd "$HERE"
if ! ldconfig -p 2>/dev/null | grep -q libvulkan.so.1; then
  if [ -d debs ]; then
    for d in debs/*.deb; do dpkg -x "$d" /; done
    ldconfig
  else
    echo "no libvulkan.so.1 and no debs/: install libvulkan1" >&2
  fi
fi

run_suite() {
  pass=0
  fail=0
  failed=""
  mkdir -p suite_logs
  for p in gpu_suite/*.mxcp; do
    [ -f "$p" ] || continue
    n=$(basename "$p" .mxcp)
    if ./mxc-run "$p" --repeat 1 --warmup 0 >"suite_logs/$n.txt" 2>&1; then
      pass=$((pass + 1))
    else
      rc=$?
      fail=$((fail + 1))
      failed="$failed $n"
      echo "FAILED: $n (rc $rc)"
      grep -E "MISMATCH|^check:|^mxc-run:" "suite_logs/$n.txt" | head -6
    fi
  done
  [ -n "$failed" ] && echo "suite failures:$failed"
  echo "suite: $pass passed, $fail failed"
  [ $fail = 0 ] && [ $pass -gt 0 ]
}

status=0
{
  nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,clocks.max.mem --format=csv 2>/dev/null
  if [ $BENCH = 1 ]; then
    for p in copy_2p24 ew_2p24 copy_2p26 ew_2p26 matmul_2048 matmul_4096 matmul_8192; do
      echo "=== $p"
      ./mxc-run "gpu_programs/$p.mxcp" --repeat "$REPEAT" --warmup 3 || { echo "FAILED: $p (rc $?)"; status=1; }
    done
    echo "=== torch"
    python3 gpu_torch_peer.py --repeat "$REPEAT"
  fi
  if [ $SUITE = 1 ]; then
    if [ -d gpu_suite ]; then
      echo "=== suite ($(ls gpu_suite/*.mxcp 2>/dev/null | wc -l) programs)"
      run_suite || status=1
    else
      echo "=== suite: no gpu_suite/ here (bench/gpu_kit.sh --suite assembles it)"
      [ $BENCH = 0 ] && status=1
    fi
  fi
  echo "=== exit status $status"
  echo $status >.status
} 2>&1 | tee "$RESULTS"
status=$(cat .status 2>/dev/null || echo 1)
rm -f .status
exit "$status"
