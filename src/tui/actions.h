/*
 * actions.h: every console action in one list (an X-macro, as in tig's
 * REQ_INFO): it generates the enum, the config names for
 * `git config revq.key.<name>`, the help screen and the default keys.
 *
 * _(ID, name, help, key1, key2, key3) -- 0 means no key.
 */
#ifndef REVQ_TUI_ACTIONS_H
#define REVQ_TUI_ACTIONS_H

#define KEY_CTRL(c) ((c) & 0x1f)

#define ACTION_LIST(_) \
	_(MOVE_DOWN, "move-down", "Move down", 'j', KEY_DOWN, 0) \
	_(MOVE_UP, "move-up", "Move up", 'k', KEY_UP, 0) \
	_(PAGE_DOWN, "page-down", "Move down a page", KEY_NPAGE, ' ', KEY_CTRL('f')) \
	_(PAGE_UP, "page-up", "Move up a page", KEY_PPAGE, KEY_CTRL('b'), 0) \
	_(FIRST, "first", "Go to the top", 'g', KEY_HOME, 0) \
	_(LAST, "last", "Go to the bottom", 'G', KEY_END, 0) \
	_(OPEN, "open", "Open the item (or the file) under the cursor", '\n', KEY_ENTER, '\r') \
	_(BACK, "back", "Go back; quit from the queue", 'q', 0, 0) \
	_(CANCEL, "cancel", "Go back; never quits (a lone Esc may be half of a key)", 0x1b, 0, 0) \
	_(QUIT, "quit", "Quit revq", 'Q', 0, 0) \
	_(FILTER, "filter", "Filter the queue by subject, author, path or id", '/', 0, 0) \
	_(APPROVE, "approve", "Approve: a signed record in git notes", 'a', 0, 0) \
	_(REJECT, "reject", "Reject, with a one-line reason", 'r', 0, 0) \
	_(NEXT_HUNK, "next-hunk", "Next hunk", 'n', 0, 0) \
	_(PREV_HUNK, "prev-hunk", "Previous hunk", 'N', 0, 0) \
	_(NEXT_FILE, "next-file", "Next file", ']', 0, 0) \
	_(PREV_FILE, "prev-file", "Previous file", '[', 0, 0) \
	_(FILES, "files", "Pick a file to jump to", 'f', 0, 0) \
	_(SCROLL_LEFT, "scroll-left", "Scroll left", 'h', KEY_LEFT, 0) \
	_(SCROLL_RIGHT, "scroll-right", "Scroll right", 'l', KEY_RIGHT, 0) \
	_(TOGGLE_SPLIT, "toggle-split", "Switch between side-by-side and unified diff", 't', 0, 0) \
	_(NEXT_ITEM, "next-item", "Next item in the queue", '.', 0, 0) \
	_(PREV_ITEM, "prev-item", "Previous item in the queue", ',', 0, 0) \
	_(REFRESH, "refresh", "Reload the queue and the decisions", 'R', KEY_F(5), 0) \
	_(REDRAW, "redraw", "Redraw the screen", KEY_CTRL('l'), 0, 0) \
	_(HELP, "help", "Show every key", '?', KEY_F(1), 0)

enum action {
	ACTION_NONE = 0,
#define ACTION_ENUM(id, name, help, k1, k2, k3) ACTION_##id,
	ACTION_LIST(ACTION_ENUM)
#undef ACTION_ENUM
	ACTION_MAX
};

#endif
