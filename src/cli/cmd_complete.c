/*
 * cmd_complete.c: `revq __complete WHAT`, the words the bash and zsh
 * completion scripts (share/completion/) offer, one per line, a tab and
 * a description after some:
 *
 *   commands       every command and its summary
 *   options CMD    the long options CMD's --help names
 *   queue          the short ids of the queue's commits, with subjects
 *   templates      the policy templates of revq init
 *
 * Hidden from --help (git's own --list-cmds and __git_complete are its
 * model); documented in revq(1).  Never fails loudly: a completion that
 * cannot be computed is empty.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "base/oidmap.h"

static const char complete_usage[] = "usage: revq __complete commands|options CMD|queue|templates\n";

static int list_commands(struct strbuf *out, const struct cli_command *commands, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		strbuf_addf(out, "%s\t%s\n", commands[i].name, commands[i].summary);
	return 0;
}

/* The long options ("--name") in text, each once, in order. */
static void long_options(struct strbuf *out, const char *text)
{
	struct strvec seen = STRVEC_INIT;

	for (const char *p = strstr(text, "--"); p; p = strstr(p, "--")) {
		const char *end = p + 2;
		char *name;

		while ((*end >= 'a' && *end <= 'z') || *end == '-')
			end++;
		name = xstrndup(p, (size_t)(end - p));
		if (end - p > 2 && name[2] != '-' && !strvec_contains(&seen, name)) {
			strbuf_addf(out, "%s\n", name);
			strvec_push(&seen, name);
		}
		free(name);
		p = end;
	}
	strvec_clear(&seen);
}

/* Runs the command's --help with stdout into a temporary file, and reads it back. */
static int command_options(struct strbuf *out, const struct cli_command *cmd)
{
	struct strbuf help = STRBUF_INIT;
	char *argv[] = { (char *)cmd->name, (char *)"--help", NULL };
	FILE *tmp = tmpfile();
	int saved = dup(STDOUT_FILENO), rc = 0;

	if (!tmp || saved < 0) {
		rc = REVQ_ERROR;
	} else {
		fflush(stdout);
		dup2(fileno(tmp), STDOUT_FILENO);
		optind = 0;
		cmd->run(2, argv);
		fflush(stdout);
		dup2(saved, STDOUT_FILENO);
		rewind(tmp);
		for (int ch; (ch = fgetc(tmp)) != EOF && help.len < 65536;)
			strbuf_addch(&help, (char)ch);
		long_options(out, help.buf ? help.buf : "");
	}
	if (saved >= 0)
		close(saved);
	if (tmp)
		fclose(tmp);
	strbuf_release(&help);
	return rc;
}

static int list_queue(struct strbuf *out)
{
	struct queue_options opts;
	struct session *s;
	struct queue *q;
	int rc;

	memset(&opts, 0, sizeof(opts));
	if ((rc = session_open(&s)))
		return rc;
	if (!(rc = queue_build(&q, s, &opts))) {
		for (size_t i = 0; i < q->nr; i++) {
			char id[16];

			oid_short_id(id, sizeof(id), &q->items[i]->id, SHORT_ID_LEN);
			strbuf_addf(out, "%s\t", id);
			escape_addstr(out, q->items[i]->subject, ESCAPE_ASCII);
			strbuf_addch(out, '\n');
		}
		queue_free(q);
	}
	session_free(s);
	return rc;
}

static int list_templates(struct strbuf *out)
{
	struct strbuf dir = STRBUF_INIT;
	struct strvec names = STRVEC_INIT;

	cli_template_names(&names, &dir);
	for (size_t i = 0; i < names.nr; i++) {
		escape_addstr(out, names.v[i], ESCAPE_ASCII);
		strbuf_addch(out, '\n');
	}
	strvec_clear(&names);
	strbuf_release(&dir);
	return 0;
}

static void ignore_warning(const char *message, void *data)
{
	(void)message;
	(void)data;
}

int cmd_complete(int argc, char **argv, const struct cli_command *commands, size_t nr)
{
	struct strbuf out = STRBUF_INIT;
	const char *what = argc > 1 ? argv[1] : "";
	int rc = 0;

	cli_quiet();
	error_set_warn_handler(ignore_warning, NULL);
	if (!strcmp(what, "commands")) {
		rc = list_commands(&out, commands, nr);
	} else if (!strcmp(what, "options") && argc > 2) {
		for (size_t i = 0; i < nr; i++)
			if (!strcmp(commands[i].name, argv[2]))
				rc = command_options(&out, &commands[i]);
	} else if (!strcmp(what, "queue")) {
		rc = list_queue(&out);
	} else if (!strcmp(what, "templates")) {
		rc = list_templates(&out);
	} else {
		strbuf_release(&out);
		return cli_print_usage(stderr, complete_usage);
	}
	if (!rc)
		rc = cli_write(&out);
	strbuf_release(&out);
	return rc ? EXIT_RUNTIME : EXIT_OK;
}
