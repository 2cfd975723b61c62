# The two commands a newcomer runs (see README.md):
#   make demo   - install dependencies, build, build an example firmware image, scan it
#   make test   - install dependencies, build (warnings are errors), run the whole test suite,
#                 then build with AddressSanitizer + UBSan and run the suite again
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell echo $$(( $$(nproc) + 1 )))
CMAKE_GEN  := -G Ninja
# ccache (installed by scripts/setup.sh) makes rebuilds of a fresh clone cheap; paths are hashed
# relative to the checkout so two clones share the cache.
CCACHE     := $(shell command -v ccache 2>/dev/null)
ifneq ($(CCACHE),)
CMAKE_GEN  += -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true
endif
EXAMPLE    := $(BUILD)/example/router-armhf.img
SHARED     ?= $(or $(WAYBILL_SHARED),../shared)
VULN       := $(SHARED)/data/vuln
DEMO_DB    := $(BUILD)/example/vuln.db

.PHONY: all setup build build-asan demo test test-fast test-asan bench fuzz format clean

all: build

setup:
	bash scripts/setup.sh

build:
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWAYBILL_WERROR=ON
	cmake --build $(BUILD) -j $(JOBS)

build-asan:
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWAYBILL_SANITIZE=ON \
	  -DWAYBILL_WERROR=ON -DWAYBILL_BENCH=OFF
	cmake --build $(ASAN_BUILD) -j $(JOBS)

demo: setup build
	bash scripts/make-example-firmware.sh -a armhf -o $(EXAMPLE)
	@if [ -d "$(VULN)" ]; then \
	  ./$(BUILD)/waybill db --db $(DEMO_DB) import $(VULN)/nvd $(VULN)/cve5 $(VULN)/osv \
	    $(VULN)/kev/known_exploited_vulnerabilities.json.xz $(VULN)/epss; \
	else echo "demo: $(VULN) not found; scanning without a vulnerability database"; fi
	./$(BUILD)/waybill scan $(EXAMPLE) --db $(DEMO_DB) --policy examples/policy.yaml -o table \
	  -o html=$(BUILD)/example/router-armhf.html \
	  -o sarif=$(BUILD)/example/router-armhf.sarif \
	  -o cyclonedx-json=$(BUILD)/example/router-armhf.cdx.json \
	  -o spdx-json=$(BUILD)/example/router-armhf.spdx.json || [ $$? -eq 1 ]
	@echo "Report: $(BUILD)/example/router-armhf.html (open it in a browser)"
	@echo "Also: $(BUILD)/example/router-armhf.{sarif,cdx.json,spdx.json}; the policy verdict is the exit code (1 = violations)"

# Runs the suite in the normal build, then in the sanitizer build; the last line is ctest's.
test: setup build build-asan
	cd $(BUILD) && ctest --output-on-failure -j 2
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j 2

# Without set-up and without the sanitizer pass (for quick local iterations).
test-fast: build
	cd $(BUILD) && ctest --output-on-failure -j 2

test-asan: build-asan
	cd $(ASAN_BUILD) && ctest --output-on-failure -j 2

bench: build
	bash bench/run.sh

fuzz:
	CC=clang CXX=clang++ cmake -S . -B build-fuzz $(CMAKE_GEN) -DWAYBILL_FUZZ=ON \
	  -DWAYBILL_TESTS=OFF -DWAYBILL_BENCH=OFF
	cmake --build build-fuzz -j $(JOBS)

format:
	find src tests bench fuzz -name '*.cpp' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
