#!/bin/bash
# Runs mxc's pytest suite (test/py) with the GPU as default device on the H100 device
# machine (the `run` tool): Python 3.12 there, no network, at most 64 MiB of working
# tree per call. So this script packs a self-contained CPython 3.11 with everything
# `pytest test/py` imports into xz pieces under .h100/ (git-ignored through
# .git/info/exclude), each `run` call carries one piece and appends it to /tmp/kit on
# the device (/tmp outlives calls while the machine stays warm: ~30 s idle, so make
# the calls back to back), and the last call reassembles, unpacks and runs pytest.
#
# What the bundle holds (kit/ inside kit.tar.xz):
#   py/bin/python3.11, py/lib/libpython3.11.so.1.0, py/lib/python3.11: the venv's
#     base interpreter (pyenv 3.11.7 here; the .venv's extensions are built for it),
#     stdlib pruned (no test/, idlelib, tkinter, turtledemo, ensurepip, lib2to3,
#     config-3.11-*, site-packages, __pycache__).
#   py/lib/python3.11/site-packages: from .venv: mxc's compiled part (_mxc, _mxrt,
#     libmxc_cpu_runtime, bin/mxc-opt, bin/mxc-run, dialects/_array_ops_gen.py; read
#     under `flock /work/build.lock`), mlir (Python files, _mlir_libs/*.so,
#     lib/libMLIR.so for mxc-opt), llvm/lib/libLLVM.so (the three big libraries
#     `strip --strip-unneeded`: .dynsym is kept), numpy(+.libs), ml_dtypes,
#     mlx(+mlx_cpu.libs), pytest, _pytest, pluggy, iniconfig, packaging, pygments,
#     hypothesis, sortedcontainers, safetensors, gguf (+yaml, tqdm, requests and its
#     deps), typing_extensions, with their .dist-info (pytest plugins are entry
#     points), plus pytest-xdist and execnet from wheels (pip download, cp311, pure
#     Python; cached in .h100/wheels). Not included: jax/jaxlib (380 MB), torch (754
#     MB), scipy/sklearn: tests that import them fail or skip there.
#   mxc_src/: snapshot of python/frontend/mxc taken with the compiled part (used
#     with H100_KIT_MXC_SRC=bundle; default: the repo copy's python/frontend/mxc, as
#     the editable install does).
#   syslib/: libomp.so.5, libspirv-cross-c-shared.so.0 and the interpreter's
#     non-glibc libraries (libffi, libssl/libcrypto, libexpat, libz, liblzma, libbz2,
#     libuuid, ...); on the device only those ldconfig does not know are used.
#   bin/spirv-val (for test_gpu's spirv-val test), debs/ (.gl's Vulkan loader debs,
#     dpkg -x'd to / when ldconfig has no libvulkan.so.1), MANIFEST (git HEAD,
#     git status, sha256 of the compiled part).
#
# Here (no device time):
#   bash bench/h100_pytest_kit.sh build        # -> .h100/p1 .. .h100/pN (~55 MiB each)
#   bash bench/h100_pytest_kit.sh delta        # -> .h100/delta (~1.4 MiB): see below
#   bash bench/h100_pytest_kit.sh selftest     # unpack into /tmp and run a few GPU tests
#                                              # on lavapipe in `env -i` (no .venv paths)
# On the device, one `run` call per piece, back to back (N = number of pieces):
#   run(carry=[".h100/p1"], command="bash bench/h100_pytest_kit.sh append .h100/p1")
#   ... same for p2 .. p(N-1) ...
#   run(carry=[".h100/pN"], timeout_s=600,
#       command="bash bench/h100_pytest_kit.sh append .h100/pN && bash bench/h100_pytest_kit.sh run")
# `append` also prints the device's GPU, driver, Python, ld and loader facts on p1;
# `run` checks the pieces' sha256, unpacks to /tmp/kit/x, installs the Vulkan loader if
# missing, and runs (in env -i, from the repo copy):
#   MXC_DEFAULT_DEVICE=gpu MXC_TEST_DEVICES=gpu python3.11 -m pytest test/py
#     -p no:cacheprovider -n $H100_PYTEST_WORKERS(14) --continue-on-collection-errors
#     -rfEs --durations=30 --junitxml=$OUT/junit.xml  [extra args of `run`]
# under `timeout -s INT $H100_PYTEST_TIMEOUT` (default 540 s) so junit.xml and the log
# ($OUT/log.txt) come back even when the suite is cut short; $OUT/preflight.txt has the
# GPU, driver, bundled libraries used and a one-op GPU check.
# Knobs for `run`: H100_PYTEST_WORKERS (14; 0 = no xdist), H100_PYTEST_TIMEOUT (540),
# H100_PYTEST_PATHS ("test/py"; space-separated), H100_KIT_MXC_SRC (repo|bundle),
# MXC_DEFAULT_DEVICE / MXC_TEST_DEVICES (gpu), MXC_VULKAN_DEVICE, VK_DRIVER_FILES;
# extra arguments go to pytest (e.g. -k EXPR --tb=line). A warm machine keeps
# /tmp/kit, so a second `run` call needs no pieces (it unpacks once).
#
# Delta (after rebuilding mxc, without repacking the 566 MiB bundle): only mxc's
# compiled part goes stale in the pieces (the Python sources come from the repo copy
# that travels with each call), so
#   bash bench/h100_pytest_kit.sh delta
# packs the .venv's current compiled part (everything in site-packages/mxc but
# __pycache__: _mxc/_mxrt .so, libmxc_cpu_runtime.so, bin/mxc-opt, bin/mxc-run,
# dialects/_array_ops_gen.py; read under `flock /work/build.lock`), a fresh mxc_src/
# snapshot and MANIFEST.delta (git HEAD, status, sha256s) into .h100/delta/delta.tar.xz,
# with DELTA_SHA256SUMS naming it and the base bundle (kit.tar.xz's sha256) it goes on.
# It also refuses if the compiled part needs a library the bundle was not built to
# carry. `build` deletes .h100/delta (a new bundle holds the current compiled part).
# The delta is small, so it travels with the last piece:
#   run(carry=[".h100/pN", ".h100/delta"], timeout_s=600, command="bash
#       bench/h100_pytest_kit.sh append .h100/pN .h100/delta && bash bench/h100_pytest_kit.sh run")
# `run` (and `unpack`) then checks the delta's sha256 and base, deletes the bundle's
# site-packages/mxc and mxc_src/ and unpacks the delta in their place; a marker keeps a
# warm machine from applying the same delta twice, and a newer delta (another `append`
# of .h100/delta) replaces the older one. preflight.txt shows MANIFEST.delta's head.
# On a warm machine that still has /tmp/kit, a new delta needs only:
#   run(carry=[".h100/delta"], command="bash bench/h100_pytest_kit.sh append .h100/delta
#       && bash bench/h100_pytest_kit.sh run")
# Measured 2026-11-27 (bench/h100-pytest-results-2026-11-27.txt): build ~9 min here
# (xz on 2 cores), 3 pieces (55+55+7 MiB, ~117 MiB from 566 MiB), full GPU-half
# suite 88 s with -n 14 on the H100; about 115 s of device time for all 4 calls.
# Delta, same day (81f07ac): 1.4 MiB, ~5 s of CPU here; p1, p2, p3+delta+run = 3 calls,
# suite 86 s, ~90 s of device time counted (plus a 23 s rerun of the failures).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MODE=${1:-help}
shift || true
KIT=${H100_KIT_DIR:-/tmp/kit}          # device: pieces + unpacked kit
PIECE_SIZE=${H100_KIT_PIECE_SIZE:-55M}

build() {
  local venv=$ROOT/.venv sp dest stage base py
  sp=$venv/lib/python3.11/site-packages
  dest=$ROOT/.h100
  py=$venv/bin/python
  base=$("$py" -c 'import sys; print(sys.base_prefix)')
  stage=$(mktemp -d /tmp/h100kit.XXXXXX)
  local k=$stage/kit
  local psite=$k/py/lib/python3.11/site-packages
  mkdir -p "$k/py/bin" "$k/py/lib" "$psite" "$k/syslib" "$k/bin" "$k/debs"
  grep -qx '/.h100/' "$ROOT/.git/info/exclude" || echo '/.h100/' >>"$ROOT/.git/info/exclude"

  echo "== interpreter from $base"
  cp -L "$base/bin/python3.11" "$k/py/bin/python3.11"
  cp -L "$base/lib/libpython3.11.so.1.0" "$k/py/lib/"
  (cd "$base/lib/python3.11" && tar -c \
      --exclude=./test --exclude=./idlelib --exclude=./tkinter --exclude=./turtledemo \
      --exclude=./ensurepip --exclude=./lib2to3 --exclude=./site-packages \
      --exclude='./config-3.11-*' --exclude=__pycache__ --exclude='*.pyc' \
      --exclude='./lib-dynload/_tkinter*' --exclude=./unittest/test \
      --exclude=./ctypes/test --exclude=./distutils/tests --exclude=./sqlite3/test \
      --exclude=./tkinter --exclude=./idle_test .) | tar -x -C "$k/py/lib/python3.11"
  mkdir -p "$psite"

  echo "== mxc compiled part (under flock /work/build.lock)"
  mkdir -p "$psite/mxc" "$k/mxc_src"
  flock /work/build.lock bash -c '
    set -e
    sp=$1; psite=$2; k=$3; root=$4
    (cd "$sp/mxc" && tar -c --exclude=__pycache__ .) | tar -x -C "$psite/mxc"
    (cd "$root/python/frontend/mxc" && tar -c --exclude=__pycache__ .) | tar -x -C "$k/mxc_src"
    {
      echo "built: $(date -u +%FT%TZ)"
      echo "git HEAD: $(git -C "$root" rev-parse HEAD)"
      echo "git status --short:"; git -C "$root" status --short
      echo "compiled part:"; (cd "$sp/mxc" && find . -type f ! -path "*__pycache__*" | sort | xargs sha256sum)
    } >"$k/MANIFEST"
  ' _ "$sp" "$psite" "$k" "$ROOT"

  echo "== site-packages"
  local pkgs=(numpy numpy.libs ml_dtypes mlx mlx_cpu.libs pytest _pytest py.py pluggy
              iniconfig packaging pygments hypothesis _hypothesis_ftz_detector.py
              _hypothesis_globals.py _hypothesis_pytestplugin.py sortedcontainers
              safetensors gguf yaml _yaml tqdm requests urllib3 idna certifi
              charset_normalizer typing_extensions.py)
  local dists=(numpy ml_dtypes mlx mlx_cpu pytest pluggy iniconfig packaging pygments
               hypothesis sortedcontainers safetensors gguf pyyaml tqdm requests urllib3
               idna certifi charset_normalizer typing_extensions)
  local p d
  for p in "${pkgs[@]}"; do
    [ -e "$sp/$p" ] || { echo "missing in .venv: $p" >&2; exit 1; }
  done
  for d in "${dists[@]}"; do
    ls -d "$sp/$d"-*.dist-info >/dev/null || { echo "no dist-info: $d" >&2; exit 1; }
  done
  (cd "$sp" && tar -c --exclude=__pycache__ --exclude='*.pyc' "${pkgs[@]}" \
      $(for d in "${dists[@]}"; do ls -d "$d"-*.dist-info; done)) | tar -x -C "$psite"
  # mlir: Python files and extension modules, not headers/static libraries/tools.
  (cd "$sp" && tar -c --exclude=__pycache__ --exclude='*.pyc' \
      --exclude=mlir/include --exclude=mlir/lib --exclude=mlir/bin --exclude=mlir/src \
      --exclude=mlir/_mlir_libs/include --exclude=mlir/_mlir_libs/libMLIRPythonCAPI.so \
      mlir) | tar -x -C "$psite"
  mkdir -p "$psite/mlir/lib" "$psite/llvm/lib"
  strip --strip-unneeded -o "$psite/mlir/_mlir_libs/libMLIRPythonCAPI.so" \
      "$sp/mlir/_mlir_libs/libMLIRPythonCAPI.so"
  strip --strip-unneeded -o "$psite/mlir/lib/libMLIR.so" "$sp/mlir/lib/libMLIR.so"
  strip --strip-unneeded -o "$psite/llvm/lib/libLLVM.so" "$sp/llvm/lib/libLLVM.so"
  # pytest-xdist + execnet (pure Python wheels), kept in .h100/wheels.
  mkdir -p "$dest/wheels"
  if ! ls "$dest"/wheels/pytest_xdist-*.whl "$dest"/wheels/execnet-*.whl >/dev/null 2>&1; then
    "$py" -m pip download -q --no-deps --only-binary=:all: --python-version 3.11 \
        -d "$dest/wheels" pytest-xdist execnet
  fi
  for w in "$dest"/wheels/*.whl; do
    "$py" -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
        "$w" "$psite"
  done

  echo "== system libraries"
  local so lib
  for so in "$k"/py/bin/python3.11 "$k"/py/lib/python3.11/lib-dynload/*.so \
            "$psite"/mxc/*.so /usr/lib/llvm-14/lib/libomp.so.5; do
    ldd "$so" 2>/dev/null | awk '/=> \//{print $3}'
  done | sort -u | while read -r lib; do
    case "$(basename "$lib")" in
      libc.so*|libm.so*|libpthread*|libdl.so*|librt.so*|libutil*|ld-linux*|libstdc++*|libgcc_s*) ;;
      libpython*|libLLVM.so|libMLIR*|libvulkan*) ;;
      libX*|libxcb*|libtk*|libtcl*|libfontconfig*|libfreetype*|libpng*|libbrotli*) ;;
      *) cp -L "$lib" "$k/syslib/$(basename "$lib")" ;;
    esac
  done
  cp -L /usr/lib/llvm-14/lib/libomp.so.5 "$k/syslib/"
  cp -L "$(ldconfig -p | awk '/libspirv-cross-c-shared.so.0 /{p=$NF} END{print p}')" \
      "$k/syslib/libspirv-cross-c-shared.so.0"
  cp -L "$(command -v spirv-val)" "$k/bin/"
  if ls "$ROOT"/.gl/*.deb >/dev/null 2>&1; then
    cp "$ROOT"/.gl/*.deb "$k/debs/"
  else
    (cd "$k/debs" && apt-get download libvulkan1)
  fi
  ls "$k/syslib"
  du -sh "$k" "$psite"/* 2>/dev/null | sort -h | tail -8

  echo "== pack (xz -T2) and split into $PIECE_SIZE pieces"
  rm -rf "$dest"/p[0-9]* "$dest/delta"
  (cd "$stage" && tar -c kit | nice xz -T2 -6 >"$stage/kit.tar.xz")
  (cd "$stage" && split -b "$PIECE_SIZE" -d -a 2 kit.tar.xz kit.tar.xz.part)
  local n=0 part
  (cd "$stage" && sha256sum kit.tar.xz.part* kit.tar.xz >SHA256SUMS)
  for part in "$stage"/kit.tar.xz.part*; do
    n=$((n + 1))
    mkdir -p "$dest/p$n"
    mv "$part" "$dest/p$n/"
    cp "$stage/SHA256SUMS" "$dest/p$n/"
  done
  rm -rf "$stage"
  local tree
  tree=$(git -C "$ROOT" ls-files -z --cached --others --exclude-standard |
         (cd "$ROOT" && xargs -0 du -cb 2>/dev/null) | awk 'END{print $1}')
  echo "pieces: $n; tracked + untracked-not-ignored tree: $((tree / 1024)) KiB"
  du -sh "$dest"/p*
  echo "run calls: carry .h100/pK; command: bash bench/h100_pytest_kit.sh append .h100/pK"
  echo "last (p$n): bash bench/h100_pytest_kit.sh append .h100/p$n && bash bench/h100_pytest_kit.sh run"
}

# Libraries the bundle's syslib/ holds or the device must have: a compiled part that
# needs anything else cannot go in a delta (rebuild the bundle).
DELTA_LIBS_OK='^(libc\.so|libm\.so|libpthread|libdl\.so|librt\.so|libutil|ld-linux|libstdc\+\+|libgcc_s|libpython3\.11|libLLVM\.so|libMLIR|libvulkan\.so|libspirv-cross-c-shared\.so\.0|libomp\.so\.5|libz\.so)'

delta() {
  local venv=$ROOT/.venv sp dest stage
  sp=$venv/lib/python3.11/site-packages
  dest=$ROOT/.h100
  [ -f "$dest/p1/SHA256SUMS" ] || { echo "no bundle in $dest (run build first)" >&2; exit 1; }
  local base
  base=$(awk '$2 == "kit.tar.xz" {print $1}' "$dest/p1/SHA256SUMS")
  stage=$(mktemp -d /tmp/h100delta.XXXXXX)
  local k=$stage/kit
  mkdir -p "$k/py/lib/python3.11/site-packages/mxc" "$k/mxc_src"
  echo "== mxc compiled part (under flock /work/build.lock)"
  flock /work/build.lock bash -c '
    set -e
    sp=$1; psite=$2; k=$3; root=$4; base=$5
    (cd "$sp/mxc" && tar -c --exclude=__pycache__ .) | tar -x -C "$psite/mxc"
    (cd "$root/python/frontend/mxc" && tar -c --exclude=__pycache__ .) | tar -x -C "$k/mxc_src"
    {
      echo "delta built: $(date -u +%FT%TZ)"
      echo "git HEAD: $(git -C "$root" rev-parse HEAD)"
      echo "base bundle kit.tar.xz sha256: $base"
      echo "git status --short:"; git -C "$root" status --short
      echo "compiled part:"; (cd "$sp/mxc" && find . -type f ! -path "*__pycache__*" | sort | xargs sha256sum)
    } >"$k/MANIFEST.delta"
  ' _ "$sp" "$k/py/lib/python3.11/site-packages" "$k" "$ROOT" "$base"
  local f lib bad=0
  for f in "$k"/py/lib/python3.11/site-packages/mxc/*.so "$k"/py/lib/python3.11/site-packages/mxc/bin/*; do
    for lib in $(readelf -d "$f" 2>/dev/null | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p'); do
      grep -qE "$DELTA_LIBS_OK" <<<"$lib" ||
        { echo "$(basename "$f") needs $lib, which the bundle may lack: rebuild it" >&2; bad=1; }
    done
  done
  [ "$bad" = 0 ] || { rm -rf "$stage"; exit 1; }
  (cd "$stage" && tar -c kit | nice xz -T2 -6 >"$stage/delta.tar.xz")
  rm -rf "$dest/delta"
  mkdir -p "$dest/delta"
  mv "$stage/delta.tar.xz" "$dest/delta/"
  {
    (cd "$dest/delta" && sha256sum delta.tar.xz)
    echo "$base  kit.tar.xz"
  } >"$dest/delta/DELTA_SHA256SUMS"
  sed -n '1,3p' "$k/MANIFEST.delta"
  rm -rf "$stage"
  du -sh "$dest/delta"
  local n
  n=$(ls -d "$dest"/p[0-9]* | wc -l)
  echo "last call: carry .h100/p$n and .h100/delta; command:"
  echo "  bash bench/h100_pytest_kit.sh append .h100/p$n .h100/delta && bash bench/h100_pytest_kit.sh run"
}

append() {
  [ $# -gt 0 ] || { echo "append: which piece directories?" >&2; exit 2; }
  local dir
  for dir in "$@"; do append_one "$dir"; done
  echo "pieces on device:"; ls -la "$KIT/pieces"
}

append_one() {
  local dir=$1
  mkdir -p "$KIT/pieces"
  if [ -f "$dir/delta.tar.xz" ]; then
    cp "$dir/delta.tar.xz" "$dir/DELTA_SHA256SUMS" "$KIT/pieces/"
    return
  fi
  if [ "$(basename "$dir")" = p1 ]; then
    echo "== device facts"
    nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>&1 || true
    uname -r; nproc; df -h /tmp | tail -1
    python3 --version 2>&1 || true
    command -v xz ld dpkg 2>&1 || true
    ldconfig -p >"$KIT/ldconfig.txt" || true
    grep -E 'libvulkan.so.1|libffi.so.8|libssl.so.3|libexpat.so.1|libz.so.1 |liblzma|libbz2|libomp|libspirv' "$KIT/ldconfig.txt" || true
    ls /usr/local/nvidia/share/vulkan/icd.d /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>/dev/null || true
  fi
  cp "$dir"/kit.tar.xz.part* "$dir/SHA256SUMS" "$KIT/pieces/"
}

unpack() {
  # $KIT/pieces/* -> $KIT/x/kit (once).
  local x=$KIT/x
  if [ ! -x "$x/kit/py/bin/python3.11" ]; then
    (cd "$KIT/pieces" && grep part SHA256SUMS | sha256sum -c --quiet) ||
      { echo "pieces missing or corrupt: $(ls "$KIT/pieces" 2>&1)" >&2; exit 3; }
    mkdir -p "$x"
    if command -v xz >/dev/null; then
      cat "$KIT"/pieces/kit.tar.xz.part* | xz -dc -T0 | tar -x -C "$x"
    else
      cat "$KIT"/pieces/kit.tar.xz.part* >"$KIT/kit.tar.xz"
      python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' \
          "$KIT/kit.tar.xz" "$x"
      rm -f "$KIT/kit.tar.xz"
    fi
  fi
  apply_delta "$x/kit" >&2
  echo "$x/kit"
}

apply_delta() {
  # $KIT/pieces/delta.tar.xz (if any) over the unpacked kit $1, once per delta.
  local k=$1 p=$KIT/pieces sum base
  [ -f "$p/delta.tar.xz" ] || return 0
  (cd "$p" && grep ' delta.tar.xz$' DELTA_SHA256SUMS | sha256sum -c --quiet) ||
    { echo "delta missing or corrupt: $(ls "$p" 2>&1)" >&2; exit 3; }
  base=$(awk '$2 == "kit.tar.xz" {print $1}' "$p/DELTA_SHA256SUMS")
  grep -q "^$base  kit.tar.xz$" "$p/SHA256SUMS" ||
    { echo "delta was built for another bundle (kit.tar.xz $base)" >&2; exit 3; }
  sum=$(awk '$2 == "delta.tar.xz" {print $1}' "$p/DELTA_SHA256SUMS")
  [ "$(cat "$k/.delta_applied" 2>/dev/null)" = "$sum" ] && return 0
  echo "applying delta $sum"
  rm -rf "$k/py/lib/python3.11/site-packages/mxc" "$k/mxc_src" "$k/MANIFEST.delta"
  if command -v xz >/dev/null; then
    xz -dc "$p/delta.tar.xz" | tar -x -C "$(dirname "$k")"
  else
    python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' \
        "$p/delta.tar.xz" "$(dirname "$k")"
  fi
  echo "$sum" >"$k/.delta_applied"
}

run() {
  local k site so pyt
  k=$(unpack)
  site=$k/py/lib/python3.11/site-packages
  # Vulkan loader (TOOLCHAIN.md: dpkg -x the debs to /, ldconfig; root only).
  local ldc
  ldc=$(ldconfig -p)
  if ! grep -q 'libvulkan.so.1 ' <<<"$ldc"; then
    for d in "$k"/debs/*.deb; do dpkg -x "$d" /; done
    ldconfig
    ldc=$(ldconfig -p)
  fi
  local vk=""
  if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ] &&
     ! ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json >/dev/null 2>&1; then
    vk=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  fi
  vk=${VK_DRIVER_FILES:-$vk}
  # System libraries: only those this machine's ldconfig lacks.
  mkdir -p "$k/lib"
  for so in "$k"/syslib/*; do
    grep -q "^\s*$(basename "$so") " <<<"$ldc" || cp -n "$so" "$k/lib/"
  done
  local out=${OUT:-$KIT/out}
  mkdir -p "$out" "$KIT/tmp" "$KIT/cache"
  {
    nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || true
    echo "bundled system libraries used: $(ls "$k/lib" | tr '\n' ' ')"
    echo "VK_DRIVER_FILES: ${vk:-unset}"
    sed -n '1,2p' "$k/MANIFEST"
    if [ -f "$k/MANIFEST.delta" ]; then sed -n '1,3p' "$k/MANIFEST.delta"; fi
  } | tee "$out/preflight.txt"
  # mxc's Python part: the repo copy's sources (as the editable install), or the
  # snapshot taken with the compiled part.
  if [ "${H100_KIT_MXC_SRC:-repo}" = bundle ]; then
    cp -r "$k/mxc_src/." "$site/mxc/"
  else
    (cd "$ROOT/python/frontend/mxc" && tar -c --exclude=__pycache__ .) | tar -x -C "$site/mxc"
  fi
  cd "$ROOT"
  local envs=(PATH="$k/bin:/usr/local/bin:/usr/bin:/bin" HOME="$KIT" TMPDIR="$KIT/tmp"
              LANG=C.UTF-8 PYTHONHOME="$k/py" PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
              LD_LIBRARY_PATH="$k/lib:$k/py/lib"
              MXC_DEFAULT_DEVICE="${MXC_DEFAULT_DEVICE:-gpu}"
              MXC_TEST_DEVICES="${MXC_TEST_DEVICES:-gpu}" MXC_CACHE_DIR="$KIT/cache")
  [ -n "$vk" ] && envs+=(VK_DRIVER_FILES="$vk")
  [ -n "${MXC_VULKAN_DEVICE:-}" ] && envs+=(MXC_VULKAN_DEVICE="$MXC_VULKAN_DEVICE")
  pyt="$k/py/bin/python3.11"
  env -i "${envs[@]}" "$pyt" -c '
import sys, mxc, numpy, mlir, mxc.core as mx
from mxc import _gpu
print(sys.version.split()[0], "mxc:", mxc.__file__)
print("gpu:", mx.is_available(mx.gpu), _gpu.unavailable_reason() if not mx.is_available(mx.gpu) else "")
print("default device:", mx.default_device(), mx.sum(mx.arange(10) * 2.0).item())
' 2>&1 | tee -a "$out/preflight.txt" || true
  local workers=${H100_PYTEST_WORKERS:-14} nflag=()
  [ "$workers" != 0 ] && nflag=(-n "$workers")
  local t0=$SECONDS rc=0 paths
  read -r -a paths <<<"${H100_PYTEST_PATHS:-test/py}"
  env -i "${envs[@]}" timeout -k 30 -s INT "${H100_PYTEST_TIMEOUT:-540}" \
      "$pyt" -m pytest "${paths[@]}" -p no:cacheprovider "${nflag[@]}" \
      --continue-on-collection-errors -rfEs --durations=30 \
      --junitxml="$out/junit.xml" "$@" 2>&1 | tee "$out/log.txt" || rc=$?
  echo "pytest exit $rc, wall $((SECONDS - t0)) s" | tee -a "$out/log.txt"
  return 0
}

selftest() {
  # Unpacks .h100's pieces into a temp dir and runs the bundle in env -i on this
  # machine (lavapipe): a copy of the repo's tracked files, a few GPU tests.
  local t repo
  t=$(mktemp -d /tmp/h100self.XXXXXX)
  mkdir -p "$t/kit/pieces" "$t/repo"
  cp "$ROOT"/.h100/p*/kit.tar.xz.part* "$ROOT/.h100/p1/SHA256SUMS" "$t/kit/pieces/"
  if [ -f "$ROOT/.h100/delta/delta.tar.xz" ]; then
    cp "$ROOT"/.h100/delta/{delta.tar.xz,DELTA_SHA256SUMS} "$t/kit/pieces/"
  fi
  (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | tar -c --null -T -) |
      tar -x -C "$t/repo"
  local k
  k=$(H100_KIT_DIR=$t/kit bash "$ROOT/bench/h100_pytest_kit.sh" unpack)
  echo "kit: $k"
  env -i PATH=/usr/bin:/bin HOME=/tmp PYTHONHOME="$k/py" LD_LIBRARY_PATH="$k/syslib:$k/py/lib" \
      "$k/py/bin/python3.11" -c '
import sys, mxc, numpy, mlir, mlx.core, pytest, xdist
print(sys.path); print(mxc.__file__, numpy.__file__, mlir.__file__)
bad = [m.__file__ for m in list(sys.modules.values())
       if getattr(m, "__file__", None) and (m.__file__.startswith("/work/") or m.__file__.startswith("/usr/lib/python") or ".pyenv" in m.__file__)]
print("modules from outside the bundle:", bad)
'
  OUT=$t/out H100_KIT_DIR=$t/kit H100_PYTEST_WORKERS=${H100_PYTEST_WORKERS:-2} \
      H100_PYTEST_PATHS=${H100_SELFTEST_PATHS:-test/py/test_ops_reduce.py} \
      bash "$t/repo/bench/h100_pytest_kit.sh" run "$@"
  echo "selftest dir: $t (rm -rf it when done)"
}

case "$MODE" in
  build) build ;;
  delta) delta ;;
  append) append "$@" ;;
  unpack) unpack ;;
  run) run "$@" ;;
  selftest) selftest "$@" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2 ;;
esac
