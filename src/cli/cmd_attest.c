/*
 * cmd_attest.c: `revq attest [RANGE]`: what `revq verify` decided, for
 * tools that speak in-toto rather than revq: one Statement per approved
 * commit on stdout (JSON lines), a SLSA Source VSA with --vsa, in a DSSE
 * envelope signed with the user's ssh key with --sign, and kept as notes
 * under refs/notes/revq-attest with --write-notes.  The formats are in
 * revq-attest(1).
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "base/clock.h"
#include "decide/review.h"
#include "show/attest.h"
#include "sign/sigparse.h"

static const char attest_usage[] =
	"usage: revq attest [--vsa] [--sign] [--write-notes] [--repository URI] [--target REF]\n"
	"                   [--notes-ref REF] [--quiet] [RANGE...]\n"
	"\n"
	"Writes an in-toto Statement (JSON lines) for every commit of RANGE (default:\n"
	"TARGET..HEAD) that `revq verify` approves; the others get none.  Exit status\n"
	"0: every commit judged was attested; 1: some were not.\n"
	"\n"
	"  --vsa             a SLSA Source Verification Summary Attestation instead of\n"
	"                    the review statement (predicate " ATTEST_REVIEW_TYPE ")\n"
	"  --sign            each statement in a DSSE envelope signed with user.signingkey\n"
	"                    (an ssh key; namespace " ATTEST_NAMESPACE ")\n"
	"  --write-notes     also append each line to its commit's note under\n"
	"                    " ATTEST_NOTES_REF "\n"
	"  --repository URI  the repository's URI (default: git+ and remote.origin.url)\n"
	"  --target REF      the target whose .revq/policy applies\n"
	"  --notes-ref REF   where decisions live (a ref, or a notes commit)\n"
	"  --quiet, -q       no progress on stderr\n";

struct attest_options {
	struct queue_cli qc;
	int vsa, sign, write_notes;
	const char *repository;   /* --repository, or NULL */
};

/* The attestations made, one line each (no newline), and the commit of each. */
struct attested {
	struct strbuf *lines;     /* owned */
	git_oid *commits;         /* owned */
	size_t nr, alloc, commits_alloc;
};

static void attested_release(struct attested *a)
{
	for (size_t i = 0; i < a->nr; i++)
		strbuf_release(&a->lines[i]);
	free(a->lines);
	free(a->commits);
	memset(a, 0, sizeof(*a));
}

static int parse_options(struct attest_options *o, int argc, char **argv)
{
	static const struct option options[] = {
		{ "vsa", no_argument, NULL, 'V' },
		{ "sign", no_argument, NULL, 's' },
		{ "write-notes", no_argument, NULL, 'w' },
		{ "repository", required_argument, NULL, 'r' },
		{ "target", required_argument, NULL, 't' },
		{ "notes-ref", required_argument, NULL, 'N' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->qc.limit = -1;
	while ((c = cli_getopt(argc, argv, "+qh", options)) != -1) {
		switch (c) {
		case 'V': o->vsa = 1; break;
		case 's': o->sign = 1; break;
		case 'w': o->write_notes = 1; break;
		case 'r': o->repository = optarg; break;
		case 't': o->qc.opts.target = optarg; break;
		case 'N': o->qc.notes_ref = optarg; break;
		case 'q': cli_quiet(); break;
		case 'h': return cli_print_usage(stdout, attest_usage);
		default: return cli_print_usage(stderr, attest_usage);
		}
	}
	o->qc.opts.ranges = (const char *const *)argv + optind;
	o->qc.opts.ranges_nr = (size_t)(argc - optind);
	return -1;
}

/* The repository's URI: --repository, else remote.origin.url, else the repository's path. */
static void repository_uri(struct strbuf *out, const struct session *s, const char *given)
{
	char *url;

	if (given) {
		strbuf_addstr(out, given);
		return;
	}
	url = settings_get_string(&s->repo->settings, "remote.origin.url");
	attest_repository_uri(out, url, s->repo->commondir);
	free(url);
}

/* One line on stderr for a commit that gets no attestation: why verify fails it. */
static void not_attested(const struct item *it, const struct evaluation *ev)
{
	struct strbuf sb = STRBUF_INIT;
	char id[16];

	oid_short_id(id, sizeof(id), &it->id, SHORT_ID_LEN);
	strbuf_addf(&sb, "revq: %s: not attested: ", id);
	if (ev->failures.nr)
		cli_escape(&sb, ev->failures.v[0]);
	else
		strbuf_addstr(&sb, item_status_name(ev->status));
	fprintf(stderr, "%s\n", sb.buf);
	strbuf_release(&sb);
}

static struct strbuf *attested_add(struct attested *a, const git_oid *commit)
{
	ALLOC_GROW(a->lines, a->nr + 1, a->alloc);
	ALLOC_GROW(a->commits, a->nr + 1, a->commits_alloc);
	strbuf_init(&a->lines[a->nr], 0);
	git_oid_cpy(&a->commits[a->nr], commit);
	return &a->lines[a->nr++];
}

static int attest_one(struct attested *a, size_t *failed, struct review *r, const struct item *it,
		      const struct attest_options *o, const char *repository, int64_t now)
{
	struct attest_facts facts;
	struct evaluation ev;
	int rc;

	if ((rc = review_evaluate(&ev, r, it)))
		return rc;
	if (ev.failures.nr || ev.status != ITEM_APPROVED) {
		not_attested(it, &ev);
		++*failed;
	} else if (!(rc = attest_facts_init(&facts, r, it, &ev, repository, now))) {
		if (o->vsa)
			attest_vsa(attested_add(a, &it->id), &facts);
		else
			attest_review(attested_add(a, &it->id), &facts);
	}
	evaluation_release(&ev);
	return rc;
}

/* Each line becomes its DSSE envelope, all signed in one ssh-keygen call. */
static int sign_all(struct attested *a, const struct session *s)
{
	struct strbuf *paes = xcalloc(a->nr + 1, sizeof(*paes));
	char **sigs = xcalloc(a->nr + 1, sizeof(*sigs));
	struct signer sg;
	int rc;

	if ((rc = signer_init(&sg, &s->repo->settings))) {
		free(paes);
		free(sigs);
		return rc;
	}
	for (size_t i = 0; i < a->nr; i++) {
		strbuf_init(&paes[i], 0);
		attest_pae(&paes[i], ATTEST_PAYLOAD_TYPE, a->lines[i].buf, a->lines[i].len);
	}
	rc = sign_ssh_payloads(sigs, &sg, ATTEST_NAMESPACE, paes, a->nr);
	for (size_t i = 0; i < a->nr && !rc; i++) {
		struct sshsig_info info;
		struct strbuf env = STRBUF_INIT;

		if (sshsig_parse(&info, sigs[i])) {
			rc = error_set(REVQ_ERROR, "%s wrote a signature that is no SSHSIG", sg.program);
			break;
		}
		attest_envelope(&env, a->lines[i].buf, a->lines[i].len, info.fingerprint, sigs[i]);
		sshsig_release(&info);
		strbuf_release(&a->lines[i]);
		a->lines[i] = env;
	}
	for (size_t i = 0; i < a->nr; i++) {
		strbuf_release(&paes[i]);
		free(sigs[i]);
	}
	free(paes);
	free(sigs);
	signer_release(&sg);
	return rc;
}

/* Appends every line to its commit's note under refs/notes/revq-attest, in one notes commit. */
static int write_notes(const struct attested *a, struct session *s)
{
	struct notes_line *lines = xcalloc(a->nr + 1, sizeof(*lines));
	git_signature *who = NULL;
	char *name = NULL, *email = NULL;
	int rc;

	if (!(rc = settings_identity(&name, &email, &s->repo->settings)) && git_signature_now(&who, name, email))
		rc = error_set_git(REVQ_ERROR, "bad identity '%s <%s>'", name, email);
	for (size_t i = 0; i < a->nr; i++) {
		git_oid_cpy(&lines[i].object, &a->commits[i]);
		lines[i].line = a->lines[i].buf;
	}
	if (!rc)
		rc = notes_append(s->repo->git, ATTEST_NOTES_REF, lines, a->nr, who, "revq attest");
	git_signature_free(who);
	free(name);
	free(email);
	free(lines);
	return rc;
}

static int attest_all(struct attested *a, size_t *failed, struct review *r, struct queue *q,
		      const struct attest_options *o)
{
	struct strbuf repository = STRBUF_INIT;
	int64_t now = clock_now();   /* one time of verification for the run */
	int rc = 0;

	repository_uri(&repository, r->session, o->repository);
	review_know(r, q->items, q->nr);   /* as verify: a rebased series is found by its branches */
	for (size_t i = 0; i < q->nr && !rc; i++)
		rc = attest_one(a, failed, r, q->items[i], o, repository.buf, now);
	review_forget(r);
	if (!rc && o->sign && a->nr)
		rc = sign_all(a, r->session);
	if (!rc && o->write_notes && a->nr)
		rc = write_notes(a, r->session);
	strbuf_release(&repository);
	return rc;
}

static int check_notes_ref(const struct attest_options *o, const struct session *s)
{
	const char *decisions = o->qc.notes_ref ? o->qc.notes_ref : s->repo->settings.notes_ref;

	if (o->write_notes && !strcmp(decisions, ATTEST_NOTES_REF))
		return error_set(REVQ_EUSAGE, "the decisions live in %s: attestations cannot be written "
				 "there", ATTEST_NOTES_REF);
	return 0;
}

int cmd_attest(int argc, char **argv)
{
	struct strbuf out = STRBUF_INIT;
	struct attest_options o;
	struct attested a = { NULL, NULL, 0, 0, 0 };
	struct session *s;
	struct review *r = NULL;
	struct queue *q = NULL;
	size_t failed = 0;
	int rc;

	if ((rc = parse_options(&o, argc, argv)) >= 0)
		return rc;
	if ((rc = cli_open_range(&s, &o.qc, "attest")))
		return rc > 0 ? EXIT_OK : cli_fail(rc);
	if (!(rc = check_notes_ref(&o, s)) && !(rc = cli_judge_range(&r, &q, s, &o.qc)))
		rc = attest_all(&a, &failed, r, q, &o);
	for (size_t i = 0; i < a.nr && !rc; i++) {
		strbuf_add(&out, a.lines[i].buf, a.lines[i].len);
		strbuf_addch(&out, '\n');
	}
	if (!rc)
		rc = cli_write(&out);
	strbuf_release(&out);
	attested_release(&a);
	review_free(r);
	queue_free(q);
	session_free(s);
	if (rc)
		return cli_fail(rc);
	return failed ? EXIT_FAILED : EXIT_OK;
}
