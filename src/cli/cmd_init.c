/*
 * cmd_init.c: `revq init [--template NAME] [--list-templates]`: a
 * repository's review policy in one command.  Writes a commented
 * .revq/policy from a template in share/revq/policies/ (the current user
 * its senior) and .revq/allowed_signers seeded with the user's ssh key,
 * then says what to do next.  It never overwrites: when either file
 * exists nothing is written.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "keyfile.h"
#include "base/fs.h"
#include "decide/policy.h"

static const char init_usage[] =
	"usage: revq init [--template NAME]\n"
	"   or: revq init --list-templates\n"
	"\n"
	"Writes .revq/policy (from a template, with you as its senior) and\n"
	".revq/allowed_signers (with your ssh signing key) in the work tree, and\n"
	"prints the next steps.  Existing files are never overwritten.\n"
	"\n"
	"  --template NAME   the policy template (default: default)\n"
	"  --list-templates  list the templates and what each requires\n"
	"\n"
	"Exit status: 0 written, 1 a file exists already (nothing written),\n"
	"2 usage (unknown template), 3 runtime error.\n";

#define TEMPLATE_DIR "policies"
#define TEMPLATE_TAG "# Template: "

/* 1 for a template name that cannot leave the templates' folder. */
static int valid_name(const char *name)
{
	if (!*name || strlen(name) > 64)
		return 0;
	for (const char *p = name; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= '0' && *p <= '9') && *p != '-')
			return 0;
	return 1;
}

/* The one-line summary a template gives after TEMPLATE_TAG; caller frees. */
static char *template_summary(const char *text)
{
	const char *p = strstr(text, "\n" TEMPLATE_TAG), *end;

	if (!p)
		return xstrdup("");
	p += strlen("\n" TEMPLATE_TAG);
	end = strchrnul(p, '\n');
	return xstrndup(p, (size_t)(end - p));
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cli_template_names(struct strvec *out, struct strbuf *dir)
{
	struct dirent *e;
	DIR *d;

	fs_data_path(dir, TEMPLATE_DIR);
	if (!(d = opendir(dir->buf)))
		return error_set(REVQ_ERROR, "cannot read the policy templates in %s: %s", dir->buf,
				 strerror(errno));
	while ((e = readdir(d)))
		if (valid_name(e->d_name))
			strvec_push(out, e->d_name);
	closedir(d);
	if (out->nr)
		qsort(out->v, out->nr, sizeof(*out->v), compare_names);
	return 0;
}

static int list_templates(void)
{
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT, out = STRBUF_INIT, text = STRBUF_INIT;
	struct strvec names = STRVEC_INIT;
	int rc;

	if ((rc = cli_template_names(&names, &dir)))
		goto out;
	for (size_t i = 0; i < names.nr; i++) {
		char *summary;

		strbuf_reset(&path);
		strbuf_reset(&text);
		strbuf_addf(&path, "%s/%s", dir.buf, names.v[i]);
		if (strbuf_read_file(&text, path.buf))
			continue;
		summary = template_summary(text.buf ? text.buf : "");
		cli_escape_column(&out, names.v[i], 10);
		strbuf_addch(&out, ' ');
		cli_escape(&out, summary);
		strbuf_addch(&out, '\n');
		free(summary);
	}
	rc = cli_write(&out);
out:
	strbuf_release(&dir);
	strbuf_release(&path);
	strbuf_release(&out);
	strbuf_release(&text);
	strvec_clear(&names);
	return rc ? cli_fail(rc) : EXIT_OK;
}

/* A value as a git-config subsection name: quotes and backslashes escaped. */
static void add_subsection(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_addch(out, '\\');
		strbuf_addch(out, *s);
	}
}

/* The template's text with @NAME@ and @EMAIL@ filled in. */
static void fill_template(struct strbuf *out, const char *text, const char *name, const char *email)
{
	while (*text) {
		if (!strncmp(text, "@NAME@", 6)) {
			add_subsection(out, name);
			text += 6;
		} else if (!strncmp(text, "@EMAIL@", 7)) {
			strbuf_addstr(out, email);
			text += 7;
		} else {
			strbuf_addch(out, *text++);
		}
	}
}

static int read_template(struct strbuf *out, const char *name)
{
	struct strbuf path = STRBUF_INIT;
	int rc = 0;

	if (!valid_name(name))
		return error_set(REVQ_EUSAGE, "'%s' is not a template name; see revq init --list-templates", name);
	fs_data_path(&path, TEMPLATE_DIR);
	strbuf_addf(&path, "/%s", name);
	if (strbuf_read_file(out, path.buf))
		rc = error_set(errno == ENOENT ? REVQ_EUSAGE : REVQ_ERROR, "no policy template '%s' (%s: %s); "
			       "see revq init --list-templates", name, path.buf, strerror(errno));
	strbuf_release(&path);
	return rc;
}

/* The allowed signers to start with: the user's ssh key, or how to add one. */
static void seed_signers(struct strbuf *out, const struct settings *s, const char *email)
{
	struct signing_key key = { NULL, NULL };
	int ssh = s->signing_key && (!s->gpg_format || !strcmp(s->gpg_format, "ssh"));

	strbuf_addstr(out, "# .revq/allowed_signers: the ssh keys that may sign review decisions,\n"
		      "# one line each: ADDRESS namespaces=\"git,revq\" KEYTYPE KEY (ssh-keygen(1),\n"
		      "# ALLOWED SIGNERS).  `revq setup` prints a reviewer's line.\n");
	if (ssh)
		signing_key_read(&key, s->signing_key);
	if (key.public_key) {
		allowed_signers_line(out, email, key.public_key);
		strbuf_addch(out, '\n');
	} else {
		strbuf_addstr(out, "# (no ssh signing key of yours was found: run `revq setup`, then add\n"
			      "# the line it prints here)\n");
		error_warn("no ssh signing key in user.signingkey: .revq/allowed_signers lists nobody "
			   "(run revq setup and add the line it prints)");
	}
	signing_key_release(&key);
}

/* Creates dir/path with content, failing (REVQ_EDENIED) when it exists. */
static int write_new(const char *dir, const char *path, const struct strbuf *content)
{
	struct strbuf full = STRBUF_INIT;
	int fd, rc = 0;

	strbuf_addf(&full, "%s%s", dir, path);
	fd = open(full.buf, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0)
		rc = error_set(errno == EEXIST ? REVQ_EDENIED : REVQ_ERROR, "cannot create %s: %s",
			       path, strerror(errno));
	else if (write(fd, content->buf, content->len) != (ssize_t)content->len)
		rc = error_set(REVQ_ERROR, "cannot write %s: %s", path, strerror(errno));
	if (fd >= 0 && close(fd) && !rc)
		rc = error_set(REVQ_ERROR, "cannot write %s: %s", path, strerror(errno));
	strbuf_release(&full);
	return rc;
}

static const char allowed_path[] = POLICY_DIR "/allowed_signers";

static int refuse_existing(const char *workdir)
{
	const char *files[] = { POLICY_PATH, allowed_path };
	struct strbuf full = STRBUF_INIT;
	struct stat st;
	int rc = 0;

	for (size_t i = 0; i < 2 && !rc; i++) {
		strbuf_reset(&full);
		strbuf_addf(&full, "%s%s", workdir, files[i]);
		if (!lstat(full.buf, &st) || errno != ENOENT)
			rc = error_set(REVQ_EDENIED, "%s exists already; revq init never overwrites "
				       "(edit it, or move it away and run revq init again)", files[i]);
	}
	strbuf_release(&full);
	return rc;
}

static void next_steps(struct session *s, const char *template_name)
{
	struct strbuf out = STRBUF_INIT, hook = STRBUF_INIT;
	struct target t;
	const char *target = "the target branch";

	if (!repo_find_target(&t, s->repo, NULL))
		target = t.name;
	else
		memset(&t, 0, sizeof(t));
	git_error_clear();
	fs_data_path(&hook, "pre-receive");
	strbuf_addf(&out, "Wrote %s (template %s) and %s.\n\nNext steps:\n", POLICY_PATH, template_name,
		    allowed_path);
	strbuf_addstr(&out, "  1. Read the policy, add your team's people and their allowed-signers lines.\n"
		      "  2. Commit it on ");
	cli_escape(&out, target);
	strbuf_addstr(&out, " (the gate reads it from there):\n"
		      "       git add .revq && git commit -m 'revq: the review policy'\n"
		      "     then check it: revq policy check\n"
		      "  3. Install the gate in the server's repository:\n"
		      "       cp ");
	cli_escape(&out, hook.buf);
	strbuf_addstr(&out, " /srv/git/PROJECT.git/hooks/\n"
		      "  4. Add a CI job on a full clone (fetch-depth 0) that verifies against the\n"
		      "     server's decisions (see the README's CI gate):\n"
		      "       git fetch origin '+refs/notes/revq:refs/notes/revq' && revq verify\n"
		      "  5. Check everything: revq doctor\n");
	cli_write(&out);
	strbuf_release(&out);
	strbuf_release(&hook);
	target_release(&t);
}

static int run_init(struct session *s, const char *template_name)
{
	struct strbuf template = STRBUF_INIT, policy = STRBUF_INIT, signers = STRBUF_INIT, dir = STRBUF_INIT;
	const char *workdir = git_repository_workdir(s->repo->git);
	char *name = NULL, *email = NULL;
	int rc;

	if (!workdir)
		return error_set(REVQ_EUSAGE, "revq init writes into a work tree; this repository is bare");
	if ((rc = read_template(&template, template_name)) || (rc = refuse_existing(workdir)) ||
	    (rc = settings_identity(&name, &email, &s->repo->settings)))
		goto out;
	fill_template(&policy, template.buf, name, email);
	seed_signers(&signers, &s->repo->settings, email);
	strbuf_addf(&dir, "%s%s", workdir, POLICY_DIR);
	if (fs_mkdir_p(dir.buf, 0755) && errno != EEXIST)
		rc = error_set(REVQ_ERROR, "cannot create %s: %s", POLICY_DIR, strerror(errno));
	if (!rc && !(rc = write_new(workdir, POLICY_PATH, &policy)) &&
	    (rc = write_new(workdir, allowed_path, &signers))) {
		strbuf_reset(&dir);
		strbuf_addf(&dir, "%s%s", workdir, POLICY_PATH);
		unlink(dir.buf);   /* both or neither */
	}
	if (!rc)
		next_steps(s, template_name);
out:
	free(name);
	free(email);
	strbuf_release(&template);
	strbuf_release(&policy);
	strbuf_release(&signers);
	strbuf_release(&dir);
	return rc;
}

int cmd_init(int argc, char **argv)
{
	static const struct option options[] = {
		{ "template", required_argument, NULL, 't' },
		{ "list-templates", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *template_name = "default";
	struct session *s;
	int c, rc;

	while ((c = cli_getopt(argc, argv, "+t:h", options)) != -1) {
		switch (c) {
		case 't': template_name = optarg; break;
		case 'l': return list_templates();
		case 'h': return cli_print_usage(stdout, init_usage);
		default: return cli_print_usage(stderr, init_usage);
		}
	}
	if (optind < argc)
		return cli_usage_error("init takes no arguments");
	if ((rc = cli_open_session(&s)))
		return cli_fail(rc);
	rc = run_init(s, template_name);
	session_free(s);
	if (rc == REVQ_EDENIED) {
		cli_fail(rc);
		return EXIT_FAILED;
	}
	return rc ? cli_fail(rc) : EXIT_OK;
}
