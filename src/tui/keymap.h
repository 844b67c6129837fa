/*
 * keymap.h: from key codes to actions, with the defaults of actions.h
 * and overrides from `git config revq.key.<action>` ("a", "A", "Enter",
 * "Space", "C-x", "F5", "PgDn", several separated by spaces).  Each
 * action works in some views (actions.h): a key is looked up in the view
 * on top, so `/` filters the queue and searches the diff.
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
	enum action by_key[SCOPES][KEYMAP_SIZE];   /* per view (the bit number of IN_*) */
	int keys[ACTION_MAX][KEYMAP_KEYS];   /* for the help screen */
};

/* Defaults, then overrides; bad override values are reported in warnings. */
void keymap_init(struct keymap *km, const struct settings *settings, struct strvec *warnings);
/* The action of key in the view whose IN_* bit is view. */
enum action keymap_lookup(const struct keymap *km, unsigned view, int key);
/* The views (IN_* bits) an action works in. */
unsigned action_views(enum action a);

const char *action_name(enum action a);
const char *action_help(enum action a);
enum action action_by_name(const char *name);

/* Parses a key name; -1 when it is not one. */
int keymap_parse_key(const char *name);
/* Appends a readable name for key ("j", "Enter", "C-f", "PgDn"). */
void keymap_key_name(struct strbuf *out, int key);
/* Appends the keys of an action, e.g. "j, Down". */
void keymap_describe(struct strbuf *out, const struct keymap *km, enum action a);
/* The same, only the keys that mean a in the view whose IN_* bit is view. */
void keymap_describe_in(struct strbuf *out, const struct keymap *km, unsigned view, enum action a);

#endif
