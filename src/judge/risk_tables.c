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
static const char *const auth_globs[] = {
	"**/auth/**", "**/security/**", "**/crypto/**", "**/oauth/**", "auth.*", "auth_*",
	"*_auth.*", "*-auth.*", "authn*", "authz*", "authentication*", "authorization*",
	"oauth*", "*login*", "*password*", "*passwd*", "*permission*", "*secret*",
	"*session*", "*token*", "*jwt*", "*saml*", "*rbac*", "*crypt*", "*.pem", "*.key",
	"sudoers", "**/.ssh/**", NULL };
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
	[RISK_CAT_INFRA] = { "infrastructure-as-code", 25, infra_globs },
	[RISK_CAT_POLICY] = { "review policy or code ownership", 25, policy_globs },
	[RISK_CAT_CI] = { "CI/CD workflow", 20, ci_globs },
	[RISK_CAT_MIGRATION] = { "database migration or SQL", 20, migration_globs },
	[RISK_CAT_AUTH] = { "authentication or security code", 20, auth_globs },
	[RISK_CAT_CONFIGURED] = { "sensitive path (revq.sensitivePath)", 20, NULL },
	[RISK_CAT_DEPENDENCY] = { "dependency manifest or lock file", 10, dependency_globs },
	[RISK_CAT_CONTAINER] = { "container image definition", 10, container_globs },
	[RISK_CAT_SHELL] = { "shell script", 10, shell_globs },
};

const struct risk_signal_rule risk_signals[RISK_SIGNAL_MAX] = {
	[RISK_BIDI] = { "Unicode bidi control in added lines (Trojan Source)", 40 },
	[RISK_DESTRUCTIVE] = { "destructive operation added", 30 },
	[RISK_SECRET] = { "secret-looking string added", 30 },
	[RISK_INVISIBLE] = { "invisible or look-alike space character in added lines", 20 },
	[RISK_PATTERN] = { "risky pattern (revq.riskPattern) added", 20 },
	[RISK_META] = { "control or bidi character in commit message or file name", 20 },
	[RISK_HOMOGLYPH] = { "identifier mixes Latin with look-alike letters", 15 },
	[RISK_CONTROL] = { "terminal control characters in added lines", 10 },
	[RISK_LONG_LINE] = { "added line too long to review (minified or generated?)", 10 },
	[RISK_EXECUTABLE] = { "file made executable", 10 },
	[RISK_BINARY] = { "binary file changed", 10 },
	[RISK_WIDE_TEXT] = { "UTF-16 or UTF-32 text (binary to git, scanned decoded)", 10 },
	[RISK_SUBMODULE] = { "submodule pointer changed", 10 },
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
