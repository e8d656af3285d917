# caseload — plain Makefile.  `make` builds, `make run` opens the demo,
# `make check` runs every test (under ASan/UBSan), `make bench` measures.

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc
PKGS     = ncursesw formw panelw sqlite3 libical yaml-0.1 icu-uc icu-i18n

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

VERSION := 0.1.0
WARN    = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS += -Iinclude -D_XOPEN_SOURCE=600 -D_DEFAULT_SOURCE \
            -DCASELOAD_VERSION='"$(VERSION)"' -DCASELOAD_DATADIR='"$(PREFIX)/share/caseload"'
CFLAGS  ?= -O2 -g
SAN      = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined

LIB_SRC  := $(sort $(wildcard src/core/*.c src/store/*.c src/services/*.c src/cli/*.c src/tui/*.c))
LIB_SRC  := $(filter-out src/cli/main.c,$(LIB_SRC))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
SAN_OBJ  := $(LIB_SRC:%.c=$(BUILD)/san/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/san/tests/%)

# keep the unit tests' objects (they are intermediate files to make)
.SECONDARY: $(UNIT_SRC:tests/unit/%.c=$(BUILD)/san/tests/unit/%.o)

BIN      = $(BUILD)/caseload
SAN_BIN  = $(BUILD)/san/caseload

.PHONY: all run check bench deps deps-test install uninstall clean lint
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

$(BIN): $(BUILD)/obj/src/cli/main.o $(BUILD)/libcaseload.a
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -lm
$(SAN_BIN): $(BUILD)/san/src/cli/main.o $(BUILD)/san/libcaseload.a
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS) -lm
$(BUILD)/san/tests/%: $(BUILD)/san/tests/unit/%.o $(BUILD)/san/libcaseload.a
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $^ $(CMOCKA_LIBS) $(PKG_LIBS) -lm

# The data directory is compiled in: rebuild what uses it when PREFIX changes.
DATADIR_STAMP := $(BUILD)/prefix$(subst /,_,$(PREFIX)).stamp
$(DATADIR_STAMP):
	@mkdir -p $(BUILD) && rm -f $(BUILD)/prefix*.stamp && touch $@
$(BUILD)/obj/src/services/template.o $(BUILD)/san/src/services/template.o: $(DATADIR_STAMP)

-include $(LIB_OBJ:.o=.d) $(SAN_OBJ:.o=.d) $(BUILD)/obj/src/cli/main.d $(BUILD)/san/src/cli/main.d \
         $(UNIT_SRC:tests/unit/%.c=$(BUILD)/san/tests/unit/%.d)

deps:
	@scripts/deps.sh
deps-test:
	@scripts/deps.sh --test

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run-demo.sh $(BIN) demo.db

check: deps-test
	@$(MAKE) --no-print-directory lint $(BIN) $(SAN_BIN) $(UNIT_BIN)
	@BUILD=$(BUILD) scripts/run-tests.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) scripts/bench.sh

# Layering (DESIGN §2): only the store speaks SQL, only the TUI draws,
# only the iCalendar code (and core time zones) use libical, only the YAML
# loader uses libyaml, only folding (and the iCalendar zones) use ICU.
# Each check prints the offending lines.
lint:
	@! grep -n '<sqlite3.h>' $$(ls src/*/*.c include/caseload/*.h | grep -v '^src/store/') || { echo 'lint: sqlite3 outside src/store'; exit 1; }
	@! grep -n 'curses.h>\|<form.h>\|<panel.h>' $$(ls src/*/*.c include/caseload/*.h | grep -v '^src/tui/') || { echo 'lint: curses outside src/tui'; exit 1; }
	@! grep -n '<libical/' $$(ls src/*/*.c include/caseload/*.h | grep -v '^src/services/ical\|^src/services/recur\|^src/core/tz.c') || { echo 'lint: libical outside ical/recur/tz'; exit 1; }
	@! grep -n '<yaml.h>' $$(ls src/*/*.c include/caseload/*.h | grep -v '^src/core/yamldoc.c') || { echo 'lint: yaml.h outside the YAML loader'; exit 1; }
	@! grep -n '<unicode/' $$(ls src/*/*.c include/caseload/*.h | grep -v '^src/core/fold.c\|^src/services/ical_zones.c') || { echo 'lint: ICU outside fold and ical_zones'; exit 1; }
	@! grep -n '\bexit *(' src/core/*.c src/store/*.c src/services/*.c || { echo 'lint: exit() below the front ends'; exit 1; }

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/caseload/templates
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/caseload
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	for f in man/*.5; do [ -e "$$f" ] && install -m 644 $$f $(DESTDIR)$(PREFIX)/share/man/man5/ || true; done
	for f in data/templates/*.yaml; do [ -e "$$f" ] && install -m 644 $$f $(DESTDIR)$(PREFIX)/share/caseload/templates/ || true; done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/caseload
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/share/man/man1/,$(notdir $(wildcard man/*.1)))
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/share/man/man5/,$(notdir $(wildcard man/*.5)))
	rm -rf $(DESTDIR)$(PREFIX)/share/caseload

clean:
	rm -rf $(BUILD)
