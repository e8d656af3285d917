# caseload — plain Makefile.  `make` builds, `make run` opens the demo,
# `make check` runs every test (under ASan/UBSan), `make bench` measures.

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc
# The longest idle lock a user's config may ask for, in minutes (the lock
# cannot be turned off; see caseload(1), idle_lock_minutes).
IDLE_LOCK_MAX ?= 60
PKGS     = ncursesw formw panelw sqlite3 libical yaml-0.1 icu-uc icu-i18n libsodium

# (without the feature macros some .pc files repeat: CPPFLAGS sets them)
PKG_CFLAGS := $(filter-out -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600,$(shell pkg-config --cflags $(PKGS) 2>/dev/null))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# libcsv (Debian's libcsv-dev: RFC 4180, the roster's reader) has no .pc file
PKG_LIBS   += -lcsv
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)
# libpq: its header for src/store/drv_pg.c, which loads the library when a
# PostgreSQL database is opened; linked only into the unit tests (their
# fixture makes and drops test databases).
PKG_CFLAGS += $(shell pkg-config --cflags libpq 2>/dev/null)
PQ_LIBS    := $(shell pkg-config --libs libpq 2>/dev/null)

VERSION := 0.1.0
# Warnings: the usual set, plus what catches real mistakes in this code
# without noise (-Wformat=2: format strings; -Wcast-qual and -Wwrite-strings:
# a borrowed const string written through; -Wvla; -Wconversion: silent
# narrowing).  Left out: -Wjump-misses-init (every `goto fail` cleanup
# trips it, and the sanitizers catch a real use of an unset value) and
# -Wpadded/-Wtraditional-conversion (they describe, they do not find).
# WERROR=1 turns warnings into errors (CI builds with it).
WARN    = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wformat=2 -Wvla -Wnull-dereference -Wundef -Wpointer-arith \
          -Wimplicit-fallthrough -Wduplicated-cond -Wlogical-op -Wold-style-definition \
          -Wredundant-decls -Wcast-qual -Wwrite-strings -Wconversion
ifeq ($(WERROR),1)
WARN    += -Werror
endif
CPPFLAGS += -Iinclude -D_XOPEN_SOURCE=600 -D_DEFAULT_SOURCE \
            -DCASELOAD_VERSION='"$(VERSION)"' -DCASELOAD_DATADIR='"$(PREFIX)/share/caseload"' \
            -DCASELOAD_IDLE_LOCK_MAX=$(IDLE_LOCK_MAX)
CFLAGS  ?= -O2 -g
SAN      = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined

LIB_SRC  := $(sort $(wildcard src/core/*.c src/store/*.c src/services/*.c src/cli/*.c src/tui/*.c))
LIB_SRC  := $(filter-out src/cli/main.c,$(LIB_SRC))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
SAN_OBJ  := $(LIB_SRC:%.c=$(BUILD)/san/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/san/tests/%)
UNIT_FIX := $(BUILD)/san/tests/unit/fixture.o

# keep the unit tests' objects (they are intermediate files to make)
.SECONDARY: $(UNIT_SRC:tests/unit/%.c=$(BUILD)/san/tests/unit/%.o) $(UNIT_FIX)

# Fuzzing (fuzz/README.md): a harness per reader of outside data,
# fuzz/fuzz_NAME.c.  `make fuzz` builds each with clang's libFuzzer and
# runs it FUZZ_SECONDS; `make check` links each with $(CC), the SAN flags
# and fuzz/replay.c, and replays fuzz/corpus/NAME and fuzz/crashes/NAME.
FUZZ_NAMES   := $(sort $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c)))
FUZZ_COMMON  := fuzz/harness.c
FUZZ_SRC     := $(sort $(wildcard fuzz/*.c))
FUZZ_REPLAY  := $(FUZZ_NAMES:%=$(BUILD)/san/fuzz/replay_%)
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_MERGE   ?= 0
FUZZ_SAN      = $(SAN) -fsanitize=fuzzer-no-link
FUZZ_OBJ     := $(LIB_SRC:%.c=$(BUILD)/fuzz/obj/%.o)
FUZZ_BIN     := $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)
.SECONDARY: $(FUZZ_SRC:%.c=$(BUILD)/san/%.o) $(FUZZ_SRC:%.c=$(BUILD)/fuzz/obj/%.o)

BIN      = $(BUILD)/caseload
SAN_BIN  = $(BUILD)/san/caseload
SCHEMA_WANT = $(BUILD)/gen/schema_want.o   # (below)

.PHONY: all run check bench bench-quick bench-tools deps deps-test install uninstall clean lint compdb tidy fuzz
all: $(BIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(WARN) $(CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(WARN) $(SAN) -MMD -MP -c $< -o $@

$(BUILD)/libcaseload.a: $(LIB_OBJ)
	$(AR) rcs $@ $^
$(BUILD)/san/libcaseload.a: $(SAN_OBJ)
	$(AR) rcs $@ $^

$(BIN): $(BUILD)/obj/src/cli/main.o $(SCHEMA_WANT) $(BUILD)/libcaseload.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm
$(SAN_BIN): $(BUILD)/san/src/cli/main.o $(SCHEMA_WANT) $(BUILD)/san/libcaseload.a
	$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm
# The schema the migrations make, found once here (store.h,
# store_schema_want) instead of at every open of a database: data only,
# the same object in both programs.
$(BUILD)/gen/schema_want_tool: tools/schema_want.c $(BUILD)/libcaseload.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm
$(BUILD)/gen/schema_want.c: $(BUILD)/gen/schema_want_tool
	$< >$@.tmp && mv $@.tmp $@
$(SCHEMA_WANT): $(BUILD)/gen/schema_want.c
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -c $< -o $@
$(BUILD)/san/tests/%: $(BUILD)/san/tests/unit/%.o $(UNIT_FIX) $(BUILD)/san/libcaseload.a
	@mkdir -p $(dir $@)
	$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(PKG_LIBS) $(PQ_LIBS) -lm

# the harnesses as make check replays them: $(CC), the SAN flags, replay.c
$(BUILD)/san/fuzz/replay_%: $(BUILD)/san/fuzz/fuzz_%.o $(FUZZ_COMMON:%.c=$(BUILD)/san/%.o) \
                            $(BUILD)/san/fuzz/replay.o $(BUILD)/san/libcaseload.a
	$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm
# and as make fuzz runs them: everything built again with clang for libFuzzer
# (without warnings: the builds above check the same files with $(WARN))
$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(PKG_CFLAGS) -std=c11 -w $(FUZZ_SAN) -MMD -MP -c $< -o $@
$(BUILD)/fuzz/libcaseload.a: $(FUZZ_OBJ)
	$(AR) rcs $@ $^
$(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz/obj/fuzz/fuzz_%.o $(FUZZ_COMMON:%.c=$(BUILD)/fuzz/obj/%.o) \
                      $(BUILD)/fuzz/libcaseload.a
	$(FUZZ_CC) $(SAN) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# The data directory is compiled in: rebuild what uses it when PREFIX changes.
DATADIR_STAMP := $(BUILD)/prefix$(subst /,_,$(PREFIX)).stamp
$(DATADIR_STAMP):
	@mkdir -p $(BUILD) && rm -f $(BUILD)/prefix*.stamp && touch $@
$(BUILD)/obj/src/services/template.o $(BUILD)/san/src/services/template.o \
  $(BUILD)/fuzz/obj/src/services/template.o: $(DATADIR_STAMP)
# So is the idle lock's maximum.
IDLE_STAMP := $(BUILD)/idle-lock-max-$(IDLE_LOCK_MAX).stamp
$(IDLE_STAMP):
	@mkdir -p $(BUILD) && rm -f $(BUILD)/idle-lock-max-*.stamp && touch $@
$(foreach d,obj san fuzz/obj,$(BUILD)/$(d)/src/core/config.o $(BUILD)/$(d)/src/tui/tui.o): $(IDLE_STAMP)

-include $(LIB_OBJ:.o=.d) $(SAN_OBJ:.o=.d) $(BUILD)/obj/src/cli/main.d $(BUILD)/san/src/cli/main.d \
         $(UNIT_SRC:tests/unit/%.c=$(BUILD)/san/tests/unit/%.d) $(UNIT_FIX:.o=.d) \
         $(FUZZ_SRC:%.c=$(BUILD)/san/%.d) $(FUZZ_OBJ:.o=.d) $(FUZZ_SRC:%.c=$(BUILD)/fuzz/obj/%.d)

deps:
	@scripts/deps.sh
deps-test:
	@scripts/deps.sh --test

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run-demo.sh $(BIN) demo.db

# make check builds with a job per core (at least 2) unless given -j
CHECK_JOBS = $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -ge 2 ] && echo $$n || echo 2)
check: deps-test
	@$(MAKE) --no-print-directory $(if $(filter -j%,$(MAKEFLAGS)),,-j$(CHECK_JOBS)) \
	  lint $(BIN) $(SAN_BIN) $(UNIT_BIN) $(FUZZ_REPLAY)
	@BUILD=$(BUILD) scripts/run-tests.sh

# Run each fuzz harness FUZZ_SECONDS (one at a time, one core); new
# crashes land in fuzz/crashes/NAME, new corpus entries in $(BUILD)/fuzz/
# corpus/NAME (FUZZ_MERGE=1: the ones that add coverage into fuzz/corpus).
# Everything it builds is under $(BUILD), which `make clean` removes.
fuzz:
	@command -v $(FUZZ_CC) >/dev/null || { echo 'fuzz: $(FUZZ_CC) is not installed (make deps-test)'; exit 1; }
	@$(MAKE) --no-print-directory $(FUZZ_BIN)
	@BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_MERGE=$(FUZZ_MERGE) scripts/fuzz.sh $(FUZZ_NAMES)

# The benchmark (README, "Benchmarks"): bench/cpu measures a command's CPU
# time and peak memory, bench/ical_parse is libical's bare parse to compare
# the import with.
BENCH_TOOLS = $(BUILD)/bench/cpu $(BUILD)/bench/ical_parse
$(BUILD)/bench/cpu: bench/cpu.c
	@mkdir -p $(dir $@)
	$(CC) -D_DEFAULT_SOURCE $(WARN) -O2 -o $@ $<
$(BUILD)/bench/ical_parse: bench/ical_parse.c
	@mkdir -p $(dir $@)
	$(CC) -D_DEFAULT_SOURCE $(WARN) -O2 $(shell pkg-config --cflags libical) -o $@ $< $(shell pkg-config --libs libical)
bench-tools: $(BENCH_TOOLS)
bench: deps
	@$(MAKE) --no-print-directory all bench-tools
	@BUILD=$(BUILD) scripts/bench.sh
bench-quick: deps
	@$(MAKE) --no-print-directory all bench-tools
	@BUILD=$(BUILD) BENCH_QUICK=1 scripts/bench.sh

# One vocabulary (issue 17 §5): the length of a day, weekday and month
# names live in the date module; sets of status codes are model.h's
# predicates in C and store_internal.h's SQL_ fragments in SQL.
LINT_SRC    = $(sort $(wildcard src/*/*.c src/*/*.h include/caseload/*.h))
LINT_DATE   = src/core/date.c include/caseload/date.h
STATUS_CODES = booked|proposed|pending|arrived|fulfilled|cancelled|noshow|entered-in-error|checked-in|waitlist|requested|in-progress|on-hold|completed|failed|draft|revoked|routine|urgent|asap|stat|needed|arranged|confirmed

# Layering (DESIGN §2): only the store speaks SQL, only the TUI draws,
# only the iCalendar code (and core time zones) use libical, only the YAML
# loader uses libyaml, only folding (and the iCalendar zones, the handout's dates) use ICU.
# Each check prints the offending lines.
lint:
	@! grep -n '<sqlite3.h>' $$(ls src/*/*.c include/caseload/*.h | grep -v '^src/store/') || { echo 'lint: sqlite3 outside src/store'; exit 1; }
	@! grep -n 'curses.h>\|<form.h>\|<panel.h>' $$(ls src/*/*.c include/caseload/*.h | grep -v '^src/tui/') || { echo 'lint: curses outside src/tui'; exit 1; }
	@! grep -n '<libical/' $$(ls src/*/*.c include/caseload/*.h | grep -v '^src/services/ical\|^src/services/recur\|^src/core/tz.c') || { echo 'lint: libical outside ical/recur/tz'; exit 1; }
	@! grep -n '<yaml.h>' $$(ls src/*/*.c include/caseload/*.h | grep -v '^src/core/yamldoc.c') || { echo 'lint: yaml.h outside the YAML loader'; exit 1; }
	@! grep -n '<csv.h>' $$(ls src/*/*.c include/caseload/*.h | grep -v '^src/core/csv.c') || { echo 'lint: csv.h outside the CSV reader'; exit 1; }
	@! grep -n '<unicode/' $$(ls src/*/*.c include/caseload/*.h | grep -v '^src/core/fold.c\|^src/services/ical_zones.c\|^src/services/handout.c') || { echo 'lint: ICU outside fold, ical_zones and handout (its dates)'; exit 1; }
	@! grep -n '\bexit *(' src/core/*.c src/store/*.c src/services/*.c || { echo 'lint: exit() below the front ends'; exit 1; }
	@! grep -n '8640[0-9]\|86399' $(filter-out $(LINT_DATE),$(LINT_SRC)) || { echo 'lint: seconds of a day outside date.h (DAY_SECONDS, date_of_utc, date_utc_midnight, tz_local_midnight)'; exit 1; }
	@! grep -nE 'str(case)?cmp *\([^;]*"($(STATUS_CODES))"|str(case)?cmp *\([^;]*(status|priority|transport|risk)[^;]*"|str(case)?cmp *\("[^"]*", *[^;]*(status|priority|transport|risk)' $(filter-out src/core/model.c,$(LINT_SRC)) || { echo 'lint: a status compared as a string outside model.c (use its predicates)'; exit 1; }
	@! grep -niE '"(sun|mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?)(day)?"|"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(tember)?|oct(ober)?|nov(ember)?|dec(ember)?)"' $(filter-out $(LINT_DATE),$(LINT_SRC)) || { echo 'lint: weekday or month names outside date.c (date_weekday_abbr, date_month_abbr)'; exit 1; }
	@! grep -n "'requested','in-progress'\|'cancelled','entered-in-error'\|'call','visit','message'" $(filter-out src/store/store_internal.h,$(LINT_SRC)) || { echo 'lint: a set of codes spelled out in SQL (use store_internal.h SQL_ fragments)'; exit 1; }

# compile_commands.json for editors and clang-tidy: one entry per source,
# with the flags this Makefile uses.
compdb: compile_commands.json
compile_commands.json: export COMPDB_CMD = $(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(WARN) $(CFLAGS)
compile_commands.json: Makefile $(LIB_SRC) src/cli/main.c tools/schema_want.c $(UNIT_SRC) $(FUZZ_SRC)
	@scripts/compdb.sh $(LIB_SRC) src/cli/main.c tools/schema_want.c $(UNIT_SRC) $(FUZZ_SRC) >$@.tmp && mv $@.tmp $@

# clang-tidy with the checks in .clang-tidy (each one says why it is there);
# any finding fails.  CI runs it beside `make check`.  Nearly all of its
# time is the static analyzer's, about the size of the file: a file at a
# time, the largest first, so that the last to end is a short one.
tidy: compile_commands.json
	@command -v clang-tidy >/dev/null || { echo 'tidy: clang-tidy is not installed (make deps-test)'; exit 1; }
	@ls -S $(LIB_SRC) src/cli/main.c tools/schema_want.c $(FUZZ_SRC) | xargs -P$$(nproc) -n1 clang-tidy -p . --quiet --extra-arg=-Wno-unknown-warning-option 2>&1 | \
	  grep -v '^[0-9]* warnings\? generated\.$$' | tee $(BUILD)/tidy.log; \
	  ! grep -q 'warning:\|error:' $(BUILD)/tidy.log

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/caseload/templates \
	  $(DESTDIR)$(PREFIX)/share/caseload/rules
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/caseload
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	for f in man/*.5; do [ -e "$$f" ] && install -m 644 $$f $(DESTDIR)$(PREFIX)/share/man/man5/ || true; done
	for f in data/templates/*.yaml; do [ -e "$$f" ] && install -m 644 $$f $(DESTDIR)$(PREFIX)/share/caseload/templates/ || true; done
	install -m 644 data/rules/*.yaml $(DESTDIR)$(PREFIX)/share/caseload/rules/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/caseload
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/share/man/man1/,$(notdir $(wildcard man/*.1)))
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/share/man/man5/,$(notdir $(wildcard man/*.5)))
	rm -rf $(DESTDIR)$(PREFIX)/share/caseload

clean:
	rm -rf $(BUILD) compile_commands.json
