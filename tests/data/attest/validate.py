#!/usr/bin/env python3
# validate.py: checks `revq attest` output (JSON lines on stdin) against
# the schemas beside it.  Each line is an in-toto Statement v1, or a DSSE
# envelope whose payload is one (then the envelope is checked too); the
# Statement is checked against the schema of its predicateType.  Prints
# one line per problem and exits 1 on any; exits 2 when the jsonschema
# module is missing, so that the caller fails rather than skips.
import base64
import json
import os
import sys

try:
    import jsonschema
    import referencing
except ImportError as e:
    print("validate.py: python3 module jsonschema is missing (Debian: python3-jsonschema): %s" % e)
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
BY_TYPE = {
    "https://revq.dev/review/v1": "revq-review-v1.schema.json",
    "https://slsa.dev/verification_summary/v1": "slsa-vsa-v1.schema.json",
}


def load_registry():
    resources = []
    schemas = {}
    for name in os.listdir(HERE):
        if name.endswith(".schema.json"):
            with open(os.path.join(HERE, name)) as f:
                schema = json.load(f)
            schemas[name] = schema
            resources.append((schema["$id"], referencing.Resource.from_contents(schema)))
    return schemas, referencing.Registry().with_resources(resources)


def check(schemas, registry, name, instance, where, problems):
    validator = jsonschema.Draft202012Validator(schemas[name], registry=registry,
                                                format_checker=jsonschema.FormatChecker())
    for error in validator.iter_errors(instance):
        problems.append("%s: %s at %s: %s" % (where, name, "/".join(map(str, error.absolute_path)) or "(top)",
                                              error.message))


def main():
    schemas, registry = load_registry()
    for name in schemas.values():
        jsonschema.Draft202012Validator.check_schema(name)
    problems = []
    count = 0
    for number, line in enumerate(sys.stdin, 1):
        where = "line %d" % number
        count += 1
        try:
            doc = json.loads(line)
        except ValueError as e:
            problems.append("%s: not JSON: %s" % (where, e))
            continue
        if isinstance(doc, dict) and "payloadType" in doc:
            check(schemas, registry, "dsse-envelope-v1.schema.json", doc, where, problems)
            try:
                doc = json.loads(base64.b64decode(doc["payload"], validate=True))
            except (ValueError, KeyError, TypeError) as e:
                problems.append("%s: the payload is not a base64 JSON document: %s" % (where, e))
                continue
        check(schemas, registry, "in-toto-statement-v1.schema.json", doc, where, problems)
        kind = BY_TYPE.get(doc.get("predicateType") if isinstance(doc, dict) else None)
        if kind is None:
            problems.append("%s: unknown predicateType" % where)
        else:
            check(schemas, registry, kind, doc, where, problems)
    for p in problems:
        print(p)
    print("validate.py: %d line%s, %d problem%s" % (count, "" if count == 1 else "s",
                                                   len(problems), "" if len(problems) == 1 else "s"))
    sys.exit(1 if problems else 0)


main()
