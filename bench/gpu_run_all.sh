#!/bin/sh
# Runs every saved program with mxc-run, then the PyTorch peer, on this machine.
# Run inside the folder bench/gpu_kit.sh assembled:  sh gpu_run_all.sh [REPEAT]
# If the Vulkan loader is missing and debs/ is there, it is unpacked to / first
# (TOOLCHAIN.md: dpkg -x + ldconfig; needs root). Output also goes to results.txt.
HERE=$(cd "$(dirname "$0")" && pwd)
REPEAT=${1:-20}
cd "$HERE"
if ! ldconfig -p | grep -q libvulkan.so.1; then
  if [ -d debs ]; then
    for d in debs/*.deb; do dpkg -x "$d" /; done
    ldconfig
  else
    echo "no libvulkan.so.1 and no debs/: install libvulkan1" >&2
  fi
fi
status=0
{
  nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,clocks.max.mem --format=csv 2>/dev/null
  for p in copy_2p24 ew_2p24 copy_2p26 ew_2p26 matmul_2048 matmul_4096 matmul_8192; do
    echo "=== $p"
    ./mxc-run "gpu_programs/$p.mxcp" --repeat "$REPEAT" --warmup 3 || { echo "FAILED: $p (rc $?)"; status=1; }
  done
  echo "=== torch"
  python3 gpu_torch_peer.py --repeat "$REPEAT"
  echo "=== exit status $status"
} 2>&1 | tee results.txt
