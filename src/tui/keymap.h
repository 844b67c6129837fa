/*
 * keymap.h: from key codes to actions, with the defaults of actions.h
 * and overrides from `git config revq.key.<action>` ("a", "A", "Enter",
 * "Space", "C-x", "F5", "PgDn", several separated by spaces).
 */
#ifndef REVQ_TUI_KEYMAP_H
#define REVQ_TUI_KEYMAP_H

#include <curses.h>

#include "actions.h"
#include "git/settings.h"
#include "base/strbuf.h"
#include "base/strvec.h"

#define KEYMAP_KEYS 3
#define KEYMAP_SIZE (KEY_MAX + 1)

struct keymap {
	enum action by_key[KEYMAP_SIZE];
	int keys[ACTION_MAX][KEYMAP_KEYS];   /* for the help screen */
};

/* Defaults, then overrides; bad override values are reported in warnings. */
void keymap_init(struct keymap *km, const struct settings *settings, struct strvec *warnings);
enum action keymap_lookup(const struct keymap *km, int key);

const char *action_name(enum action a);
const char *action_help(enum action a);
enum action action_by_name(const char *name);

/* Parses a key name; -1 when it is not one. */
int keymap_parse_key(const char *name);
/* Appends a readable name for key ("j", "Enter", "C-f", "PgDn"). */
void keymap_key_name(struct strbuf *out, int key);
/* Appends the keys of an action, e.g. "j, Down". */
void keymap_describe(struct strbuf *out, const struct keymap *km, enum action a);

#endif
