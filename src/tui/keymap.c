/*
 * keymap.c: key bindings, their names, and revq.key.* configuration.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keymap.h"

struct action_info {
	const char *name;
	const char *help;
	unsigned views;
	int keys[KEYMAP_KEYS];
};

static const struct action_info actions[ACTION_MAX] = {
	[ACTION_NONE] = { "none", "", 0, { 0, 0, 0 } },
#define ACTION_INFO(id, name, help, views, k1, k2, k3) [ACTION_##id] = { name, help, views, { k1, k2, k3 } },
	ACTION_LIST(ACTION_INFO)
#undef ACTION_INFO
};

static const struct { const char *name; int key; } named_keys[] = {
	{ "Enter", '\n' }, { "Return", '\r' }, { "Space", ' ' }, { "Tab", '\t' }, { "Esc", 0x1b },
	{ "Escape", 0x1b }, { "Backspace", KEY_BACKSPACE }, { "Up", KEY_UP }, { "Down", KEY_DOWN },
	{ "Left", KEY_LEFT }, { "Right", KEY_RIGHT }, { "PgUp", KEY_PPAGE }, { "PageUp", KEY_PPAGE },
	{ "PgDn", KEY_NPAGE }, { "PageDown", KEY_NPAGE }, { "Home", KEY_HOME }, { "End", KEY_END },
	{ "Insert", KEY_IC }, { "Delete", KEY_DC }, { "KeypadEnter", KEY_ENTER },
};

const char *action_name(enum action a)
{
	return a > ACTION_NONE && a < ACTION_MAX ? actions[a].name : "none";
}

const char *action_help(enum action a)
{
	return a > ACTION_NONE && a < ACTION_MAX ? actions[a].help : "";
}

unsigned action_views(enum action a)
{
	return a > ACTION_NONE && a < ACTION_MAX ? actions[a].views : 0;
}

/* The bit number of a view's IN_* bit. */
static int scope_of(unsigned view)
{
	for (int s = 0; s < SCOPES; s++)
		if (view == 1u << s)
			return s;
	return -1;
}

enum action action_by_name(const char *name)
{
	for (int a = ACTION_NONE + 1; a < ACTION_MAX; a++)
		if (!strcasecmp(actions[a].name, name))
			return (enum action)a;
	return ACTION_NONE;
}

int keymap_parse_key(const char *s)
{
	size_t n = strlen(s);

	if (n == 1 && isgraph((unsigned char)s[0]))
		return (unsigned char)s[0];
	for (size_t i = 0; i < sizeof(named_keys) / sizeof(named_keys[0]); i++)
		if (!strcasecmp(named_keys[i].name, s))
			return named_keys[i].key;
	if ((n == 3 && (s[0] == 'C' || s[0] == 'c') && s[1] == '-' && isalpha((unsigned char)s[2])) ||
	    (n == 2 && s[0] == '^' && isalpha((unsigned char)s[1])))
		return KEY_CTRL(tolower((unsigned char)s[n - 1]));
	if ((s[0] == 'F' || s[0] == 'f') && n >= 2 && n <= 3 && isdigit((unsigned char)s[1])) {
		int f = atoi(s + 1);

		if (f >= 1 && f <= 12)
			return KEY_F(f);
	}
	return -1;
}

void keymap_key_name(struct strbuf *out, int key)
{
	for (size_t i = 0; i < sizeof(named_keys) / sizeof(named_keys[0]); i++) {
		if (named_keys[i].key == key) {
			strbuf_addstr(out, named_keys[i].name);
			return;
		}
	}
	if (key >= KEY_F(1) && key <= KEY_F(12))
		strbuf_addf(out, "F%d", key - KEY_F(0));
	else if (key > 0 && key < 0x20)
		strbuf_addf(out, "C-%c", key + 'a' - 1);
	else if (key > 0x20 && key < 0x7f)
		strbuf_addch(out, (char)key);
	else
		strbuf_addf(out, "key %d", key);
}

/* Appends the keys of a; with scope >= 0, only those meaning a in that view. */
static void describe(struct strbuf *out, const struct keymap *km, enum action a, int scope)
{
	int first = 1;

	for (int i = 0; i < KEYMAP_KEYS; i++) {
		int key = km->keys[a][i];

		if (!key)
			continue;
		/* Return and keypad Enter are Enter too; say so once. */
		if (key == '\r' || key == KEY_ENTER)
			continue;
		if (scope >= 0 && km->by_key[scope][key] != a)
			continue;
		if (!first)
			strbuf_addstr(out, ", ");
		keymap_key_name(out, key);
		first = 0;
	}
}

void keymap_describe(struct strbuf *out, const struct keymap *km, enum action a)
{
	describe(out, km, a, -1);
}

void keymap_describe_in(struct strbuf *out, const struct keymap *km, unsigned view, enum action a)
{
	int scope = scope_of(view);

	if (scope >= 0)
		describe(out, km, a, scope);
}

/* 1 when key still means a in some view. */
static int bound_somewhere(const struct keymap *km, enum action a, int key)
{
	for (int s = 0; s < SCOPES; s++)
		if (km->by_key[s][key] == a)
			return 1;
	return 0;
}

static void bind(struct keymap *km, enum action a, int key)
{
	if (key < 0 || key >= KEYMAP_SIZE)
		return;
	for (int s = 0; s < SCOPES; s++) {
		enum action old = km->by_key[s][key];

		if (!(actions[a].views & (1u << s)))
			continue;
		km->by_key[s][key] = a;
		if (old && old != a && !bound_somewhere(km, old, key)) {
			/* The key leaves its old action. */
			for (int i = 0; i < KEYMAP_KEYS; i++)
				if (km->keys[old][i] == key)
					km->keys[old][i] = 0;
		}
	}
	for (int i = 0; i < KEYMAP_KEYS; i++) {
		if (km->keys[a][i] == key)
			return;
		if (!km->keys[a][i]) {
			km->keys[a][i] = key;
			return;
		}
	}
}

static void unbind_all(struct keymap *km, enum action a)
{
	for (int i = 0; i < KEYMAP_KEYS; i++) {
		int key = km->keys[a][i];

		for (int s = 0; key > 0 && key < KEYMAP_SIZE && s < SCOPES; s++)
			if (km->by_key[s][key] == a)
				km->by_key[s][key] = ACTION_NONE;
		km->keys[a][i] = 0;
	}
}

static void configure(struct keymap *km, enum action a, const char *value, struct strvec *warnings)
{
	struct strvec names = STRVEC_INIT;
	int keys[KEYMAP_KEYS], n = 0;

	strvec_split(&names, value, ' ');
	for (size_t i = 0; i < names.nr; i++) {
		int key = keymap_parse_key(names.v[i]);

		if (key < 0 || n == KEYMAP_KEYS) {
			if (warnings)
				strvec_pushf(warnings, "revq.key.%s: cannot use '%s' as a key", actions[a].name,
					     names.v[i]);
			continue;
		}
		keys[n++] = key;
	}
	strvec_clear(&names);
	if (!n)
		return;
	unbind_all(km, a);
	for (int i = 0; i < n; i++)
		bind(km, a, keys[i]);
}

/* A warning for every revq.key.<name> whose name is no action's. */
static void warn_unknown(const struct settings *settings, struct strvec *warnings)
{
	struct strvec names = STRVEC_INIT;

	settings_names(&names, settings, "revq.key.");
	for (size_t i = 0; i < names.nr; i++) {
		int a;

		for (a = ACTION_NONE + 1; a < ACTION_MAX && strcasecmp(names.v[i], actions[a].name); a++)
			;
		if (a == ACTION_MAX)
			strvec_pushf(warnings, "revq.key.%s: no such action (? lists them)", names.v[i]);
	}
	strvec_clear(&names);
}

void keymap_init(struct keymap *km, const struct settings *settings, struct strvec *warnings)
{
	memset(km, 0, sizeof(*km));
	/* Keys of every view first, so that a view's own meaning of a key (? searching back) wins. */
	for (int pass = 0; pass < 2; pass++)
		for (int a = ACTION_NONE + 1; a < ACTION_MAX; a++)
			for (int i = 0; i < KEYMAP_KEYS; i++)
				if (actions[a].keys[i] && (actions[a].views == IN_ALL) == !pass)
					bind(km, (enum action)a, actions[a].keys[i]);
	for (int a = ACTION_NONE + 1; settings && a < ACTION_MAX; a++) {
		struct strbuf key = STRBUF_INIT;
		char *value;

		strbuf_addf(&key, "revq.key.%s", actions[a].name);
		value = settings_get_string(settings, key.buf);
		if (value)
			configure(km, (enum action)a, value, warnings);
		free(value);
		strbuf_release(&key);
	}
	if (settings && warnings)
		warn_unknown(settings, warnings);
}

enum action keymap_lookup(const struct keymap *km, unsigned view, int key)
{
	int scope = scope_of(view);

	return scope >= 0 && key >= 0 && key < KEYMAP_SIZE ? km->by_key[scope][key] : ACTION_NONE;
}
