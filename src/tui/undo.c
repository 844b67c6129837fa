/*
 * undo.c: the console's u key.  Every decision the console writes is
 * remembered for the session; u takes back the last one with a
 * withdrawal record (VERDICT_WITHDRAW) through decision_write(), the
 * code path of `revq undo`: a superseding signed record, never a
 * deletion, since the notes are append-only; a series decision is taken
 * back the same way, through decision_write_series().  Taking back a
 * record that a remote already has asks first.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "decide/decision.h"
#include "tui.h"

void tui_undo_push(struct tui *t, size_t repo, const git_oid *commit, enum verdict verdict, const char *line)
{
	struct tui_decided *d;

	ALLOC_GROW(t->decided, t->decided_nr + 1, t->decided_alloc);
	d = &t->decided[t->decided_nr++];
	memset(d, 0, sizeof(*d));
	d->repo = repo;
	git_oid_cpy(&d->commit, commit);
	d->verdict = verdict;
	d->line = xstrdup(line);
}

void tui_undo_push_series(struct tui *t, size_t repo, const git_oid *base, const git_oid *tip,
			  enum verdict verdict, const char *line)
{
	tui_undo_push(t, repo, tip, verdict, line);
	git_oid_cpy(&t->decided[t->decided_nr - 1].base, base);
	t->decided[t->decided_nr - 1].series = 1;
}

void tui_undo_release(struct tui *t)
{
	for (size_t i = 0; i < t->decided_nr; i++)
		free(t->decided[i].line);
	free(t->decided);
	t->decided = NULL;
	t->decided_nr = t->decided_alloc = 0;
}

/*
 * The queue's item for d (its commit in its repository; the queue's
 * cursor goes to it), or one loaded for it (*loaded owns it).
 */
static struct item *find_item(struct tui *t, const struct tui_decided *d, struct item **loaded)
{
	*loaded = NULL;
	for (size_t i = 0; i < t->queue->nr; i++)
		if (tui_repo_of(t, (long)i) == d->repo && git_oid_equal(&t->queue->items[i]->id, &d->commit)) {
			tui_follow(t, (long)i);
			return t->queue->items[i];
		}
	return queue_load_item(loaded, t->repos->repos[d->repo].session, &d->commit) ? NULL : *loaded;
}

/* Asks first when the record is already in a remote's notes; 1 to go on. */
static int confirmed(struct tui *t, const struct tui_decided *d, const char *what, const char *id)
{
	struct strbuf q = STRBUF_INIT;
	int ok;

	if (!decision_is_shared(t->reviews[d->repo], &d->commit, d->line))
		return 1;
	strbuf_addf(&q, "Your %s of %s is already pushed; withdraw it for everyone on the next sync? (y/n)",
		    what, id);
	ok = tui_confirm(t, q.buf);
	if (!ok)
		tui_message(t, 0, "%s: nothing undone", id);
	strbuf_release(&q);
	return ok;
}

static void withdraw(struct tui *t, const struct tui_decided *d, struct item *item)
{
	struct decision_request req;
	struct decision_result res = DECISION_RESULT_INIT;
	const char *what = d->verdict == VERDICT_REJECT ? "rejection" : "approval";
	char id[48];
	int rc;

	oid_short_id(id, sizeof(id), &d->commit, SHORT_ID_LEN);
	if (d->series) {
		char base[16];

		oid_short_id(base, sizeof(base), &d->base, SHORT_ID_LEN);
		snprintf(id, sizeof(id), "the series %s..", base);
		oid_short_id(id + strlen(id), sizeof(id) - strlen(id), &d->commit, SHORT_ID_LEN);
	}
	if (!confirmed(t, d, what, id))
		return;
	memset(&req, 0, sizeof(req));
	req.verdict = VERDICT_WITHDRAW;
	def_prog_mode();   /* the signer may ask for a passphrase */
	endwin();
	rc = d->series ? decision_write_series(&res, t->reviews[d->repo], item, &d->base, &req)
		       : decision_write(&res, t->reviews[d->repo], &item, 1, &req);
	reset_prog_mode();
	clearok(curscr, TRUE);
	if (rc) {
		tui_message(t, 1, "%s: nothing undone: %s", id, error_last());
	} else {
		tui_message(t, 0, "undone: your %s of %s is withdrawn (a superseding signed record in %s)", what,
			    id, t->reviews[d->repo]->notes_ref);
		free(t->decided[--t->decided_nr].line);
		tui_refresh_decisions(t);
	}
	decision_result_release(&res);
}

void tui_undo(struct tui *t)
{
	struct tui_decided *d;
	struct item *item, *loaded;

	if (!t->decided_nr) {
		tui_message(t, 0, "nothing to undo: no decision made in this session");
		return;
	}
	d = &t->decided[t->decided_nr - 1];
	if (!t->reviews[d->repo]) {
		tui_message(t, 1, "nothing undone: decisions are unavailable (see the message log, L)");
		return;
	}
	if (!(item = find_item(t, d, &loaded))) {
		tui_message(t, 1, "nothing undone: %s", error_last());
		return;
	}
	withdraw(t, d, item);
	item_free(loaded);
}
