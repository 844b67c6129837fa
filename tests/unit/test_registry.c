/*
 * test_registry.c: the AI tool registry (judge/registry.h): its line
 * format, the errors that name a line, where it is read from, that a
 * missing registry fails closed, and that its contents are part of the
 * rules fingerprint.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "judge/registry.h"
#include "judge/detect.h"
#include "judge/item.h"
#include "git/settings.h"
#include "base/error.h"

static const char every_kind[] =
	"# a comment\n"
	"\n"
	"   # an indented comment\n"
	"tool Acme Agent\n"
	"email agent@acme.example\n"
	"login acme-agent[bot]\n"
	"name Acme Agent\n"
	"name-prefix Acme Model\n"
	"name-suffix (acme)\n"
	"model Acme\n"
	"trailer Acme-Session\n"
	"trailer-value Acme-Author   agent  \n"
	"generator Acme\n"
	"subject-prefix acme:\n"
	"tool Other\r\n"
	"\tname   Other Tool\t\r\n";

static void test_every_line_kind_is_read(void **state)
{
	struct registry reg;

	(void)state;
	assert_int_equal(registry_parse(&reg, every_kind, strlen(every_kind), "t"), 0);
	assert_int_equal(reg.tools.nr, 2);
	assert_string_equal(reg.tools.v[0], "Acme Agent");
	assert_int_equal(reg.nr, 11);
	assert_string_equal(registry_lookup(&reg, REGISTRY_EMAIL, "AGENT@acme.example"), "Acme Agent");
	assert_string_equal(registry_lookup(&reg, REGISTRY_LOGIN, "acme-agent[bot]"), "Acme Agent");
	assert_string_equal(registry_lookup(&reg, REGISTRY_NAME_PREFIX, "Acme Model"), "Acme Agent");
	assert_string_equal(registry_lookup(&reg, REGISTRY_NAME_SUFFIX, "(acme)"), "Acme Agent");
	assert_string_equal(registry_lookup(&reg, REGISTRY_MODEL, "acme"), "Acme Agent");
	assert_string_equal(registry_lookup(&reg, REGISTRY_TRAILER, "Acme-Session"), "Acme Agent");
	assert_string_equal(registry_lookup(&reg, REGISTRY_GENERATOR, "Acme"), "Acme Agent");
	assert_string_equal(registry_lookup(&reg, REGISTRY_SUBJECT_PREFIX, "acme:"), "Acme Agent");
	assert_string_equal(reg.rules[7].text, "Acme-Author");
	assert_string_equal(reg.rules[7].value, "agent");
	/* blanks and a CR around a rule are trimmed; the rule belongs to the last tool */
	assert_string_equal(registry_lookup(&reg, REGISTRY_NAME, "other tool"), "Other");
	assert_null(registry_lookup(&reg, REGISTRY_NAME, "Acme"));
	assert_non_null(reg.digest);
	registry_release(&reg);
}

static void assert_refused(const char *text, const char *message)
{
	struct registry reg;

	if (registry_parse(&reg, text, strlen(text), "ai-tools") != REVQ_EUSAGE)
		fail_msg("accepted: %s", text);
	assert_contains(error_last(), message);
	assert_int_equal(reg.nr, 0);
	assert_null(reg.rules);
}

static void test_malformed_lines_are_refused_with_their_line_number(void **state)
{
	(void)state;
	assert_refused("tool A\nname A\nnmae B\n", "ai-tools:3: unknown kind 'nmae'");
	assert_refused("# head\nname A\ntool A\n", "ai-tools:2: 'name' before the first 'tool' line");
	assert_refused("tool A\nemail\n", "ai-tools:2: 'email' needs a text");
	assert_refused("tool A (beta)\n", "ai-tools:1: a tool needs a name without parentheses");
	assert_refused("tool\n", "ai-tools:1: a tool needs a name");
	assert_refused("tool A\n\ntrailer-value Key\n", "ai-tools:3: 'trailer-value' needs a key and a value");
	assert_refused("tool A\nlogin two words[bot]\n", "ai-tools:2: 'login' takes one word");
	assert_refused("tool A\nname A\x1b[2J\n", "ai-tools:2: 'name' needs a text");
	assert_refused("# only comments\n\n", "ai-tools: the registry names no tool");
	assert_refused("", "the registry names no tool");
}

static char *read_whole(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	FILE *f = fopen(path, "rb");
	char buf[4096];
	size_t n;

	assert_non_null(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return strbuf_detach(&sb, NULL);
}

static char *write_registry(const char *dir, const char *content)
{
	char *path = NULL;

	tl_write(dir, "ai-tools", content);
	if (asprintf(&path, "%s/ai-tools", dir) < 0)
		abort();
	return path;
}

static void test_the_datadir_override_and_an_explicit_path(void **state)
{
	const char *dir = tl_tmpdir();
	char *saved = getenv("REVQ_DATADIR") ? xstrdup(getenv("REVQ_DATADIR")) : NULL;
	char *path = write_registry(dir, "tool Local Bot\nname Local Bot\n");
	struct registry reg;

	(void)state;
	setenv("REVQ_DATADIR", dir, 1);
	assert_int_equal(registry_load(&reg, NULL), 0);
	assert_string_equal(reg.source, path);
	assert_string_equal(registry_lookup(&reg, REGISTRY_NAME, "local bot"), "Local Bot");
	registry_release(&reg);
	/* revq.aiRegistry's path wins */
	if (saved)
		setenv("REVQ_DATADIR", saved, 1);
	assert_int_equal(registry_load(&reg, path), 0);
	assert_int_equal(reg.tools.nr, 1);
	registry_release(&reg);
	free(path);
	free(saved);
}

static void test_a_missing_registry_fails_closed(void **state)
{
	char *saved = getenv("REVQ_DATADIR") ? xstrdup(getenv("REVQ_DATADIR")) : NULL;
	struct detect_rules rules;
	struct registry reg;

	(void)state;
	assert_int_equal(registry_load(&reg, "/nonexistent/ai-tools"), REVQ_ERROR);
	assert_contains(error_last(), "cannot read the AI tool registry /nonexistent/ai-tools");
	assert_contains(error_last(), "revq.aiRegistry or $REVQ_DATADIR");
	assert_int_equal(detect_rules_init(&rules, NULL, "/nonexistent/ai-tools"), REVQ_ERROR);
	detect_rules_release(&rules);
	setenv("REVQ_DATADIR", "/nonexistent", 1);
	assert_int_equal(registry_load(&reg, NULL), REVQ_ERROR);
	assert_contains(error_last(), "/nonexistent/ai-tools");
	if (saved)
		setenv("REVQ_DATADIR", saved, 1);
	free(saved);
}

static void test_a_changed_registry_changes_the_rules_fingerprint(void **state)
{
	const char *a = tl_tmpdir(), *b = tl_tmpdir();
	struct settings settings;
	struct item_rules ra, rb, ra2;

	(void)state;
	memset(&settings, 0, sizeof(settings));
	settings.ai_registry = write_registry(a, "tool One\nname One Bot\n");
	assert_int_equal(item_rules_init(&ra, &settings), 0);
	assert_int_equal(item_rules_init(&ra2, &settings), 0);
	free(settings.ai_registry);
	settings.ai_registry = write_registry(b, "tool One\nname One Bot\nname One Agent\n");
	assert_int_equal(item_rules_init(&rb, &settings), 0);
	assert_string_equal(ra.fingerprint, ra2.fingerprint);
	assert_string_not_equal(ra.fingerprint, rb.fingerprint);
	/* and the registry given is the one detection uses */
	assert_string_equal(detect_identity_tool(&rb.detect, "One Agent", NULL), "One");
	assert_null(detect_identity_tool(&ra.detect, "One Agent", NULL));
	item_rules_release(&ra);
	item_rules_release(&ra2);
	item_rules_release(&rb);
	free(settings.ai_registry);
}

/* Every entry of share/revq/ai-tools parses and cites a public source. */
static void test_the_shipped_registry_cites_a_source_for_every_entry(void **state)
{
	const struct registry *reg = registry_default();
	char *path = NULL, *text;
	const char *tool;

	(void)state;
	assert_non_null(reg);
	assert_true(reg->tools.nr >= 20);
	if (asprintf(&path, "%s/share/revq/ai-tools", getenv("REVQ_SRCDIR")) < 0)
		abort();
	text = read_whole(path);
	for (tool = strstr(text, "\ntool "); tool; tool = strstr(tool + 1, "\ntool ")) {
		const char *next = strstr(tool + 1, "\ntool ");
		const char *url = strstr(tool, "https://");

		if (!url || (next && url > next))
			fail_msg("no source cited for %.*s", (int)strcspn(tool + 1, "\n"), tool + 1);
	}
	free(text);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_line_kind_is_read),
		cmocka_unit_test(test_malformed_lines_are_refused_with_their_line_number),
		cmocka_unit_test(test_the_datadir_override_and_an_explicit_path),
		cmocka_unit_test(test_a_missing_registry_fails_closed),
		cmocka_unit_test(test_a_changed_registry_changes_the_rules_fingerprint),
		cmocka_unit_test(test_the_shipped_registry_cites_a_source_for_every_entry),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
