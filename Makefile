# The two commands of the README:
#   make export   installs what is missing, builds minusma (release) and writes the exports into Output/
#   make test     installs the test tools and runs every test
# Both run on a fresh Debian 12 machine. As root they install Debian packages with apt-get;
# otherwise they print the one command to run and stop.

SWIFT        ?= swift
BUILD_DIR    := .build
RELEASE_BIN  := $(BUILD_DIR)/release/minusma
TOOLS_DIR    := $(BUILD_DIR)/test-tools
KML_SCHEMA   := $(TOOLS_DIR)/pykml/schemas/ogckml22.xsd
# The committed video's options (VideoCommandTests checks Output/ against them).
VIDEO_OPTIONS := --video Output/minusma-withdrawal.mp4 --step week --fps 4

# Build and run: PROJ, its database, SQLite, shapelib, libxlsxwriter, pkg-config (SwiftPM finds the C libraries
# with it), and Leaflet, which `minusma web` inlines into its page at build time.
BUILD_PACKAGES := libproj-dev proj-data libsqlite3-dev libshp-dev libxlsxwriter-dev zlib1g-dev pkg-config libjs-leaflet
# Readers the tests check our files with: ogrinfo, cs2cs/geod, xmllint, sqlite3, GDAL's
# GeoPackage validator, rsvg-convert (with the font the map names), and QGIS 3.22's Python API
# for the project check (about 900 MB, 2 minutes to install), ffmpeg/ffprobe for the videos.
TEST_PACKAGES  := gdal-bin proj-bin libxml2-utils sqlite3 python3-gdal librsvg2-bin fonts-dejavu-core python3-qgis qgis-providers \
                  libreoffice-calc-nogui chromium ffmpeg python3-pil
# Python readers for the spreadsheet and KML checks (each test records an issue when one is missing).
PYTHON_TEST_PACKAGES := openpyxl geopandas libhxl frictionless

.PHONY: export test build deps test-deps clean benchmark example fuzz fuzz-ci tsan

export: deps build
	$(RELEASE_BIN) export --out Output --quiet
	$(RELEASE_BIN) qgis-project --out Output
	$(RELEASE_BIN) map --out Output $(if $(shell command -v rsvg-convert),--png,)
	$(RELEASE_BIN) web --out Output
	@# The weekly video (72 frames, about 400 kB); ffmpeg is optional, as the map's PNG is.
	$(if $(and $(shell command -v ffmpeg),$(shell command -v rsvg-convert)),$(RELEASE_BIN) map --out Output $(VIDEO_OPTIONS),@echo "ffmpeg not installed: Output/minusma-withdrawal.mp4 not rewritten")
	@echo "Exports written to Output/ (see README.md for how to open them)."

build:
	$(SWIFT) build -c release --static-swift-stdlib --product minusma

test: deps test-deps
	MINUSMA_KML_SCHEMA=$(CURDIR)/$(KML_SCHEMA) $(SWIFT) test --skip LeakTests
	$(SWIFT) test --filter LeakTests   # alone in its process, so its memory reading is its own
	MINUSMA_BIN=$$($(SWIFT) build --show-bin-path)/minusma /usr/bin/python3 Tests/qgis/check_qgis_project.py
	$(MAKE) example

# Examples/ExportLayer depends on MinusmaKit as another package would, exports its own small layer
# and GDAL reads it back. A versioned dependency may not use unsafeFlags, so none may appear.
EXAMPLE_OUT := $(BUILD_DIR)/example-output
example: deps
	$(call install_missing,gdal-bin)
	@if $(SWIFT) package dump-package | grep -q unsafeFlags; then \
	  echo "Package.swift uses unsafeFlags: MinusmaKit could not be a versioned dependency"; exit 1; fi
	cd Examples/ExportLayer && $(SWIFT) build
	rm -rf $(EXAMPLE_OUT) && mkdir -p $(BUILD_DIR)
	Examples/ExportLayer/.build/debug/export-layer $(EXAMPLE_OUT)
	ogrinfo -ro -so $(EXAMPLE_OUT)/markets.gpkg markets | grep -q "Feature Count: 3"
	ogrinfo -ro -so $(EXAMPLE_OUT)/markets.geojson markets | grep -q "Feature Count: 3"
	ogrinfo -ro -al -so $(EXAMPLE_OUT)/markets.kml | grep -q "Feature Count: 3"
	ogrinfo -ro -q $(EXAMPLE_OUT)/markets.gpkg markets -where "id = 'mkt-2'" | grep -q "name (String) = Grand marché de Ségou"
	ogrinfo -ro -q $(EXAMPLE_OUT)/markets.gpkg markets -where "id = 'mkt-3'" | grep -q "stalls (Integer.*) = (null)"
	@if grep -rqiE "minusma|withdrawal|malian authorities" $(EXAMPLE_OUT); then echo "the example's exports speak of MINUSMA"; exit 1; fi
	@echo "example: MinusmaKit builds as a dependency and its export reads back with GDAL."

# Installs the missing Debian packages (root), or says how to.
define install_missing
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages. Run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi
endef

deps:
	$(call install_missing,$(BUILD_PACKAGES))

# The OGC KML 2.2 schema (with its imports) comes from the PyPI package pykml, unpacked only.
test-deps:
	$(call install_missing,$(TEST_PACKAGES))
	@if [ ! -f $(KML_SCHEMA) ]; then \
	  mkdir -p $(TOOLS_DIR) && \
	  python3 -m pip download --quiet --no-deps --dest $(TOOLS_DIR) pykml==0.2.0 && \
	  python3 -c "import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" $(TOOLS_DIR)/pykml-0.2.0-py3-none-any.whl $(TOOLS_DIR); \
	fi
	@python3 -c "import openpyxl, geopandas, hxl, frictionless" 2>/dev/null || python3 -m pip install --quiet $(PYTHON_TEST_PACKAGES) \
	  || python3 -m pip install --quiet --break-system-packages $(PYTHON_TEST_PACKAGES) \
	  || echo "Could not install $(PYTHON_TEST_PACKAGES) with pip: the tests that need them will say so"

# Performance against ogr2ogr and the C floors (README "Performance"): hyperfine alternates the
# commands, GNU time reads peak memory, gcc builds the C yardsticks; about 25 minutes.
BENCH_PACKAGES := hyperfine time gcc gdal-bin proj-bin python3
benchmark: deps build
	$(call install_missing,$(BENCH_PACKAGES))
	Benchmarks/run.sh

# libFuzzer with AddressSanitizer on each target of Fuzz/ for FUZZ_SECONDS (default 600): seeds
# from Fuzz/corpus/<target>/, new inputs kept in Fuzz/.build/corpus/<target>/, a crashing
# input written to Fuzz/.build/artifacts/ (and the run fails).
FUZZ_SECONDS ?= 600
FUZZ_TARGETS := csv geojson gpkg
# Swift 6.3 instruments only the executable's own module for coverage under --sanitize=fuzzer;
# the library modules (the code under test) need it asked for.
FUZZ_COVERAGE := -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table
fuzz:
	@# One build per product: swift build honours only the last --product it is given.
	@for t in $(FUZZ_TARGETS); do \
	  (cd Fuzz && $(SWIFT) build -c debug --sanitize=fuzzer --sanitize=address $(FUZZ_COVERAGE) --product fuzz-$$t) || exit 1; \
	done
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p Fuzz/.build/corpus/$$t Fuzz/.build/artifacts && \
	  echo "fuzz-$$t: $(FUZZ_SECONDS) s" && \
	  Fuzz/.build/debug/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix=Fuzz/.build/artifacts/$$t- \
	    Fuzz/.build/corpus/$$t Fuzz/corpus/$$t || exit 1; \
	done

# The CI run: one minute per target.
fuzz-ci:
	$(MAKE) fuzz FUZZ_SECONDS=60

# The export tests with ThreadSanitizer: the tests and the minusma they run are both built with
# it (in their own folder), and a race makes the program exit with TSan's status 66, which fails
# the test that ran it.
TSAN_TESTS := ExportCommandTests|GoldenFileTests|UserDataCommandTests|FileSetCommandTests|ExportReadbackTests
tsan: deps test-deps
	TSAN_OPTIONS="exitcode=66 halt_on_error=0" MINUSMA_KML_SCHEMA=$(CURDIR)/$(KML_SCHEMA) \
	  $(SWIFT) test --sanitize=thread --scratch-path .build-tsan --filter "$(TSAN_TESTS)"

clean:
	rm -rf $(BUILD_DIR) .build-tsan Fuzz/.build Examples/*/.build
