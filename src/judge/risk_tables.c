/*
 * risk_tables.c: the data of the risk model, apart from the scanner that
 * uses it (risk.c): which paths are infrastructure, CI, migrations and
 * the like, what each signal is worth and says, and the literal keywords
 * of destructive operations, disabled protections and secrets.  Why each
 * signal is here: REFERENCE section 2, and revq(1) RISK SCORE.
 */
#include "config.h"

#include <stddef.h>

#include "judge/risk_tables.h"
#include "base/strbuf.h"

static const char *const infra_globs[] = {
	"*.tf", "*.tfvars", "*.tfstate", "*.hcl", "*.bicep", "terraform/**", "infra/**",
	"infrastructure/**", "**/k8s/**", "**/kubernetes/**", "**/helm/**",
	"**/charts/**", "ansible/**", "**/cloudformation/**", "cdk/**", "pulumi/**",
	"Pulumi.yaml", "Pulumi.*.yaml", "serverless.yml", "kustomization.yaml",
	NULL };
static const char *const policy_globs[] = {
	".revq/**", "CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS",
	".gitattributes", ".gitmodules", ".github/dependabot.yml", NULL };
static const char *const ci_globs[] = {
	".github/workflows/**", ".github/actions/**", ".gitlab-ci.yml", ".gitlab/ci/**",
	".circleci/**", "Jenkinsfile", "*.jenkinsfile", ".travis.yml", "azure-pipelines.yml",
	".buildkite/**", "bitbucket-pipelines.yml", ".drone.yml", "cloudbuild.yaml",
	".ci/**", NULL };
static const char *const migration_globs[] = {
	"*.sql", "**/migrations/**", "**/migrate/**", "**/migration/**", "**/alembic/**",
	"**/flyway/**", "**/liquibase/**", "schema.rb", "structure.sql", "schema.prisma",
	NULL };
static const char *const dependency_globs[] = {
	"package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock",
	"pnpm-lock.yaml", "go.mod", "go.sum", "Cargo.toml", "Cargo.lock",
	"requirements*.txt", "Pipfile", "Pipfile.lock", "poetry.lock", "pyproject.toml",
	"setup.py", "Gemfile", "Gemfile.lock", "pom.xml", "build.gradle", "*.gradle.kts",
	"gradle.lockfile", "composer.json", "composer.lock", "*.csproj", "packages.config",
	"mix.exs", "mix.lock", "Package.swift", "Package.resolved", "Podfile.lock", NULL };
static const char *const container_globs[] = {
	"Dockerfile", "Dockerfile.*", "*.dockerfile", "Containerfile",
	"docker-compose*.yml", "docker-compose*.yaml", "compose.yml", "compose.yaml", NULL };
static const char *const shell_globs[] = {
	"*.sh", "*.bash", "*.zsh", "*.ksh", "*.ps1", NULL };

const struct risk_category_rule risk_categories[RISK_CAT_MAX] = {
	[RISK_CAT_INFRA] = { "infra", "infrastructure-as-code", 25, infra_globs },
	[RISK_CAT_POLICY] = { "policy", "review policy or code ownership", 25, policy_globs },
	[RISK_CAT_CI] = { "ci", "CI/CD workflow", 20, ci_globs },
	[RISK_CAT_MIGRATION] = { "migration", "database migration or SQL", 20, migration_globs },
	[RISK_CAT_CONFIGURED] = { "sensitive-path", "sensitive path (revq.sensitivePath)", 20, NULL },
	[RISK_CAT_DEPENDENCY] = { "dependency", "dependency manifest or lock file", 10, dependency_globs },
	[RISK_CAT_CONTAINER] = { "container", "container image definition", 10, container_globs },
	[RISK_CAT_SHELL] = { "shell", "shell script", 10, shell_globs },
};

#define CTX(x) (1u << RISK_CTX_##x)
/* Where content signals do not count: tests, docs, translations, ... */
#define NOT_CODE (CTX(TEST) | CTX(DOC) | CTX(TRANSLATION) | CTX(FIXTURE) | CTX(VENDORED) | \
		  CTX(GENERATED) | CTX(IGNORED))
/* Text for people: right-to-left marks and typographic spaces are normal there. */
#define PROSE (CTX(DOC) | CTX(TRANSLATION) | CTX(IGNORED))

const struct risk_signal_rule risk_signals[RISK_SIGNAL_MAX] = {
	[RISK_BIDI] = { "bidi", "Unicode bidi control in added lines (Trojan Source)", 40, PROSE },
	[RISK_DESTRUCTIVE] = { "destructive", "destructive operation added", 30, NOT_CODE },
	[RISK_SECRET] = { "secret", "secret-looking string added", 30,
			  CTX(TEST) | CTX(DOC) | CTX(TRANSLATION) | CTX(FIXTURE) | CTX(IGNORED) },
	[RISK_INVISIBLE] = { "invisible", "invisible or look-alike space character in added lines", 20,
			     NOT_CODE },
	[RISK_PATTERN] = { "pattern", "risky pattern (revq.riskPattern) added", 20, CTX(IGNORED) },
	[RISK_META] = { "meta", "control or bidi character in commit message or file name", 20, 0 },
	[RISK_HOMOGLYPH] = { "homoglyph", "identifier mixes Latin with look-alike letters", 15, NOT_CODE },
	[RISK_CONTROL] = { "control", "terminal control characters in added lines", 10, NOT_CODE },
	/* A minified bundle is what this is for: it counts in generated and vendored files. */
	[RISK_LONG_LINE] = { "long-line", "added line too long to review (minified or generated?)", 10,
			     CTX(DOC) | CTX(TRANSLATION) | CTX(FIXTURE) | CTX(IGNORED) },
	[RISK_EXECUTABLE] = { "executable", "file made executable", 10, 0 },
	[RISK_BINARY] = { "binary", "binary file changed", 10, CTX(DOC) | CTX(TEST) | CTX(FIXTURE) },
	[RISK_WIDE_TEXT] = { "wide-text", "UTF-16 or UTF-32 text (binary to git, scanned decoded)", 10, 0 },
	[RISK_SUBMODULE] = { "submodule", "submodule pointer changed", 10, 0 },
};

/* Size by lines added (LApredict), spread, new and deleted files: per doubling. */
const struct risk_term_rule risk_terms[RISK_TERM_MAX] = {
	[RISK_TERM_SIZE] = { "size", 4, 1, 40 },
	[RISK_TERM_SPREAD] = { "spread", 0, 2, 15 },
	[RISK_TERM_NEW_FILES] = { "new-files", 3, 1, 10 },
	[RISK_TERM_DELETED_FILES] = { "deleted-files", 5, 1, 5 },
	/*
	 * Measured on bench/risk (bench/README): files fixed often in the
	 * year before are fixed again.  2 points for one fix with a Fixes:
	 * trailer or a revert (a "fix" subject counts half), 4 for three,
	 * capped at 6.  An author new there ranked no defect better and cost
	 * recall at 1 or 2 points on every project: off unless
	 * revq.riskWeight.new-author gives it points (as spread).
	 */
	[RISK_TERM_FIX_HISTORY] = { "fix-history", 2, 2, 6 },
	[RISK_TERM_NEW_AUTHOR] = { "new-author", 0, 1, 0 },
};

static const char *const test_globs[] = {
	"test/**", "tests/**", "**/test/**", "**/tests/**", "testing/**", "**/testing/**",
	"spec/**", "**/spec/**", "**/__tests__/**", "*_test.*", "*_tests.*", "test_*", "*.test.*",
	"*.spec.*", "*Test.java", "*Tests.cs", NULL };
static const char *const doc_globs[] = {
	"doc/**", "docs/**", "**/doc/**", "**/docs/**", "Documentation/**", "man/**", "**/man/**",
	"*.md", "*.markdown", "*.rst", "*.adoc", "*.asciidoc", "*.texi", "*.pod",
	"README*", "NEWS*", "ChangeLog*", "CHANGELOG*", NULL };
static const char *const translation_globs[] = {
	"*.po", "*.pot", "po/**", "**/po/**", "**/locale/**", "**/locales/**", "**/i18n/**",
	"*.xliff", "*.xlf", NULL };
static const char *const fixture_globs[] = {
	"**/fixtures/**", "**/fixture/**", "**/testdata/**", "**/test-data/**", "**/__fixtures__/**",
	"**/golden/**", "**/snapshots/**", "**/__snapshots__/**", NULL };
static const char *const vendored_globs[] = {
	"vendor/**", "**/vendor/**", "third_party/**", "**/third_party/**", "third-party/**",
	"**/third-party/**", "node_modules/**", "**/node_modules/**", NULL };
static const char *const generated_globs[] = {
	"*.min.js", "*.min.css", "*.map", "*.pb.go", "*_pb2.py", "*.pb.h", "*.pb.cc",
	"*.generated.*", "*_generated.*", "package-lock.json", "yarn.lock", "pnpm-lock.yaml",
	"Cargo.lock", "go.sum", "poetry.lock", "Gemfile.lock", "composer.lock", NULL };

const char *const *const risk_context_globs[RISK_CTX_MAX] = {
	[RISK_CTX_TEST] = test_globs,
	[RISK_CTX_DOC] = doc_globs,
	[RISK_CTX_TRANSLATION] = translation_globs,
	[RISK_CTX_FIXTURE] = fixture_globs,
	[RISK_CTX_VENDORED] = vendored_globs,
	[RISK_CTX_GENERATED] = generated_globs,
};

/* Destructive operations, matched case-insensitively (lower case here). */
const char *const risk_destructive[] = {
	"rm -rf", "rm -fr", "rm -r -f", "rm --recursive --force", "drop table",
	"drop database", "drop schema", "drop column", "drop index", "truncate table",
	"terraform destroy", "destroy -auto-approve", "destroy --auto-approve", "apply -destroy",
	"force_destroy", "--force", "push -f ", "reset --hard",
	"clean -fdx", "--no-verify", "deletestack", "delete-stack", "kubectl delete",
	"helm uninstall", "helm delete", "aws s3 rb", "aws s3 rm", "gsutil rm",
	"az group delete", "gcloud projects delete", "mkfs", "dd if=", "chmod 777",
	"chmod -r 777", "shred ", ":(){", "dropdatabase", "deleteitem", "deletebucket",
	"--purge", "--delete-data"
};

/* Protective settings turned off: "key = false" in any spacing. */
const char *const risk_protections[] = {
	"prevent_destroy", "deletion_protection", "deletionprotection",
	"termination_protection"
};

const size_t risk_destructive_nr = ARRAY_SIZE(risk_destructive);
const size_t risk_protections_nr = ARRAY_SIZE(risk_protections);

const struct risk_token_rule risk_tokens[] = {
	{ "ghp_", 30, "GitHub token" }, { "gho_", 30, "GitHub token" },
	{ "ghu_", 30, "GitHub token" }, { "ghs_", 30, "GitHub token" },
	{ "github_pat_", 22, "GitHub token" }, { "glpat-", 20, "GitLab token" },
	{ "xoxb-", 10, "Slack token" }, { "xoxp-", 10, "Slack token" },
	{ "xoxa-", 10, "Slack token" }, { "sk_live_", 16, "Stripe key" },
	{ "rk_live_", 16, "Stripe key" }, { "sk-ant-", 20, "Anthropic API key" },
	{ "sk-proj-", 20, "OpenAI API key" }, { "aiza", 35, "Google API key" },
};

const char *const risk_secret_words[] = {
	"password", "passwd", "secret", "api_key", "apikey", "api-key", "access_token",
	"auth_token", "private_key", "client_secret"
};

const size_t risk_tokens_nr = ARRAY_SIZE(risk_tokens);
const size_t risk_secret_words_nr = ARRAY_SIZE(risk_secret_words);
