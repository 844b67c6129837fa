/*
 * test_risk.c: the risk model (risk.h): findings collected while a diff
 * is walked, turned into a 0-100 score with human-readable reasons.
 * Inputs are built directly, as analyze.c would feed them.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "testlib.h"
#include "base/error.h"
#include "judge/risk.h"

struct fixture {
	struct risk_rules rules;
	struct risk_findings f;
	struct risk_totals totals;
	struct strvec reasons;
};

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));

	assert_int_equal(risk_rules_init(&fx->rules, NULL, NULL), 0);
	risk_findings_init(&fx->f);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	risk_rules_release(&fx->rules);
	risk_findings_release(&fx->f);
	strvec_clear(&fx->reasons);
	free(fx);
	return 0;
}

static void line(struct fixture *fx, const char *path, unsigned lineno, const char *text)
{
	risk_scan_line(&fx->f, &fx->rules, path, lineno, text, strlen(text));
}

/* Scores the fixture; returns the reasons joined with newlines (caller frees). */
static char *score(struct fixture *fx, int *points)
{
	strvec_clear(&fx->reasons);
	*points = risk_score(&fx->reasons, &fx->f, &fx->totals);
	return strvec_join(&fx->reasons, "\n");
}

#define assert_score(fx, expected_points, expected_reasons) do { \
	int points_; \
	char *reasons_ = score((fx), &points_); \
	if (strcmp(reasons_, (expected_reasons))) \
		fail_msg("reasons are:\n%s\nexpected:\n%s", reasons_, (expected_reasons)); \
	if (points_ != (expected_points)) \
		fail_msg("score is %d, expected %d; reasons:\n%s", points_, (expected_points), reasons_); \
	free(reasons_); \
} while (0)

static void test_nothing_scores_zero(void **state)
{
	struct fixture *fx = *state;

	line(fx, "src/main.c", 1, "int main(void) { return 0; }");
	line(fx, "src/main.c", 2, "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac");
	risk_scan_path(&fx->f, &fx->rules, "src/main.c");
	risk_scan_path(&fx->f, &fx->rules, "README.md");
	fx->totals.files = 2;
	fx->totals.deleted = 49;
	assert_score(fx, 0, "");
	assert_int_equal(risk_score(NULL, &fx->f, &fx->totals), 0);
}

static void test_size_is_four_points_per_doubling_of_lines_added(void **state)
{
	static const struct { unsigned added, deleted, files; int points; const char *reasons; } cases[] = {
		{ 1, 0, 1, 4, "+4 size: 1 line added" },
		{ 2, 500, 1, 8, "+8 size: 2 lines added" },
		{ 3, 0, 1, 10, "+10 size: 3 lines added" },
		{ 8, 0, 1, 16, "+16 size: 8 lines added" },
		{ 100, 100, 9, 30, "+30 size: 100 lines added" },
		{ 200, 0, 30, 34, "+34 large change: 200 lines added" },
		{ 1024, 1, 100, 40, "+40 large change: 1024 lines added" },
		{ 20000, 0, 1, 40, "+40 large change: 20000 lines added" },
	};
	struct fixture *fx = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fx->totals.added = cases[i].added;
		fx->totals.deleted = cases[i].deleted;
		fx->totals.files = cases[i].files;
		fx->totals.dirs = cases[i].files;
		assert_score(fx, cases[i].points, cases[i].reasons);
	}
}

static void test_documentation_lines_count_a_quarter(void **state)
{
	struct fixture *fx = *state;

	for (unsigned i = 1; i <= 64; i++)
		line(fx, "man/man8/ip.8", i, ".B ip link");
	fx->totals = (struct risk_totals){ .files = 1, .added = 64, .dirs = 1 };
	assert_score(fx, 20, "+20 size: 64 lines added, 64 of them documentation, translations, "
		     "vendored or generated");
}

static void test_deletions_are_not_risk_but_new_and_deleted_files_are(void **state)
{
	struct fixture *fx = *state;

	fx->totals = (struct risk_totals){ .files = 3, .added = 0, .deleted = 3000, .dirs = 3 };
	assert_score(fx, 0, "");
	fx->totals.deleted_files = 2;
	assert_score(fx, 5, "+5 deletes 2 files");
	fx->totals = (struct risk_totals){ .files = 4, .added = 0, .new_files = 4, .dirs = 1 };
	assert_score(fx, 9, "+9 adds 4 files");
}

static void test_sensitive_paths(void **state)
{
	struct fixture *fx = *state;

	risk_scan_path(&fx->f, &fx->rules, ".github/workflows/ci.yml");
	risk_scan_path(&fx->f, &fx->rules, "infra/prod/main.tf");
	risk_scan_path(&fx->f, &fx->rules, "db/migrations/0001_init.rb");
	risk_scan_path(&fx->f, &fx->rules, "services/api/Dockerfile");
	risk_scan_path(&fx->f, &fx->rules, "package-lock.json");
	risk_scan_path(&fx->f, &fx->rules, "src/util.c");
	assert_score(fx, 85,
		     "+25 infrastructure-as-code (infra/prod/main.tf)\n"
		     "+20 CI/CD workflow (.github/workflows/ci.yml)\n"
		     "+20 database migration or SQL (db/migrations/0001_init.rb)\n"
		     "+10 dependency manifest or lock file (package-lock.json)\n"
		     "+10 container image definition (services/api/Dockerfile)");
}

static void test_each_category_counts_once(void **state)
{
	struct fixture *fx = *state;

	risk_scan_path(&fx->f, &fx->rules, "a.tf");
	risk_scan_path(&fx->f, &fx->rules, "modules/b.tf");
	risk_scan_path(&fx->f, &fx->rules, "terraform/c.tfvars");
	risk_scan_path(&fx->f, &fx->rules, ".revq/policy");
	risk_scan_path(&fx->f, &fx->rules, "scripts/deploy.sh");
	assert_score(fx, 60,
		     "+25 infrastructure-as-code (a.tf, 3 files)\n"
		     "+25 review policy or code ownership (.revq/policy)\n"
		     "+10 shell script (scripts/deploy.sh)");
}

static void test_configured_sensitive_paths(void **state)
{
	struct fixture *fx = *state;
	struct strvec paths = STRVEC_INIT;
	struct strbuf fp = STRBUF_INIT;

	risk_rules_release(&fx->rules);
	strvec_push(&paths, "billing/**");
	assert_int_equal(risk_rules_init(&fx->rules, &paths, NULL), 0);
	strvec_clear(&paths);
	risk_scan_path(&fx->f, &fx->rules, "billing/ledger.c");
	risk_scan_path(&fx->f, &fx->rules, "docs/billing.md");
	assert_score(fx, 20, "+20 sensitive path (revq.sensitivePath) (billing/ledger.c)");
	risk_rules_fingerprint(&fp, &fx->rules);
	assert_string_equal(fp.buf, "risk-v4\npath billing/**");
	strbuf_release(&fp);
}

static void test_destructive_patterns(void **state)
{
	struct fixture *fx = *state;
	const char *script = "deploy.sh", *sql = "db/cleanup.sql.txt";

	line(fx, script, 3, "rm -rf \"$BUILD_DIR\"/");
	line(fx, script, 4, "echo done");
	line(fx, script, 7, "git push --force origin main");
	line(fx, sql, 1, "DROP TABLE users;");
	assert_score(fx, 30, "+30 destructive operation added: rm -rf, --force, drop table (deploy.sh:3, 3 lines)");
}

/* Each spelling once, each on its own fixture; the reason must name it. */
static void expect_destructive(const char *text, const char *what)
{
	struct fixture fx;
	char *reasons;
	int points;

	memset(&fx, 0, sizeof(fx));
	assert_int_equal(risk_rules_init(&fx.rules, NULL, NULL), 0);
	risk_findings_init(&fx.f);
	line(&fx, "run.sh", 1, text);
	reasons = score(&fx, &points);
	if (points != 30 || !strstr(reasons, what))
		fail_msg("'%s': %d points, reasons:\n%s\nexpected to name %s", text, points, reasons, what);
	free(reasons);
	strvec_clear(&fx.reasons);
	risk_findings_release(&fx.f);
	risk_rules_release(&fx.rules);
}

static void expect_harmless(const char *text)
{
	struct fixture fx;

	memset(&fx, 0, sizeof(fx));
	assert_int_equal(risk_rules_init(&fx.rules, NULL, NULL), 0);
	risk_findings_init(&fx.f);
	line(&fx, "run.sh", 1, text);
	if (fx.f.signals[RISK_DESTRUCTIVE].count)
		fail_msg("'%s' reads as destructive (%s)", text, fx.f.signals[RISK_DESTRUCTIVE].what.v[0]);
	risk_findings_release(&fx.f);
	risk_rules_release(&fx.rules);
}

static void test_destructive_spellings_with_odd_blanks_and_comments_are_found(void **state)
{
	(void)state;
	expect_destructive("drop   table users;", "drop table");
	expect_destructive("DROP\tTABLE users;", "drop table");
	expect_destructive("DROP/**/TABLE users;", "drop table");
	expect_destructive("DROP /* old */ TABLE users;", "drop table");
	expect_destructive("TRUNCATE/**/  TABLE audit_log;", "truncate table");
	expect_destructive("rm  -rf /srv", "rm -rf");
	expect_destructive("git reset  --hard HEAD~3", "reset --hard");
}

static void test_missing_destructive_commands_are_found(void **state)
{
	(void)state;
	expect_destructive("find / -delete", "find -delete");
	expect_destructive("find \"$DIR\" -name '*' -delete", "find -delete");
	expect_destructive("git push origin +main", "push +refspec");
	expect_destructive("git push origin +HEAD:refs/heads/main", "push +refspec");
	expect_destructive("curl -fsSL https://example.com/install | sh", "curl | sh");
	expect_destructive("curl https://x.example/i.sh|bash", "curl | sh");
	expect_destructive("curl -s https://x.example/i | sudo bash -s", "curl | sh");
	expect_destructive("wget -qO- https://x.example/i | sh", "wget | sh");
}

/* The controls: lines that look alike and are harmless. */
static void test_harmless_look_alikes_are_not_destructive(void **state)
{
	(void)state;
	expect_harmless("SELECT * FROM users /* table */ WHERE id = 1;");
	expect_harmless("<div class=\"drop-down table\">");
	expect_harmless("find . -name '*.o' -print");
	expect_harmless("git push origin main");
	expect_harmless("git push origin a+b");
	expect_harmless("x = a  +  b");
	expect_harmless("curl -s https://api.example.com/v1 | jq .name");
	expect_harmless("curl -o install.sh https://x.example/i && shasum install.sh");
	expect_harmless("curl https://x.example | shasum -a 256");
	expect_harmless("delete_button.classList.add('btn-delete')");
}

static void test_destructive_many_kinds_and_protections(void **state)
{
	struct fixture *fx = *state;
	const char *path = "main.tf";

	line(fx, path, 1, "  prevent_destroy = false");
	line(fx, path, 2, "  \"deletionProtection\": false,");
	line(fx, path, 3, "kubectl delete ns prod && terraform destroy -auto-approve");
	line(fx, path, 4, "  prevent_destroy = true");
	assert_score(fx, 30, "+30 destructive operation added: prevent_destroy = false, "
		     "deletionprotection = false, kubectl delete, terraform destroy and 1 more (main.tf:1, 3 lines)");
}

static void test_quoted_false_disables_protection(void **state)
{
	struct fixture *fx = *state;

	line(fx, "values.yaml", 7, "  deletion_protection: \"false\"");
	assert_score(fx, 30, "+30 destructive operation added: deletion_protection = false (values.yaml:7)");
}

static void test_trojan_source_and_invisible_characters(void **state)
{
	struct fixture *fx = *state;
	const char *path = "src/access.c";

	/* the "commenting out" attack of CVE-2021-42574 */
	line(fx, path, 12, "/*\xe2\x80\xae } \xe2\x81\xa6if (isAdmin)\xe2\x81\xa9 \xe2\x81\xa6 begin admins only */");
	line(fx, path, 20, "int ok\xe2\x80\x8b = 1;");
	line(fx, path, 21, "int p\xd0\xb0ypal = 2;");
	line(fx, path, 22, "printf(\"\x1b[2J\");");
	assert_score(fx, 85,
		     "+40 Unicode bidi control in added lines (Trojan Source): U+202E RLO, U+2066 LRI, U+2069 PDI (src/access.c:12)\n"
		     "+20 invisible or look-alike space character in added lines: U+200B ZWSP (src/access.c:20)\n"
		     "+15 identifier mixes Latin with look-alike letters (src/access.c:21)\n"
		     "+10 terminal control characters in added lines: ^[ (src/access.c:22)");
}

static void test_secrets(void **state)
{
	struct fixture *fx = *state;
	const char *env = "config/.env", *py = "app/settings.py", *pem = "deploy/id_rsa.txt";

	line(fx, env, 1, "GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789");
	line(fx, env, 2, "AWS_ACCESS_KEY_ID=AKIAZ3MHQ5T7WJ2KXR4P");
	line(fx, py, 5, "PASSWORD = \"hunter2hunter2\"");
	line(fx, pem, 1, "-----BEGIN RSA PRIVATE KEY-----");
	assert_score(fx, 30, "+30 secret-looking string added: GitHub token, AWS access key id, "
		     "hard-coded credential, private key (config/.env:1, 4 lines)");
}

static void test_not_secrets(void **state)
{
	struct fixture *fx = *state;
	const char *path = "app/settings.py";

	line(fx, path, 1, "password = \"${DB_PASSWORD}\"");
	line(fx, path, 2, "password = \"short\"");
	line(fx, path, 3, "password = os.environ[\"PASSWORD\"]");
	line(fx, path, 4, "token = ghp_tooshort");
	line(fx, path, 5, "AKIA_NOT_A_KEY");
	assert_score(fx, 0, "");
}

static void test_placeholders_examples_and_variable_names_are_not_secrets(void **state)
{
	struct fixture *fx = *state;
	const char *path = "app/settings.py";

	line(fx, path, 1, "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE");   /* AWS's documented example */
	line(fx, path, 2, "password = \"DB_PASSWORD\"");             /* a variable's name */
	line(fx, path, 3, "api_key = \"your_api_key_here\"");
	line(fx, path, 4, "secret = \"xxxxxxxxxxxx\"");
	line(fx, path, 5, "password = \"aaaaaaaaaaaa\"");             /* no variety */
	line(fx, path, 6, "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	line(fx, path, 7, "token: ghp_000000000000000000000000000000000000");
	line(fx, path, 8, "client_secret = \"<CLIENT_SECRET>\"");
	assert_score(fx, 0, "");
	/* the same shapes with real variety are secrets */
	line(fx, path, 9, "token: ghp_8fK2mQ9xLr4TzW1vBn7YcH3sJd6GpA0eUo5i");
	assert_score(fx, 30, "+30 secret-looking string added: GitHub token (app/settings.py:9)");
}

static void test_metadata_controls_and_notes(void **state)
{
	struct fixture *fx = *state;
	static const char msg[] = "Fix\x1b[2J the build\n\nok\ttabs and newlines are fine\n";

	risk_scan_meta(&fx->f, "commit message", msg, sizeof(msg) - 1);
	risk_note(&fx->f, RISK_EXECUTABLE, "tools/run");
	risk_note(&fx->f, RISK_EXECUTABLE, "tools/build");
	risk_note(&fx->f, RISK_BINARY, "logo.png");
	risk_note(&fx->f, RISK_SUBMODULE, "vendor/lib");
	assert_score(fx, 50,
		     "+20 control or bidi character in commit message or file name: U+001B (commit message)\n"
		     "+10 file made executable (tools/run, 2 files)\n"
		     "+10 binary file changed (logo.png)\n"
		     "+10 submodule pointer changed (vendor/lib)");
}

static void test_file_name_with_bidi(void **state)
{
	struct fixture *fx = *state;
	static const char clean[] = "Fix the build\n\nBody\twith tab\r\n";

	risk_scan_meta(&fx->f, "commit message", clean, sizeof(clean) - 1);
	assert_score(fx, 0, "");
	risk_scan_path(&fx->f, &fx->rules, "docs/\xe2\x80\xaetxt.exe");
	assert_score(fx, 20, "+20 control or bidi character in commit message or file name: "
		     "U+202E RLO (docs/\xe2\x80\xaetxt.exe)");
}

static void test_long_lines_and_risk_patterns(void **state)
{
	struct fixture *fx = *state;
	struct strvec patterns = STRVEC_INIT;
	struct strbuf fp = STRBUF_INIT;
	char longline[1002];

	risk_rules_release(&fx->rules);
	strvec_pushl(&patterns, "eval\\(", "^import pickle", NULL);
	assert_int_equal(risk_rules_init(&fx->rules, NULL, &patterns), 0);
	strvec_clear(&patterns);
	memset(longline, 'x', 1001);
	longline[1001] = '\0';
	line(fx, "dist/app.js", 1, longline);
	line(fx, "po/de.po", 1, longline);  /* a translation: prose, not code to review */
	memset(longline, 'x', 1000);
	longline[1000] = '\0';
	line(fx, "dist/app.js", 2, longline);  /* exactly 1000: fine */
	line(fx, "app.py", 4, "result = EVAL(user_input)");
	line(fx, "app.py", 5, "  import pickle");
	assert_score(fx, 30,
		     "+20 risky pattern (revq.riskPattern) added: eval\\( (app.py:4)\n"
		     "+10 added line too long to review (minified or generated?): 1001 bytes (dist/app.js:1)");
	risk_rules_fingerprint(&fp, &fx->rules);
	assert_string_equal(fp.buf, "risk-v4\npattern eval\\(\npattern ^import pickle");
	strbuf_release(&fp);
}

static double seconds_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void use_patterns(struct fixture *fx, const char *first, const char *second)
{
	struct strvec patterns = STRVEC_INIT;

	risk_rules_release(&fx->rules);
	strvec_pushl(&patterns, first, second, NULL);
	assert_int_equal(risk_rules_init(&fx->rules, NULL, &patterns), 0);
	strvec_clear(&patterns);
}

/* glibc's regexec() is quadratic on this; it took a minute. */
static void test_a_risk_pattern_on_a_200_kb_line_finishes_in_under_a_second(void **state)
{
	struct fixture *fx = *state;
	static const char unit[] = "evaldecodx";
	size_t n = 200 * 1024;
	char *text = xmalloc(n + 64);
	double start;

	use_patterns(fx, "eval.*decode", NULL);
	for (size_t i = 0; i < n; i++)
		text[i] = unit[i % (sizeof(unit) - 1)];
	start = seconds_now();
	risk_scan_line(&fx->f, &fx->rules, "app.js", 1, text, n);
	if (seconds_now() - start > 1.0)
		fail_msg("a 200 KB line took %.1f s", seconds_now() - start);
	assert_int_equal(fx->f.signals[RISK_PATTERN].count, 0);
	/* The control: the pattern still sees the whole line, to its last bytes. */
	strcpy(text + n, " eval(atob(x)); decode()");
	start = seconds_now();
	risk_scan_line(&fx->f, &fx->rules, "app.js", 2, text, strlen(text));
	if (seconds_now() - start > 1.0)
		fail_msg("a 200 KB line took %.1f s", seconds_now() - start);
	assert_int_equal(fx->f.signals[RISK_PATTERN].count, 1);
	assert_int_equal(fx->f.signals[RISK_PATTERN].line, 2);
	free(text);
}

static void test_a_nul_or_invalid_byte_does_not_hide_the_rest_of_a_line(void **state)
{
	struct fixture *fx = *state;
	static const char with_nul[] = "x = 1;\0 eval(payload)";
	static const char with_bad_byte[] = "eval\xff(base64.decode(payload))";

	use_patterns(fx, "eval\\(", "eval.*decode");
	risk_scan_line(&fx->f, &fx->rules, "a.py", 1, with_nul, sizeof(with_nul) - 1);
	assert_int_equal(fx->f.signals[RISK_PATTERN].count, 1);
	assert_string_equal(fx->f.signals[RISK_PATTERN].what.v[0], "eval\\(");
	risk_scan_line(&fx->f, &fx->rules, "a.py", 2, with_bad_byte, sizeof(with_bad_byte) - 1);
	assert_int_equal(fx->f.signals[RISK_PATTERN].count, 2);
	assert_string_equal(fx->f.signals[RISK_PATTERN].what.v[1], "eval.*decode");
	/* The control: a harmless line with a NUL matches nothing. */
	line(fx, "a.py", 3, "value = 1");
	risk_scan_line(&fx->f, &fx->rules, "a.py", 4, "ok\0fine", 7);
	assert_int_equal(fx->f.signals[RISK_PATTERN].count, 2);
}

/* Matching in one pass (pattern.h) cannot keep these meanings: refused, never misread. */
static void test_patterns_with_back_references_or_a_stray_parenthesis_are_refused(void **state)
{
	struct fixture *fx = *state;
	struct strvec patterns = STRVEC_INIT;

	risk_rules_release(&fx->rules);
	strvec_push(&patterns, "(a)\\1");
	assert_int_equal(risk_rules_init(&fx->rules, NULL, &patterns), REVQ_ERROR);
	assert_contains(error_last(), "back-references are not supported");
	strvec_clear(&patterns);
	strvec_push(&patterns, "a)|(b");
	assert_int_equal(risk_rules_init(&fx->rules, NULL, &patterns), REVQ_ERROR);
	strvec_clear(&patterns);
	strvec_push(&patterns, "x)y");
	assert_int_equal(risk_rules_init(&fx->rules, NULL, &patterns), REVQ_ERROR);
	assert_contains(error_last(), "unmatched ')'");
	strvec_clear(&patterns);
	/* The controls: parentheses in classes and escaped ones, alternation, anchors. */
	strvec_pushl(&patterns, "[()]x", "\\)y", "^(rm|del) ", "exec\\($", "[[:digit:]]{3}z", NULL);
	assert_int_equal(risk_rules_init(&fx->rules, NULL, &patterns), 0);
	strvec_clear(&patterns);
	line(fx, "a", 1, "a = (x");
	line(fx, "a", 2, "b = )y");
	line(fx, "a", 3, "del everything");
	line(fx, "a", 4, "x = exec(");
	line(fx, "a", 5, "123z");
	line(fx, "a", 6, "x del y exec( 12z");   /* no anchored or complete match */
	assert_int_equal(fx->f.signals[RISK_PATTERN].count, 5);
}

static void test_a_sensitive_path_glob_too_long_to_match_is_an_error(void **state)
{
	struct fixture *fx = *state;
	struct strvec globs = STRVEC_INIT;
	char *huge = xmalloc(5001);

	memset(huge, 'a', 5000);
	huge[5000] = '\0';
	risk_rules_release(&fx->rules);
	strvec_pushl(&globs, "billing/", huge, NULL);
	assert_int_equal(risk_rules_init(&fx->rules, &globs, NULL), REVQ_ERROR);
	assert_contains(error_last(), "the glob is longer than 4096 bytes");
	strvec_clear(&globs);
	free(huge);
	assert_int_equal(risk_rules_init(&fx->rules, NULL, NULL), 0);
}

static void test_bad_risk_pattern_is_an_error(void **state)
{
	struct fixture *fx = *state;
	struct strvec patterns = STRVEC_INIT;

	risk_rules_release(&fx->rules);
	strvec_pushl(&patterns, "ok", "[unclosed", NULL);
	assert_int_equal(risk_rules_init(&fx->rules, NULL, &patterns), REVQ_ERROR);
	assert_contains(error_last(), "bad revq.riskPattern '[unclosed': ");
	assert_int_equal(fx->rules.patterns.nr, 0);
	strvec_clear(&patterns);
}

/* Everything at once: bounded by 100, reasons still all listed, and stable. */
static void test_content_signals_in_tests_docs_and_translations_do_not_count(void **state)
{
	struct fixture *fx = *state;

	line(fx, "tests/t0001-basic.sh", 10, "\trm -rf \"$TMPDIR/work\"");
	line(fx, "po/fr.po", 3, "msgstr \"forcer la mise \xc3\xa0 jour\xc2\xa0: --force\"");
	line(fx, "docs/guide.md", 7, "Run `terraform destroy` to tear it down.");
	line(fx, "vendor/lib/x.c", 1, "system(\"rm -rf /\");");
	line(fx, "tests/fixtures/creds.env", 1, "GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789");
	line(fx, "Dockerfile", 4, "RUN apt-get update && rm -rf /var/lib/apt/lists/*");
	line(fx, "Dockerfile", 5, "    && rm   -rf /var/lib/apt/lists/*");
	assert_score(fx, 0, "");
	/* the same lines in code count */
	line(fx, "deploy/clean.sh", 2, "rm -rf \"$TMPDIR/work\"");
	line(fx, "Dockerfile", 6, "RUN rm -rf /srv/data");
	assert_score(fx, 30, "+30 destructive operation added: rm -rf (deploy/clean.sh:2, 2 lines)");
}

static void test_trojan_source_in_a_test_still_counts(void **state)
{
	struct fixture *fx = *state;

	line(fx, "tests/test_access.py", 3, "if user != \"admin\xe2\x80\xae \xe2\x81\xa6\": # check");
	assert_score(fx, 40, "+40 Unicode bidi control in added lines (Trojan Source): U+202E RLO, "
		     "U+2066 LRI (tests/test_access.py:3)");
}

static void test_risk_ignore_and_weights_are_configured(void **state)
{
	struct fixture *fx = *state;
	struct strvec ignore = STRVEC_INIT, weights = STRVEC_INIT;
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;

	risk_rules_fingerprint(&before, &fx->rules);
	strvec_push(&ignore, "scripts/cleanup/**");
	strvec_pushl(&weights, "ci=0", "Size=2", "executable=35", NULL);
	assert_int_equal(risk_rules_configure(&fx->rules, &ignore, &weights), 0);
	risk_rules_fingerprint(&after, &fx->rules);
	assert_string_equal(before.buf, "risk-v4");
	assert_string_equal(after.buf, "risk-v4\nignore scripts/cleanup/**\nweight executable=35\n"
			    "weight ci=0\nweight size=2");
	line(fx, "scripts/cleanup/run.sh", 1, "rm -rf build");
	risk_scan_path(&fx->f, &fx->rules, ".github/workflows/ci.yml");
	risk_note(&fx->f, RISK_EXECUTABLE, "scripts/cleanup/run.sh");
	fx->totals = (struct risk_totals){ .files = 2, .added = 8, .dirs = 2 };
	strvec_clear(&fx->reasons);
	assert_int_equal(risk_score_rules(&fx->reasons, NULL, NULL, &fx->f, &fx->totals, &fx->rules), 43);
	assert_string_equal(fx->reasons.v[0], "+35 file made executable (scripts/cleanup/run.sh)");
	assert_string_equal(fx->reasons.v[1], "+8 size: 8 lines added");
	assert_int_equal(fx->reasons.nr, 2);
	strvec_clear(&weights);
	strvec_push(&weights, "no-such-signal=3");
	assert_int_equal(risk_rules_configure(&fx->rules, NULL, &weights), REVQ_ERROR);
	assert_contains(error_last(), "unknown revq.riskWeight.no-such-signal");
	strvec_clear(&weights);
	strvec_push(&weights, "ci=lots");
	assert_int_equal(risk_rules_configure(&fx->rules, NULL, &weights), REVQ_ERROR);
	strvec_clear(&weights);
	strvec_clear(&ignore);
	strbuf_release(&before);
	strbuf_release(&after);
}

static void test_structured_reasons_name_signal_points_path_and_line(void **state)
{
	struct fixture *fx = *state;
	struct risk_reason *detail;
	size_t nr;

	line(fx, "src/a.c", 12, "printf(\"\xe2\x80\xae\");");
	fx->totals = (struct risk_totals){ .files = 1, .added = 1, .dirs = 1 };
	assert_int_equal(risk_score_rules(NULL, &detail, &nr, &fx->f, &fx->totals, &fx->rules), 44);
	assert_int_equal(nr, 2);
	assert_string_equal(detail[0].signal, "bidi");
	assert_int_equal(detail[0].points, 40);
	assert_string_equal(detail[0].path, "src/a.c");
	assert_int_equal(detail[0].line, 12);
	assert_string_equal(detail[0].text, "Unicode bidi control in added lines (Trojan Source): U+202E RLO (src/a.c:12)");
	assert_string_equal(detail[1].signal, "size");
	assert_null(detail[1].path);
	assert_int_equal(detail[1].line, 0);
	risk_reasons_free(detail, nr);
}

/* The history reasons of h with the fixture's rules: "+N text|signal|path;" each. */
static void history_reasons(struct strbuf *out, const struct fixture *fx, const struct risk_history *h)
{
	struct risk_reason r[RISK_HISTORY_REASONS];
	size_t nr = risk_history_score(r, h, &fx->rules);

	strbuf_reset(out);
	for (size_t i = 0; i < nr; i++) {
		strbuf_addf(out, "+%d %s|%s|%s;", r[i].points, r[i].text, r[i].signal, r[i].path ? r[i].path : "");
		free(r[i].path);
		free(r[i].text);
	}
}

static void test_history_scores_fixes_per_doubling_and_names_the_files(void **state)
{
	struct fixture *fx = *state;
	struct strvec weights = STRVEC_INIT;
	struct strbuf got = STRBUF_INIT;
	struct risk_history h = { 0 };

	/* Never fixed, a regular author: nothing. */
	history_reasons(&got, fx, &h);
	assert_string_equal(got.buf, "");
	/* One fix with a Fixes: trailer (2 units): 2 points; three: 4. */
	h = (struct risk_history){ .fixes = 1, .units = 2, .paths = { "lib/foo.c" }, .counts = { 1 } };
	history_reasons(&got, fx, &h);
	assert_string_equal(got.buf, "+2 file fixed 1 time in the last year: lib/foo.c|fix-history|lib/foo.c;");
	h.fixes = 3;
	h.units = 6;
	h.counts[0] = 3;
	history_reasons(&got, fx, &h);
	assert_string_equal(got.buf, "+4 file fixed 3 times in the last year: lib/foo.c|fix-history|lib/foo.c;");
	/* A lone "fix" subject is half a fix: 1 point. */
	h = (struct risk_history){ .fixes = 1, .units = 1, .paths = { "a.c" }, .counts = { 1 } };
	history_reasons(&got, fx, &h);
	assert_string_equal(got.buf, "+1 file fixed 1 time in the last year: a.c|fix-history|a.c;");
	/* Capped at 6, the most fixed files first with their counts. */
	h = (struct risk_history){ .fixes = 40, .units = 80, .paths = { "a.c", "b.c", "c.c" },
				   .counts = { 30, 9, 4 }, .more_paths = 2 };
	history_reasons(&got, fx, &h);
	assert_string_equal(got.buf, "+6 files fixed 40 times in the last year: a.c (30), b.c (9), c.c (4) "
			    "and 2 more|fix-history|a.c;");
	/* A new author counts only when revq.riskWeight.new-author gives it points. */
	h = (struct risk_history){ .new_author = 1, .author = "new@example.org" };
	history_reasons(&got, fx, &h);
	assert_string_equal(got.buf, "");
	strvec_pushl(&weights, "new-author=3", "fix-history=4", NULL);
	assert_int_equal(risk_rules_configure(&fx->rules, NULL, &weights), 0);
	history_reasons(&got, fx, &h);
	assert_string_equal(got.buf, "+3 new author: no earlier commit by new@example.org in the last year|new-author|;");
	/* The weight is the points per doubling, and the cap scales with it. */
	h = (struct risk_history){ .fixes = 40, .units = 80, .paths = { "a.c" }, .counts = { 40 } };
	history_reasons(&got, fx, &h);
	assert_string_equal(got.buf, "+12 file fixed 40 times in the last year: a.c|fix-history|a.c;");
	strvec_clear(&weights);
	strbuf_release(&got);
}

static void fill_everything(struct fixture *fx)
{
	const char *path = "infra/run.sh";

	risk_scan_path(&fx->f, &fx->rules, path);
	risk_scan_path(&fx->f, &fx->rules, ".github/workflows/x.yml");
	line(fx, path, 1, "rm -rf / \xe2\x80\xae password=\"abcdefghijk\"");
	line(fx, path, 2, "\xe2\x80\x8b\x1b");
	risk_note(&fx->f, RISK_BINARY, "a.bin");
	fx->totals = (struct risk_totals){ .files = 200, .added = 5000, .deleted = 10 };
}

static void test_score_is_bounded_and_deterministic(void **state)
{
	struct fixture *fx = *state;
	struct fixture other;
	char *first, *second;
	int p1, p2;

	fill_everything(fx);
	first = score(fx, &p1);
	assert_int_equal(p1, 100);
	assert_int_equal(fx->reasons.nr, 10);
	/* highest points first, ties in a fixed order */
	assert_string_equal(fx->reasons.v[0], "+40 Unicode bidi control in added lines (Trojan Source): U+202E RLO (infra/run.sh:1)");
	for (size_t i = 1; i < fx->reasons.nr; i++) {
		int a = atoi(fx->reasons.v[i - 1] + 1), b = atoi(fx->reasons.v[i] + 1);

		assert_true(fx->reasons.v[i][0] == '+');
		assert_true(a >= b);
	}
	/* scoring twice gives the same */
	second = score(fx, &p2);
	assert_int_equal(p1, p2);
	assert_string_equal(first, second);
	free(second);
	/* and so do the same findings collected again */
	memset(&other, 0, sizeof(other));
	assert_int_equal(risk_rules_init(&other.rules, NULL, NULL), 0);
	risk_findings_init(&other.f);
	fill_everything(&other);
	second = score(&other, &p2);
	assert_int_equal(p2, 100);
	assert_string_equal(first, second);
	free(first);
	free(second);
	risk_rules_release(&other.rules);
	risk_findings_release(&other.f);
	strvec_clear(&other.reasons);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nothing_scores_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_size_is_four_points_per_doubling_of_lines_added, setup, teardown),
		cmocka_unit_test_setup_teardown(test_documentation_lines_count_a_quarter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deletions_are_not_risk_but_new_and_deleted_files_are, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sensitive_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_placeholders_examples_and_variable_names_are_not_secrets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_content_signals_in_tests_docs_and_translations_do_not_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trojan_source_in_a_test_still_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_risk_ignore_and_weights_are_configured, setup, teardown),
		cmocka_unit_test_setup_teardown(test_structured_reasons_name_signal_points_path_and_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_scores_fixes_per_doubling_and_names_the_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_category_counts_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_configured_sensitive_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_destructive_patterns, setup, teardown),
		cmocka_unit_test(test_destructive_spellings_with_odd_blanks_and_comments_are_found),
		cmocka_unit_test(test_missing_destructive_commands_are_found),
		cmocka_unit_test(test_harmless_look_alikes_are_not_destructive),
		cmocka_unit_test_setup_teardown(test_destructive_many_kinds_and_protections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quoted_false_disables_protection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trojan_source_and_invisible_characters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secrets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_secrets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_metadata_controls_and_notes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_name_with_bidi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_lines_and_risk_patterns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_sensitive_path_glob_too_long_to_match_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_risk_pattern_on_a_200_kb_line_finishes_in_under_a_second, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_nul_or_invalid_byte_does_not_hide_the_rest_of_a_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_patterns_with_back_references_or_a_stray_parenthesis_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_risk_pattern_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_score_is_bounded_and_deterministic, setup, teardown),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
