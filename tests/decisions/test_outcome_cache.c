/*
 * test_outcome_cache.c: a queue's judged decisions are cached (review.c,
 * store/outcomes.c), so the cache must never say what a cold judgement
 * would not.  Each test lists warm and cold, with verify beside, across
 * what the outcomes depend on: the clock against a key's window (a key
 * that expires, a key not valid yet and a record dated ahead), the
 * allowed signers (a key removed), the notes tip (moved back, moved on)
 * and gpg's keyring (a key revoked); each attack beside its legitimate
 * case.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "testlib.h"

#define JAN_02 "REVQ_NOW=1767312000"   /* 2026-01-02 */
#define JAN_10 "REVQ_NOW=1768003200"   /* 2026-01-10 */
#define JAN_21 "REVQ_NOW=1768953600"   /* 2026-01-21 */

struct fixture {
	const char *repo;
	const char *keys;
	const char *gnupg;   /* the verifier's GNUPGHOME */
	char *ai;            /* an AI-assisted commit by author@example.com on ai/x */
};

static void ssh_key(struct fixture *f, const char *name)
{
	tl_sh(f->keys, "ssh-keygen -q -t ed25519 -N '' -C %s -f %s", name, name);
}

/* Lists ssh key `name` for principal (with options, may be "") in the allowed signers. */
static void allow(struct fixture *f, const char *principal, const char *options, const char *name)
{
	tl_sh(f->keys, "printf '%%s %%s %%s\\n' '%s' '%s' \"$(cut -d' ' -f1,2 %s.pub)\" >> allowed",
	      principal, options, name);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->repo = tl_repo_new();
	f->keys = tl_tmpdir();
	f->gnupg = tl_tmpdir();
	tl_sh(f->gnupg, "chmod 700 .");
	setenv("GNUPGHOME", f->gnupg, 1);
	tl_write(f->keys, "allowed", "");
	ssh_key(f, "jane");
	ssh_key(f, "bob");
	tl_git(f->repo, "config gpg.format ssh");
	tl_git(f->repo, "config gpg.ssh.allowedSignersFile %s/allowed", f->keys);
	tl_git(f->repo, "checkout -q -b ai/x");
	f->ai = tl_commit_file(f->repo, "src/feature.c", "int feature(void) { return 1; }\n", 2,
			       "Add a feature" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unsetenv("GNUPGHOME");
	free(f->ai);
	free(f);
	return 0;
}

/* `revq VERB ARGS` as EMAIL signing with key (an ssh key name or a gpg fingerprint). */
static void decide_on(struct fixture *f, const char *env, const char *verb, const char *key, const char *email,
		      const char *args)
{
	struct strbuf err = STRBUF_INIT;

	if (tl_sh(f->keys, "test -f %s", key))
		tl_git(f->repo, "config user.signingkey %s", key);
	else
		tl_git(f->repo, "config user.signingkey %s/%s", f->keys, key);
	if (tl_sh_output(f->repo, NULL, &err, "%s GIT_COMMITTER_NAME=Reviewer GIT_COMMITTER_EMAIL='%s' "
			 "\"$REVQ_BIN\" %s -m 'looked at it' %s", env, email, verb, args))
		fail_msg("revq %s: %s", verb, err.buf);
	strbuf_release(&err);
}

/* `revq approve` (or reject, with verb) of the AI-assisted commit. */
static void decide_env(struct fixture *f, const char *env, const char *verb, const char *key, const char *email)
{
	decide_on(f, env, verb, key, email, f->ai);
}

static void approve(struct fixture *f, const char *key, const char *email)
{
	decide_env(f, "", "approve", key, email);
}

/* How many sets of outcomes the cache holds. */
static int outcome_sets(struct fixture *f)
{
	struct strbuf path = STRBUF_INIT;
	sqlite3_stmt *st;
	sqlite3 *db;
	int n = -1;

	strbuf_addf(&path, "%s/.git/revq/cache.db", f->repo);
	assert_int_equal(sqlite3_open(path.buf, &db), SQLITE_OK);
	if (!sqlite3_prepare_v2(db, "SELECT count(*) FROM outcome_sets", -1, &st, NULL)) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	strbuf_release(&path);
	return n;
}

/*
 * Every item's status in `revq list --json RANGE` with env first, and
 * verify's exit status (verify judges every record, never reading the
 * cached outcomes) agreeing with it (0 only when all are approved).
 */
static void assert_range_status(struct fixture *f, const char *env, const char *range, const char *expected)
{
	struct strbuf out = STRBUF_INIT;
	int64_t nr;
	int verified;

	if (tl_sh_output(f->repo, &out, NULL, "%s \"$REVQ_BIN\" list --json %s", env, range))
		fail_msg("revq list failed (%s)", env);
	nr = tl_json_length(out.buf, "$");
	assert_true(nr > 0);
	for (int64_t i = 0; i < nr; i++) {
		char path[32], *got;

		snprintf(path, sizeof(path), "$[%lld].status", (long long)i);
		got = tl_json_text(out.buf, path);
		if (!got || strcmp(got, expected))
			fail_msg("list %s (%s) says %s, expected %s:\n%s", range, env, got ? got : "nothing",
				 expected, out.buf);
		free(got);
	}
	verified = tl_sh(f->repo, "%s \"$REVQ_BIN\" verify %s >/dev/null 2>&1", env, range);
	if ((verified == 0) != !strcmp(expected, "approved"))
		fail_msg("verify %s (%s) exited %d while list says %s", range, env, verified, expected);
	strbuf_release(&out);
}

/* The item's status in `revq list --json main..ai/x`, verify agreeing. */
static void assert_status(struct fixture *f, const char *env, const char *expected)
{
	assert_range_status(f, env, "main..ai/x", expected);
}

/* Warm (twice: the first may store), then cold, then warm again. */
static void assert_status_warm_and_cold(struct fixture *f, const char *env, const char *expected)
{
	assert_status(f, env, expected);
	assert_status(f, env, expected);
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "cache clear"), 0);
	assert_status(f, env, expected);
	assert_status(f, env, expected);
}

static void clear_cache(struct fixture *f)
{
	assert_int_equal(tl_revq(f->repo, NULL, NULL, "cache clear"), 0);
}

/* ---- the clock ---- */

static void test_a_warm_list_stops_counting_a_key_once_its_valid_before_is_past(void **state)
{
	struct fixture *f = *state;

	allow(f, "jane@example.com", "valid-before=\"20260111Z\"", "jane");
	allow(f, "bob@example.com", "", "bob");
	approve(f, "jane", "jane@example.com");   /* dated TL_NOW, 2026-01-01 */
	clear_cache(f);
	assert_status(f, JAN_02, "approved");
	assert_status(f, JAN_02, "approved");
	assert_int_equal(outcome_sets(f), 1);   /* the warm answer came from here */
	/* Twenty days on, the cached outcome is not read: the key's window is behind now. */
	assert_status(f, JAN_21, "pending");
	assert_status_warm_and_cold(f, JAN_21, "pending");
	/* A clock set back is inside the window again. */
	assert_status(f, JAN_02, "approved");
	/* Control: an unbounded key approves then as now. */
	approve(f, "bob", "bob@example.com");
	assert_status_warm_and_cold(f, JAN_21, "approved");
	assert_status(f, JAN_02, "approved");
}

static void test_a_key_not_yet_valid_counts_from_its_first_day_warm_or_cold(void **state)
{
	struct fixture *f = *state;

	allow(f, "jane@example.com", "valid-after=\"20260105Z\"", "jane");
	decide_env(f, JAN_10, "approve", "jane", "jane@example.com");   /* dated 2026-01-10 */
	/* On 2026-01-02 the key is not valid yet and the record is dated ahead: cached so. */
	assert_status_warm_and_cold(f, JAN_02, "pending");
	/* From its date on it counts, whatever was cached before. */
	assert_status(f, JAN_10, "approved");
	assert_status_warm_and_cold(f, JAN_10, "approved");
	assert_status(f, JAN_21, "approved");
	assert_status(f, JAN_02, "pending");
}

/* ---- trust and notes ---- */

static void test_a_key_removed_from_the_allowed_signers_stops_counting_on_the_next_warm_list(void **state)
{
	struct fixture *f = *state;

	allow(f, "jane@example.com", "", "jane");
	allow(f, "bob@example.com", "", "bob");
	approve(f, "jane", "jane@example.com");
	assert_status(f, "", "approved");
	assert_status(f, "", "approved");
	/* Jane's key is taken out: her approval no longer counts, warm or cold. */
	tl_sh(f->keys, "grep -v '^jane@' allowed > allowed.new && mv allowed.new allowed");
	assert_status_warm_and_cold(f, "", "pending");
	/* Control: the key that is still listed approves. */
	approve(f, "bob", "bob@example.com");
	assert_status_warm_and_cold(f, "", "approved");
}

static void test_a_moved_notes_tip_is_judged_again(void **state)
{
	struct fixture *f = *state;
	char *approved_tip;

	allow(f, "jane@example.com", "", "jane");
	allow(f, "bob@example.com", "", "bob");
	approve(f, "jane", "jane@example.com");
	approved_tip = tl_git_out(f->repo, "rev-parse refs/notes/revq");
	assert_status(f, "", "approved");
	assert_status(f, "", "approved");
	/* Moved on: Bob's rejection is seen by the next warm list. */
	decide_env(f, "", "reject", "bob", "bob@example.com");
	assert_status_warm_and_cold(f, "", "rejected");
	/* Moved back to before any decision: nothing counts. */
	tl_git(f->repo, "update-ref -d refs/notes/revq");
	assert_status(f, "", "pending");
	/* Control: back at the approving tip, its cached outcome is right again. */
	tl_git(f->repo, "update-ref refs/notes/revq %s", approved_tip);
	assert_status_warm_and_cold(f, "", "approved");
	free(approved_tip);
}

/* The entries of the newest set of outcomes. */
static int newest_set_entries(struct fixture *f)
{
	struct strbuf path = STRBUF_INIT;
	sqlite3_stmt *st;
	sqlite3 *db;
	int n = -1;

	strbuf_addf(&path, "%s/.git/revq/cache.db", f->repo);
	assert_int_equal(sqlite3_open(path.buf, &db), SQLITE_OK);
	if (!sqlite3_prepare_v2(db, "SELECT entries FROM outcome_sets ORDER BY used DESC LIMIT 1", -1, &st, NULL)) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	strbuf_release(&path);
	return n;
}

static void test_a_new_commit_in_the_queue_is_judged_beside_the_stored_outcomes(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	char *second;

	allow(f, "jane@example.com", "", "jane");
	approve(f, "jane", "jane@example.com");
	assert_status(f, "", "approved");
	assert_int_equal(newest_set_entries(f), 1);
	/* One more commit on the branch: it is pending, the approved one stays approved. */
	tl_git(f->repo, "checkout -q ai/x");
	second = tl_commit_file(f->repo, "src/other.c", "int other(void) { return 2; }\n", 1,
				"Add another" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	for (int round = 0; round < 2; round++) {
		strbuf_reset(&out);
		assert_int_equal(tl_revq(f->repo, &out, NULL, "list --json main..ai/x"), 0);
		char *first = tl_json_text(out.buf, "$[0].commit");
		int new_first = first && !strcmp(first, second);

		assert_int_equal(tl_json_length(out.buf, "$"), 2);
		assert_json_text(out.buf, "$[0].status", new_first ? "pending" : "approved");
		assert_json_text(out.buf, "$[1].status", new_first ? "approved" : "pending");
		free(first);
		assert_int_equal(newest_set_entries(f), 2);
	}
	free(second);
	strbuf_release(&out);
}

/* Warm twice (the first may store), then cold, then warm again, for every item of range. */
static void assert_range_warm_and_cold(struct fixture *f, const char *range, const char *expected)
{
	assert_range_status(f, "", range, expected);
	assert_range_status(f, "", range, expected);
	clear_cache(f);
	assert_range_status(f, "", range, expected);
	assert_range_status(f, "", range, expected);
}

/* Moves main on, and copies ai/x's commits onto it as branch: the same changes, other commits. */
static void copy_onto_moved_main(struct fixture *f, const char *branch)
{
	free(tl_commit_file(f->repo, "README", "moved on\n", 1, "Unrelated"));
	tl_git(f->repo, "checkout -q -b %s main", branch);
	tl_git(f->repo, "cherry-pick main..ai/x >/dev/null");
	tl_git(f->repo, "checkout -q main");
}

static void test_a_new_approval_of_the_original_reaches_the_stored_outcome_of_its_copy(void **state)
{
	struct fixture *f = *state;
	char *other;

	allow(f, "jane@example.com", "", "jane");
	tl_git(f->repo, "checkout -q -b other");
	other = tl_commit_file(f->repo, "doc/other.txt", "other\n", 1, "Other" TL_AI_TRAILER);
	tl_git(f->repo, "checkout -q main");
	copy_onto_moved_main(f, "ai/y");
	/* An approval of a commit that changes other paths: the copy's outcome is stored as pending. */
	decide_on(f, "", "approve", "jane", "jane@example.com", other);
	assert_range_warm_and_cold(f, "main..ai/y", "pending");
	assert_int_equal(outcome_sets(f), 1);
	/* The original is approved: a record on another commit's note that carries over to the copy. */
	approve(f, "jane", "jane@example.com");
	assert_range_status(f, "", "main..ai/y", "approved");
	assert_range_warm_and_cold(f, "main..ai/y", "approved");
	/* Control: the original itself is approved, and the other commit stays so. */
	assert_status(f, "", "approved");
	assert_range_warm_and_cold(f, "main..other", "approved");
	free(other);
}

static void test_a_series_approval_carried_to_a_rebased_branch_is_cached_and_follows_the_branch(void **state)
{
	struct fixture *f = *state;

	allow(f, "jane@example.com", "", "jane");
	tl_git(f->repo, "checkout -q ai/x");
	free(tl_commit_file(f->repo, "src/more.c", "int more(void) { return 2; }\n", 2, "More" TL_AI_TRAILER));
	tl_git(f->repo, "checkout -q main");
	decide_on(f, "", "approve", "jane", "jane@example.com", "--series main..ai/x");
	copy_onto_moved_main(f, "ai/same");
	/* The branch rebased byte-identically: each copied commit is covered, warm (now cached) or cold. */
	assert_range_warm_and_cold(f, "main..ai/same", "approved");
	assert_int_equal(outcome_sets(f), 1);
	/* One more commit on the rebased branch: its combined change is another, nothing is covered. */
	tl_git(f->repo, "checkout -q ai/same");
	free(tl_commit_file(f->repo, "src/extra.c", "int extra;\n", 1, "Extra" TL_AI_TRAILER));
	tl_git(f->repo, "checkout -q main");
	assert_range_status(f, "", "main..ai/same", "pending");
	assert_range_warm_and_cold(f, "main..ai/same", "pending");
	/* Control: the extra commit taken back off, the copy is covered again. */
	tl_git(f->repo, "update-ref refs/heads/ai/same ai/same~1");
	assert_range_status(f, "", "main..ai/same", "approved");
	assert_range_warm_and_cold(f, "main..ai/same", "approved");
}

/* What `revq list --for-me main..ai/x` says on stderr as email. */
static void assert_for_me(struct fixture *f, const char *email, const char *says)
{
	struct strbuf err = STRBUF_INIT;

	if (tl_sh_output(f->repo, NULL, &err, "GIT_COMMITTER_NAME=R GIT_COMMITTER_EMAIL='%s' \"$REVQ_BIN\" "
			 "list --for-me main..ai/x", email))
		fail_msg("list --for-me failed: %s", err.buf);
	assert_contains(err.buf, says);
	strbuf_release(&err);
}

static void test_whose_move_it_is_is_cached_per_reviewer_and_follows_the_decisions(void **state)
{
	struct fixture *f = *state;

	allow(f, "jane@example.com", "", "jane");
	allow(f, "bob@example.com", "", "bob");
	tl_write(f->repo, ".revq/policy", "[revq]\n\tallowedSigners = .revq/allowed_signers\n"
		 "[path \"src/**\"]\n\tapprovals = 2\n");
	tl_sh(f->repo, "cp %s/allowed .revq/allowed_signers", f->keys);
	free(tl_commit(f->repo, 3, "Review policy"));
	tl_git(f->repo, "checkout -q ai/x");
	tl_git(f->repo, "rebase -q main");
	tl_git(f->repo, "checkout -q main");
	free(f->ai);
	f->ai = tl_git_out(f->repo, "rev-parse ai/x");
	approve(f, "jane", "jane@example.com");
	for (int round = 0; round < 2; round++) {   /* cold, then from the cache */
		assert_for_me(f, "jane@example.com", "revq: 0 need you");   /* she decided already */
		assert_for_me(f, "bob@example.com", "revq: 1 needs you");
	}
	/* Bob's approval moves the notes: nobody is needed any more. */
	approve(f, "bob", "bob@example.com");
	assert_for_me(f, "bob@example.com", "revq: 0 need you");
	assert_for_me(f, "bob@example.com", "revq: 0 need you");
	assert_status(f, "", "approved");
}

/* ---- gpg ---- */

static int have_gpg(void)
{
	return tl_sh(".", "command -v gpg >/dev/null") == 0;
}

/* Makes a key for uid in home; returns its fingerprint (caller frees). */
static char *gpg_key(const char *home, const char *uid)
{
	struct strbuf fpr = STRBUF_INIT;

	tl_sh(home, "chmod 700 . && GNUPGHOME=%s gpg --batch --quiet --passphrase '' --quick-gen-key '%s' "
	      "ed25519 sign never 2>/dev/null", home, uid);
	tl_sh_output(home, &fpr, NULL, "GNUPGHOME=%s gpg --batch --with-colons --list-keys -- '=%s' | "
		     "awk -F: '$1 == \"fpr\" { print $10; exit }'", home, uid);
	strbuf_trim_trailing_newline(&fpr);
	assert_int_equal(fpr.len, 40);
	return strbuf_detach(&fpr, NULL);
}

static void test_a_revoked_gpg_key_stops_counting_on_the_next_warm_list(void **state)
{
	struct fixture *f = *state;
	char *jane, *bob;

	if (!have_gpg())
		skip();
	tl_git(f->repo, "config --unset gpg.format");
	jane = gpg_key(f->gnupg, "Jane <jane@example.com>");
	bob = gpg_key(f->gnupg, "Bob <bob@example.com>");
	approve(f, jane, "jane@example.com");
	assert_status(f, "", "approved");
	assert_status(f, "", "approved");
	/* gpg wrote a revocation certificate beside the key: importing it revokes the key. */
	if (tl_sh(f->gnupg, "sed 's/^:-----BEGIN/-----BEGIN/' openpgp-revocs.d/%s.rev | "
		  "GNUPGHOME=%s gpg --batch --quiet --import 2>/dev/null", jane, f->gnupg))
		fail_msg("could not revoke %s", jane);
	assert_status_warm_and_cold(f, "", "pending");
	/* Control: a key that was not revoked approves. */
	approve(f, bob, "bob@example.com");
	assert_status_warm_and_cold(f, "", "approved");
	free(jane);
	free(bob);
}

/* How many times a cold `revq verify` runs `gpg --list-keys -- FPR` (a counting gpg.program). */
static int key_listings(struct fixture *f)
{
	struct strbuf out = STRBUF_INIT;
	int n;

	tl_sh(f->keys, "printf '#!/bin/sh\\necho \"$*\" >> %s/gpg-calls\\nexec gpg \"$@\"\\n' > gpg-count && "
	      "chmod +x gpg-count && : > gpg-calls", f->keys);
	tl_git(f->repo, "config gpg.program %s/gpg-count", f->keys);
	clear_cache(f);
	tl_sh(f->repo, "\"$REVQ_BIN\" verify main..ai/x >/dev/null 2>&1");
	tl_git(f->repo, "config --unset gpg.program");
	tl_sh_output(f->keys, &out, NULL, "grep -c -- '--list-keys --' gpg-calls");
	n = atoi(out.buf);
	strbuf_release(&out);
	return n;
}

static void test_one_gpg_key_is_listed_once_however_many_records_it_signed(void **state)
{
	struct fixture *f = *state;
	char *jane, *bob;

	if (!have_gpg())
		skip();
	tl_git(f->repo, "config --unset gpg.format");
	jane = gpg_key(f->gnupg, "Jane <jane@example.com>");
	bob = gpg_key(f->gnupg, "Bob <bob@example.com>");
	decide_env(f, "REVQ_NOW=1767225601", "approve", jane, "jane@example.com");
	decide_env(f, "REVQ_NOW=1767225602", "approve", jane, "jane@example.com");
	decide_env(f, "REVQ_NOW=1767225603", "approve", jane, "jane@example.com");
	assert_int_equal(key_listings(f), 1);
	assert_status(f, "", "approved");
	/* Control: another key is listed for itself. */
	decide_env(f, "REVQ_NOW=1767225604", "approve", bob, "bob@example.com");
	assert_int_equal(key_listings(f), 2);
	assert_status(f, "", "approved");
	free(jane);
	free(bob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_a_warm_list_stops_counting_a_key_once_its_valid_before_is_past,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_key_not_yet_valid_counts_from_its_first_day_warm_or_cold,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_a_key_removed_from_the_allowed_signers_stops_counting_on_the_next_warm_list, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_a_moved_notes_tip_is_judged_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whose_move_it_is_is_cached_per_reviewer_and_follows_the_decisions,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_new_commit_in_the_queue_is_judged_beside_the_stored_outcomes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_new_approval_of_the_original_reaches_the_stored_outcome_of_its_copy,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_a_series_approval_carried_to_a_rebased_branch_is_cached_and_follows_the_branch, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_a_revoked_gpg_key_stops_counting_on_the_next_warm_list,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_gpg_key_is_listed_once_however_many_records_it_signed,
						setup, teardown),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
