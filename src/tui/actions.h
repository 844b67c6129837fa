/*
 * actions.h: every console action in one list (an X-macro, as in tig's
 * REQ_INFO): it generates the enum, the config names for
 * `git config revq.key.<name>`, the help screen and the default keys.
 *
 * _(ID, name, help, views, key1, key2, key3) -- 0 means no key.
 */
#ifndef REVQ_TUI_ACTIONS_H
#define REVQ_TUI_ACTIONS_H

#define KEY_CTRL(c) ((c) & 0x1f)

/* The views an action works in: a key may mean one thing in the item view and another elsewhere. */
#define IN_QUEUE (1u << 0)
#define IN_ITEM (1u << 1)
#define IN_FILES (1u << 2)
#define IN_HELP (1u << 3)
#define IN_LOG (1u << 4)
#define IN_ALL (IN_QUEUE | IN_ITEM | IN_FILES | IN_HELP | IN_LOG)
#define SCOPES 5   /* the IN_* bits */

#define ACTION_LIST(_) \
	_(MOVE_DOWN, "move-down", "Move down", IN_ALL, 'j', KEY_DOWN, 0) \
	_(MOVE_UP, "move-up", "Move up", IN_ALL, 'k', KEY_UP, 0) \
	_(PAGE_DOWN, "page-down", "Move down a page", IN_ALL, KEY_NPAGE, ' ', KEY_CTRL('f')) \
	_(PAGE_UP, "page-up", "Move up a page", IN_ALL, KEY_PPAGE, KEY_CTRL('b'), 0) \
	_(FIRST, "first", "Go to the top", IN_ALL, 'g', KEY_HOME, 0) \
	_(LAST, "last", "Go to the bottom", IN_ALL, 'G', KEY_END, 0) \
	_(OPEN, "open", "Open the item or file under the cursor; on a risk reason, go to its line", IN_QUEUE | IN_ITEM | IN_FILES, '\n', KEY_ENTER, '\r') \
	_(BACK, "back", "Go back; quit from the queue", IN_ALL, 'q', 0, 0) \
	_(CANCEL, "cancel", "Go back; never quits (a lone Esc may be half of a key)", IN_ALL, 0x1b, 0, 0) \
	_(QUIT, "quit", "Quit revq", IN_ALL, 'Q', 0, 0) \
	_(TOGGLE_VIEW, "toggle-mine", "Switch between what needs you (mine) and the whole queue (all)", IN_QUEUE, 'v', 0, 0) \
	_(STATS, "stats", "Where the queue waits: what needs a senior, waits, reviewers (revq stats)", IN_QUEUE, 'S', 0, 0) \
	_(FILTER, "filter", "Filter the queue by subject, author, path, id or repository", IN_QUEUE, '/', 0, 0) \
	_(APPROVE, "approve", "Approve: a signed record in git notes", IN_QUEUE | IN_ITEM, 'a', 0, 0) \
	_(REJECT, "reject", "Reject, with a one-line reason (empty: the unresolved comments)", IN_QUEUE | IN_ITEM, 'r', 0, 0) \
	_(APPROVE_COMMENT, "approve-comment", "Approve with a comment", IN_QUEUE | IN_ITEM, 'A', 0, 0) \
	_(COMMENT, "comment", "Comment on the first diff line on screen (new side; old for a deletion)", IN_ITEM, 'c', 0, 0) \
	_(COMMENT_GENERAL, "comment-general", "Comment on the whole change", IN_ITEM, 'C', 0, 0) \
	_(NEXT_COMMENT, "next-comment", "Next line comment (it becomes the selected one)", IN_ITEM, '>', 0, 0) \
	_(PREV_COMMENT, "prev-comment", "Previous line comment", IN_ITEM, '<', 0, 0) \
	_(REPLY, "reply", "Reply to the selected comment (else the first one on screen)", IN_ITEM, 'e', 0, 0) \
	_(RESOLVE, "resolve", "Mark the selected comment (else the first one on screen) resolved", IN_ITEM, 'x', 0, 0) \
	_(MARK_VIEWED, "mark-viewed", "Mark the file on screen viewed (again: not viewed)", IN_ITEM, 'v', 0, 0) \
	_(NEXT_UNVIEWED, "next-unviewed", "Next file not marked viewed", IN_ITEM, 'V', 0, 0) \
	_(UNDO, "undo", "Undo my last decision of this session (a superseding record)", IN_QUEUE | IN_ITEM, 'u', 0, 0) \
	_(SEARCH, "search", "Search the diff forward, across all files", IN_ITEM, '/', 0, 0) \
	_(SEARCH_BACK, "search-back", "Search the diff backward", IN_ITEM, '?', 0, 0) \
	_(NEXT_MATCH, "next-match", "Next match of the search", IN_ITEM, 'n', 0, 0) \
	_(PREV_MATCH, "prev-match", "Previous match of the search", IN_ITEM, 'N', 0, 0) \
	_(NEXT_HUNK, "next-hunk", "Next hunk", IN_ITEM, '}', 0, 0) \
	_(PREV_HUNK, "prev-hunk", "Previous hunk", IN_ITEM, '{', 0, 0) \
	_(NEXT_FILE, "next-file", "Next file", IN_ITEM, ']', 0, 0) \
	_(PREV_FILE, "prev-file", "Previous file", IN_ITEM, '[', 0, 0) \
	_(FILES, "files", "Pick a file to jump to (type to filter)", IN_ITEM, 'f', 0, 0) \
	_(SCROLL_LEFT, "scroll-left", "Scroll left", IN_ITEM, 'h', KEY_LEFT, 0) \
	_(SCROLL_RIGHT, "scroll-right", "Scroll right", IN_ITEM, 'l', KEY_RIGHT, 0) \
	_(TOGGLE_SPLIT, "toggle-split", "Switch between side-by-side and unified diff", IN_ITEM, 't', 0, 0) \
	_(TOGGLE_WRAP, "toggle-wrap", "Fold long lines instead of cutting them", IN_ITEM, 'w', 0, 0) \
	_(TOGGLE_WHITESPACE, "toggle-whitespace", "Show or hide whitespace-only changes", IN_ITEM, 'W', 0, 0) \
	_(TOGGLE_INTERDIFF, "toggle-interdiff", "A new version: switch between what changed since the earlier version (interdiff) and the full diff", IN_ITEM, 'I', 0, 0) \
	_(NEXT_RISK, "next-risk", "Next line behind a risk reason (marked ! in the gutter)", IN_ITEM, '!', 0, 0) \
	_(TOGGLE_MESSAGE, "toggle-message", "Unfold (or fold) a long commit message", IN_ITEM, 'm', 0, 0) \
	_(NEXT_ITEM, "next-item", "Next item in the queue (as filtered)", IN_ITEM, '.', 0, 0) \
	_(PREV_ITEM, "prev-item", "Previous item in the queue (as filtered)", IN_ITEM, ',', 0, 0) \
	_(TOGGLE_UNIT, "toggle-series", "Review a branch as one series, or each commit alone (revq.reviewUnit)", IN_QUEUE, 's', 0, 0) \
	_(COMMIT_1, "commit-1", "In a series: open its commit 1 (the commits are numbered in its header)", IN_ITEM, '1', 0, 0) \
	_(COMMIT_2, "commit-2", "In a series: open its commit 2", IN_ITEM, '2', 0, 0) \
	_(COMMIT_3, "commit-3", "In a series: open its commit 3", IN_ITEM, '3', 0, 0) \
	_(COMMIT_4, "commit-4", "In a series: open its commit 4", IN_ITEM, '4', 0, 0) \
	_(COMMIT_5, "commit-5", "In a series: open its commit 5", IN_ITEM, '5', 0, 0) \
	_(COMMIT_6, "commit-6", "In a series: open its commit 6", IN_ITEM, '6', 0, 0) \
	_(COMMIT_7, "commit-7", "In a series: open its commit 7", IN_ITEM, '7', 0, 0) \
	_(COMMIT_8, "commit-8", "In a series: open its commit 8", IN_ITEM, '8', 0, 0) \
	_(COMMIT_9, "commit-9", "In a series: open its commit 9 (beyond: Enter on its row)", IN_ITEM, '9', 0, 0) \
	_(MESSAGES, "messages", "Show every status message of the session", IN_ALL, 'L', 0, 0) \
	_(REFRESH, "refresh", "Reload the queue and the decisions", IN_ALL, 'R', KEY_F(5), 0) \
	_(REDRAW, "redraw", "Redraw the screen", IN_ALL, KEY_CTRL('l'), 0, 0) \
	_(HELP, "help", "Show every key", IN_ALL, '?', KEY_F(1), 0)

enum action {
	ACTION_NONE = 0,
#define ACTION_ENUM(id, name, help, views, k1, k2, k3) ACTION_##id,
	ACTION_LIST(ACTION_ENUM)
#undef ACTION_ENUM
	ACTION_MAX
};

#endif
