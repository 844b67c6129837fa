/*
 * sync.c: fetch, union-merge and push the decisions notes ref.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "base/progress.h"
#include "git/notes.h"
#include "base/run.h"
#include "base/strbuf.h"
#include "decide/sync.h"

/*
 * A push is refused only when another reviewer's push went through
 * between our fetch and our push, and each refusal is a different
 * reviewer's success: with up to SYNC_ROUNDS reviewers syncing at the
 * same moment, every one of them gets through (tests/faults/test_sync_many
 * runs twenty).  Between rounds a random pause, its bound doubling each
 * round up to SYNC_PAUSE_MAX_MS (exponential backoff), spreads the
 * retries of the ones that lost, so that each round is not all of them
 * against all of them again.
 */
#define SYNC_ROUNDS 32
#define SYNC_PAUSE_MS 50
#define SYNC_PAUSE_MAX_MS 2000
#define GIT_TIMEOUT_MS (10 * 60 * 1000)

static int run_git(struct child *c, struct session *s, const char *const *args)
{
	strvec_push(&c->argv, "git");
	strvec_pushf(&c->argv, "--git-dir=%s", s->repo->gitdir);
	for (size_t i = 0; args[i]; i++)
		strvec_push(&c->argv, args[i]);
	c->timeout_ms = GIT_TIMEOUT_MS;
	return run_command(c);
}

/* "refs/notes/revq" -> "refs/notes/remotes/origin/revq" */
static char *tracking_ref(const char *remote, const char *ref)
{
	struct strbuf sb = STRBUF_INIT;
	const char *tail = !strncmp(ref, "refs/notes/", 11) ? ref + 11 : ref;

	strbuf_addf(&sb, "refs/notes/remotes/%s/%s", remote, tail);
	return strbuf_detach(&sb, NULL);
}

static int fetch(int *found, struct session *s, const char *remote, const char *ref,
		 const char *tracking)
{
	struct child c = CHILD_INIT;
	struct strbuf spec = STRBUF_INIT;
	int rc;

	strbuf_addf(&spec, "+%s:%s", ref, tracking);
	rc = run_git(&c, s, (const char *const[]){ "fetch", "--quiet", "--no-tags", remote, spec.buf, NULL });
	*found = 0;
	if (!rc && !c.status)
		*found = 1;
	else if (!rc && !strstr(c.err.buf, "couldn't find remote ref"))
		rc = error_set(REVQ_ERROR, "git fetch %s failed: %s", remote, child_error_line(&c));
	strbuf_release(&spec);
	child_release(&c);
	return rc;
}

/* Pushes without force; *rejected is set when the remote moved meanwhile. */
static int push(int *rejected, struct session *s, const char *remote, const char *ref)
{
	struct child c = CHILD_INIT;
	struct strbuf spec = STRBUF_INIT;
	int rc;

	strbuf_addf(&spec, "%s:%s", ref, ref);
	rc = run_git(&c, s, (const char *const[]){ "push", "--quiet", remote, spec.buf, NULL });
	*rejected = 0;
	if (!rc && c.status) {
		if (strstr(c.err.buf, "rejected") || strstr(c.err.buf, "fetch first") ||
		    strstr(c.err.buf, "non-fast-forward") || strstr(c.err.buf, "failed to update ref"))
			*rejected = 1;
		else
			rc = error_set(REVQ_ERROR, "git push %s failed: %s", remote, child_error_line(&c));
	}
	strbuf_release(&spec);
	child_release(&c);
	return rc;
}

static int merge_tracking(int *changed, struct session *s, const char *ref, const char *tracking)
{
	char *name, *email;
	git_signature *who;
	git_oid theirs;
	int rc;

	*changed = 0;
	if (git_reference_name_to_id(&theirs, s->repo->git, tracking)) {
		git_error_clear();
		return 0;
	}
	if ((rc = settings_identity(&name, &email, &s->repo->settings)))
		return rc;
	if (git_signature_now(&who, name, email))
		rc = error_set_git(REVQ_ERROR, "bad identity");
	else
		rc = notes_merge_union(s->repo->git, ref, &theirs, who, changed);
	git_signature_free(who);
	free(name);
	free(email);
	return rc;
}

/* The steps a round reports: fetched, merged, pushed. */
#define SYNC_TITLE "Syncing decisions"
#define SYNC_STEPS 3

/* A random pause before round (1, 2, ...): up to SYNC_PAUSE_MS << (round - 1), at most SYNC_PAUSE_MAX_MS. */
static void pause_before(unsigned round)
{
	static unsigned seed;
	long bound = round < 7 ? (long)SYNC_PAUSE_MS << (round - 1) : SYNC_PAUSE_MAX_MS;
	struct timespec ts;
	long ms;

	if (!seed)
		seed = (unsigned)getpid() ^ (unsigned)time(NULL);
	if (bound > SYNC_PAUSE_MAX_MS)
		bound = SYNC_PAUSE_MAX_MS;
	ms = (long)rand_r(&seed) % (bound + 1);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

int sync_notes(struct sync_result *out, struct session *s, const char *remote, const char *notes_ref)
{
	const char *ref = notes_ref ? notes_ref : s->repo->settings.notes_ref;
	char *tracking = tracking_ref(remote, ref);
	git_oid ours;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	while (!rc && out->rounds < SYNC_ROUNDS) {
		int found, changed, rejected;

		if (out->rounds)
			pause_before(out->rounds);
		out->rounds++;
		progress_update(SYNC_TITLE, 0, SYNC_STEPS);
		if ((rc = fetch(&found, s, remote, ref, tracking)))
			break;
		progress_update(SYNC_TITLE, 1, SYNC_STEPS);
		out->fetched |= found;
		if (found && (rc = merge_tracking(&changed, s, ref, tracking)))
			break;
		out->merged |= found && changed;
		progress_update(SYNC_TITLE, 2, SYNC_STEPS);
		if (git_reference_name_to_id(&ours, s->repo->git, ref)) {
			git_error_clear();
			break;   /* no decisions here at all: nothing to push */
		}
		if ((rc = push(&rejected, s, remote, ref)) || !rejected) {
			out->pushed = !rc;
			break;
		}
	}
	if (!rc && out->rounds == SYNC_ROUNDS && !out->pushed &&
	    !git_reference_name_to_id(&ours, s->repo->git, ref))
		rc = error_set(REVQ_ECONFLICT, "%s kept changing on %s; your decisions are safe "
			       "locally, run revq sync again", ref, remote);
	progress_done(SYNC_TITLE, rc ? 0 : SYNC_STEPS, SYNC_STEPS);
	free(tracking);
	return rc;
}
