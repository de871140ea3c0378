# The README's two commands. Everything else is CMake; this file only strings the
# steps together: install missing Debian packages, configure, build, run.
#   make demo     set-up, then the main job against the embedded dev server
#   make test     set-up, then every ctest label, then the unit and live suites again
#                 under valgrind (a second, unsanitized build in BUILD_DIR-valgrind)
#   make mutants  the mutation harness alone (also part of `make test`, label mutation)
#   make fuzz-long  every libFuzzer target for TENANTQ_FUZZ_LONG_SECONDS (default 1800) each
#   make bench    generated vs hand-written vs JS client, concurrency, every operation
#                 and probe kind, and callgrind instruction counts per search
#                 -> docs/performance.md (BENCH_ARGS, OPS_ARGS)
#   make bench-growth  the probe's growth curves -> docs/performance.md (GROWTH_ARGS)
# Knobs: BUILD_DIR, SANITIZE=ON|OFF, WERROR=ON|OFF, VALGRIND=ON|OFF, JOBS.

BUILD_DIR ?= build
SANITIZE  ?= OFF
WERROR    ?= ON
VALGRIND  ?= ON
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS = -G Ninja -DTENANTQ_SANITIZE=$(SANITIZE) -DTENANTQ_WERROR=$(WERROR)

.PHONY: demo test deps configure build mutants fuzz-long bench bench-growth clean

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	@scripts/npm-deps.sh
	@ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)
	@if [ "$(VALGRIND)" = ON ]; then scripts/valgrind-tests.sh $(BUILD_DIR)-valgrind; fi

mutants: build
	@cmake --build $(BUILD_DIR) --target mutants

fuzz-long: build
	@cmake --build $(BUILD_DIR) --target fuzz-long

bench: build
	@scripts/install-deps.sh bench
	@scripts/npm-deps.sh
	@cmake --build $(BUILD_DIR) --target tenantq-bench
	@$(BUILD_DIR)/bench/tenantq-bench $(BENCH_ARGS) --out docs/performance.md
	@$(BUILD_DIR)/bench/tenantq-bench ops $(OPS_ARGS) --out docs/performance.md
	@bench/profile.sh $(BUILD_DIR) docs/performance.md

bench-growth: build
	@cmake --build $(BUILD_DIR) --target tenantq-bench
	@$(BUILD_DIR)/bench/tenantq-bench growth $(GROWTH_ARGS) --out docs/performance.md \
	  --svg docs/performance-growth.svg

demo: build
	@scripts/demo.sh $(BUILD_DIR)

clean:
	@rm -rf $(BUILD_DIR) $(BUILD_DIR)-valgrind
