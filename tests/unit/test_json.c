/*
 * test_json.c: the JSON writer (json.h, escaping in
 * json.c) and the shared presentation helpers (format.h).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "testlib.h"
#include "show/format.h"
#include "show/json.h"
#include "base/utf8.h"

struct fixture {
	struct strbuf out;
	struct json j;
};

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));

	strbuf_init(&fx->out, 0);
	assert_int_equal(json_init(&fx->j, &fx->out, 0), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	json_release(&fx->j);
	strbuf_release(&fx->out);
	free(fx);
	return 0;
}

/* The JSON of one string value at the top level. */
static const char *quote(struct fixture *fx, const char *s, size_t len)
{
	strbuf_reset(&fx->out);
	json_string_len(&fx->j, NULL, s, len);
	return fx->out.buf;
}

#define assert_quotes(fx, literal, expected) \
	assert_string_equal(quote((fx), (literal), sizeof(literal) - 1), (expected))

/*
 * An independent RFC 8259 string parser: decodes the JSON string at s
 * into out; returns the bytes used, or 0 when it is not a valid string.
 */
static size_t parse_json_string(const char *s, size_t len, struct strbuf *out)
{
	size_t i = 1;

	if (!len || s[0] != '"')
		return 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		int32_t cp;
		size_t n;

		if (c == '"')
			return i + 1;
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			if (i + 1 >= len)
				return 0;
			switch (s[i + 1]) {
			case '"': strbuf_addch(out, '"'); break;
			case '\\': strbuf_addch(out, '\\'); break;
			case '/': strbuf_addch(out, '/'); break;
			case 'b': strbuf_addch(out, '\b'); break;
			case 'f': strbuf_addch(out, '\f'); break;
			case 'n': strbuf_addch(out, '\n'); break;
			case 'r': strbuf_addch(out, '\r'); break;
			case 't': strbuf_addch(out, '\t'); break;
			case 'u': {
				unsigned v = 0;

				if (i + 6 > len)
					return 0;
				for (int k = 2; k < 6; k++) {
					char h = s[i + k];

					v <<= 4;
					if (h >= '0' && h <= '9') v |= (unsigned)(h - '0');
					else if (h >= 'a' && h <= 'f') v |= (unsigned)(h - 'a' + 10);
					else if (h >= 'A' && h <= 'F') v |= (unsigned)(h - 'A' + 10);
					else return 0;
				}
				if (v >= 0xd800 && v <= 0xdfff)
					return 0;   /* revq never needs surrogate pairs */
				if (v == 0)
					strbuf_addch(out, '\0');
				else
					utf8_encode(out, (int32_t)v);
				i += 6;
				continue;
			}
			default: return 0;
			}
			i += 2;
			continue;
		}
		n = utf8_decode(&cp, s + i, len - i);
		if (cp == UTF8_INVALID)
			return 0;
		strbuf_add(out, s + i, n);
		i += n;
	}
	return 0;
}

static void test_quotes_and_backslashes(void **state)
{
	struct fixture *fx = *state;

	assert_quotes(fx, "plain", "\"plain\"");
	assert_quotes(fx, "", "\"\"");
	assert_quotes(fx, "He said \"hi\" \\o/", "\"He said \\\"hi\\\" \\\\o/\"");
	assert_quotes(fx, "caf\xc3\xa9 \xe6\x97\xa5", "\"caf\xc3\xa9 \xe6\x97\xa5\"");
}

static void test_control_characters_are_escaped(void **state)
{
	struct fixture *fx = *state;

	assert_quotes(fx, "\n\t\r\b\f", "\"\\n\\t\\r\\b\\f\"");
	assert_quotes(fx, "\x01\x1b[31m\x1f", "\"\\u0001\\u001b[31m\\u001f\"");
	assert_quotes(fx, "a\0b", "\"a\\u0000b\"");
	/* DEL and C1 are legal in JSON, but U+009B is a one-byte CSI to some terminals */
	assert_quotes(fx, "\x7f\xc2\x9b\xc2\x80\xc2\x9f", "\"\\u007f\\u009b\\u0080\\u009f\"");
	/* U+2028 and U+2029 end a line in JavaScript */
	assert_quotes(fx, "a\xe2\x80\xa8" "b\xe2\x80\xa9", "\"a\\u2028b\\u2029\"");
	/* their neighbours and U+00A0 stay as they are */
	assert_quotes(fx, "\xc2\xa0\xe2\x80\xa7", "\"\xc2\xa0\xe2\x80\xa7\"");
	assert_true(tl_json_valid(quote(fx, "\x01\x1b[31m\x1f", 6)));
}

static void test_invalid_utf8_becomes_replacement_character(void **state)
{
	struct fixture *fx = *state;

	assert_quotes(fx, "caf\xe9", "\"caf\xef\xbf\xbd\"");
	assert_quotes(fx, "\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	assert_quotes(fx, "\xed\xa0\x80!", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd!\"");
	assert_quotes(fx, "\"\xff\"", "\"\\\"\xef\xbf\xbd\\\"\"");
	assert_true(tl_json_valid(quote(fx, "\xff\xfe\x80", 3)));
}

static void test_property_any_bytes_give_valid_json(void **state)
{
	struct fixture *fx = *state;
	struct strbuf decoded = STRBUF_INIT, expected = STRBUF_INIT;
	uint32_t seed = 42;
	char buf[64];

	for (int iter = 0; iter < 20000; iter++) {
		size_t len = (seed = seed * 1664525u + 1013904223u) >> 27;
		const char *json;

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1664525u + 1013904223u;
			/* favour the interesting bytes */
			buf[i] = (char)((seed >> 24) % 3 == 0 ? (seed >> 8) % 0x22 : (seed >> 8) & 0xff);
		}
		json = quote(fx, buf, len);
		strbuf_reset(&decoded);
		if (parse_json_string(json, fx->out.len, &decoded) != fx->out.len)
			fail_msg("iteration %d: not one valid JSON string: %s", iter, json);
		/* and it says what the input said, with U+FFFD for bad bytes */
		strbuf_reset(&expected);
		utf8_sanitize(&expected, buf, len);
		assert_int_equal(decoded.len, expected.len);
		assert_memory_equal(decoded.buf, expected.buf, expected.len);
		if (iter % 1000 == 0)
			assert_true(tl_json_valid(json));
	}
	strbuf_release(&decoded);
	strbuf_release(&expected);
}

static void test_compact_structure(void **state)
{
	struct fixture *fx = *state;
	struct strvec sv = STRVEC_INIT;

	strvec_pushl(&sv, "x", "y\"", NULL);
	json_object_begin(&fx->j, NULL);
	json_int(&fx->j, "n", -9007199254740993LL);
	json_string(&fx->j, "s", NULL);
	json_bool(&fx->j, "t", 1);
	json_bool(&fx->j, "f", 0);
	json_null(&fx->j, "z");
	json_array_begin(&fx->j, "empty");
	json_array_end(&fx->j);
	json_object_begin(&fx->j, "obj");
	json_object_end(&fx->j);
	json_strvec(&fx->j, "list", &sv);
	json_array_begin(&fx->j, "nested");
	json_array_begin(&fx->j, NULL);
	json_int(&fx->j, NULL, 1);
	json_int(&fx->j, NULL, 2);
	json_array_end(&fx->j);
	json_object_begin(&fx->j, NULL);
	json_string(&fx->j, "k", "v");
	json_object_end(&fx->j);
	json_array_end(&fx->j);
	json_object_end(&fx->j);
	assert_string_equal(fx->out.buf,
			    "{\"n\":-9007199254740993,\"s\":null,\"t\":true,\"f\":false,\"z\":null,"
			    "\"empty\":[],\"obj\":{},\"list\":[\"x\",\"y\\\"\"],\"nested\":[[1,2],{\"k\":\"v\"}]}");
	assert_true(tl_json_valid(fx->out.buf));
	assert_json_text(fx->out.buf, "$.list[1]", "y\"");
	assert_int_equal(tl_json_int(fx->out.buf, "$.nested[0][1]"), 2);
	strvec_clear(&sv);
}

static void test_pretty_structure(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct json j;

	(void)state;
	assert_int_equal(json_init(&j, &out, 1), 0);
	json_object_begin(&j, NULL);
	json_int(&j, "a", 1);
	json_array_begin(&j, "b");
	json_bool(&j, NULL, 1);
	json_string(&j, NULL, "x");
	json_array_end(&j);
	json_array_begin(&j, "e");
	json_array_end(&j);
	json_object_end(&j);
	json_release(&j);
	assert_string_equal(out.buf,
			    "{\n"
			    "  \"a\": 1,\n"
			    "  \"b\": [\n"
			    "    true,\n"
			    "    \"x\"\n"
			    "  ],\n"
			    "  \"e\": []\n"
			    "}");
	strbuf_release(&out);
}

static void test_format_age(void **state)
{
	static const struct { int64_t s; const char *text; } cases[] = {
		{ -5, "0s" }, { 0, "0s" }, { 59, "59s" }, { 60, "1m" }, { 3599, "59m" },
		{ 3600, "1h" }, { 86399, "23h" }, { 86400, "1d" }, { 14 * 86400 - 1, "13d" },
		{ 14 * 86400, "2w" }, { 60 * 86400 - 1, "8w" }, { 60 * 86400, "2mo" },
		{ 365 * 86400 - 1, "12mo" }, { 365 * 86400, "1y" }, { 3 * 365 * 86400 + 5, "3y" },
	};
	char buf[16];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		format_age(buf, sizeof(buf), cases[i].s);
		if (strcmp(buf, cases[i].text))
			fail_msg("age of %lld s is \"%s\", expected \"%s\"", (long long)cases[i].s, buf,
				 cases[i].text);
	}
}

static void test_format_dates_ids_and_stats(void **state)
{
	char buf[64];
	git_oid id;

	(void)state;
	format_iso_date(buf, sizeof(buf), TL_NOW, 0);
	assert_string_equal(buf, "2026-01-01T00:00:00+00:00");
	format_iso_date(buf, sizeof(buf), TL_NOW, 60);
	assert_string_equal(buf, "2026-01-01T01:00:00+01:00");
	format_iso_date(buf, sizeof(buf), TL_NOW, -330);
	assert_string_equal(buf, "2025-12-31T18:30:00-05:30");
	format_iso_date(buf, sizeof(buf), TL_NOW + 59, 345);
	assert_string_equal(buf, "2026-01-01T05:45:59+05:45");

	assert_int_equal(git_oid_fromstr(&id, "0123456789abcdef0123456789abcdef01234567"), 0);
	oid_short_id(buf, sizeof(buf), &id, SHORT_ID_LEN);
	assert_string_equal(buf, "0123456789");
	oid_short_id(buf, sizeof(buf), &id, 100);
	assert_string_equal(buf, "0123456789abcdef0123456789abcdef01234567");
	oid_short_id(buf, 5, &id, 10);
	assert_string_equal(buf, "0123");

	format_file_stat(buf, sizeof(buf), 0, 0, 12, 3);
	assert_string_equal(buf, "+12 -3");
	format_file_stat(buf, sizeof(buf), 1, 0, 12, 3);
	assert_string_equal(buf, "binary");
	format_file_stat(buf, sizeof(buf), 0, 1, 0, 0);
	assert_string_equal(buf, "submodule");
	format_file_stat(buf, sizeof(buf), 0, 0, 0, 0);
	assert_string_equal(buf, "+0 -0");
}

static void test_item_json(void **state)
{
	struct fixture *fx = *state;
	struct item *it = item_new();

	assert_int_equal(git_oid_fromstr(&it->id, "0123456789abcdef0123456789abcdef01234567"), 0);
	it->subject = xstrdup("Fix \x1b[2J \"quoted\" caf\xe9");
	it->author_name = xstrdup("Jane \xe2\x80\xae Doe");
	it->author_email = xstrdup("jane@example.com");
	it->author_time = TL_NOW - 3600;
	it->author_offset = 120;
	it->committer_name = xstrdup("Bot");
	it->committer_email = NULL;
	it->commit_time = TL_NOW - 60;
	strvec_push(&it->markers, "trailer Co-authored-by: Claude <noreply@anthropic.com>");
	it->files = 2;
	it->added = 10;
	it->deleted = 3;
	it->risk = 45;
	it->priority = 7;
	strvec_push(&it->reasons, "+25 infrastructure-as-code (main.tf)");
	it->status = ITEM_NEEDS_MORE;
	it->approvals = 1;
	it->approvals_needed = 2;
	format_item_json(&fx->j, NULL, it, TL_NOW);
	assert_true(tl_json_valid(fx->out.buf));
	assert_json_text(fx->out.buf, "$.commit", "0123456789abcdef0123456789abcdef01234567");
	assert_json_text(fx->out.buf, "$.subject", "Fix \x1b[2J \"quoted\" caf\xef\xbf\xbd");
	assert_contains(fx->out.buf, "\"subject\":\"Fix \\u001b[2J \\\"quoted\\\" caf\xef\xbf\xbd\"");
	assert_json_text(fx->out.buf, "$.author.name", "Jane \xe2\x80\xae Doe");
	assert_json_text(fx->out.buf, "$.date", "2026-01-01T01:00:00+02:00");
	assert_contains(fx->out.buf, "\"committer\":{\"name\":\"Bot\",\"email\":null}");
	assert_json_text(fx->out.buf, "$.committed", "2025-12-31T23:59:00+00:00");
	assert_int_equal(tl_json_int(fx->out.buf, "$.age_seconds"), 60);
	assert_contains(fx->out.buf, "\"ai_assisted\":true");
	assert_int_equal(tl_json_length(fx->out.buf, "$.markers"), 1);
	assert_int_equal(tl_json_int(fx->out.buf, "$.risk"), 45);
	assert_int_equal(tl_json_int(fx->out.buf, "$.priority"), 7);
	assert_json_text(fx->out.buf, "$.reasons[0]", "+25 infrastructure-as-code (main.tf)");
	assert_int_equal(tl_json_length(fx->out.buf, "$.refs"), 0);
	assert_json_text(fx->out.buf, "$.status", "needs-approvals");
	assert_int_equal(tl_json_int(fx->out.buf, "$.approvals_needed"), 2);
	assert_not_contains(fx->out.buf, "status_detail");

	/* not AI-assisted, no approvals needed, a commit from the future */
	strbuf_reset(&fx->out);
	strvec_clear(&it->markers);
	it->approvals_needed = 0;
	it->status = ITEM_PENDING;
	it->commit_time = TL_NOW + 100;
	it->status_detail = xstrdup("rejected by jane@example.com");
	format_item_json(&fx->j, NULL, it, TL_NOW);
	assert_true(tl_json_valid(fx->out.buf));
	assert_contains(fx->out.buf, "\"ai_assisted\":false,\"markers\":[]");
	assert_contains(fx->out.buf, "\"age_seconds\":0,");
	assert_json_text(fx->out.buf, "$.status", "pending");
	assert_not_contains(fx->out.buf, "approvals");
	assert_json_text(fx->out.buf, "$.status_detail", "rejected by jane@example.com");
	free(it->status_detail);
	it->status_detail = NULL;
	item_free(it);
}

static void test_files_json(void **state)
{
	struct fixture *fx = *state;
	struct file_stat files[3];
	struct analysis a;

	memset(files, 0, sizeof(files));
	memset(&a, 0, sizeof(a));
	files[0] = (struct file_stat){ .path = "src/\x1b[31mred.c", .status = 'M', .added = 4,
				       .deleted = 1, .old_mode = 0100644, .new_mode = 0100755 };
	files[1] = (struct file_stat){ .path = "new/name.c", .old_path = "old/name.c", .status = 'R',
				       .similarity = 97, .old_mode = 0100644, .new_mode = 0100644 };
	files[2] = (struct file_stat){ .path = "logo.png", .status = 'A', .binary = 1, .new_mode = 0100644 };
	a.files = files;
	a.files_nr = 3;
	json_object_begin(&fx->j, NULL);
	format_files_json(&fx->j, "files", &a);
	json_object_end(&fx->j);
	assert_string_equal(fx->out.buf,
			    "{\"files\":["
			    "{\"path\":\"src/\\u001b[31mred.c\",\"status\":\"modified\",\"added\":4,\"deleted\":1,"
			    "\"binary\":false,\"old_mode\":\"100644\",\"new_mode\":\"100755\"},"
			    "{\"path\":\"new/name.c\",\"old_path\":\"old/name.c\",\"status\":\"renamed\",\"added\":0,"
			    "\"deleted\":0,\"binary\":false,\"similarity\":97},"
			    "{\"path\":\"logo.png\",\"status\":\"added\",\"added\":0,\"deleted\":0,\"binary\":true}"
			    "]}");
	assert_true(tl_json_valid(fx->out.buf));
}

/*
 * Regression (found by this test, since fixed):
 * past a fixed 32 levels, value_prefix() indexes count[depth - 1]
 * beyond the array: at depth 33 it increments j->pretty (the next field),
 * so compact output turns pretty; deeper levels write past the struct.
 */
static void test_regression_deep_nesting(void **state)
{
	struct fixture *fx = *state;
	struct strbuf expected = STRBUF_INIT;

	for (int i = 0; i < 40; i++)
		json_array_begin(&fx->j, NULL);
	json_int(&fx->j, NULL, 1);
	for (int i = 0; i < 40; i++)
		json_array_end(&fx->j);
	strbuf_addchars(&expected, '[', 40);
	strbuf_addch(&expected, '1');
	strbuf_addchars(&expected, ']', 40);
	assert_int_equal(fx->j.pretty, 0);
	assert_string_equal(fx->out.buf, expected.buf);
	strbuf_release(&expected);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_quotes_and_backslashes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_control_characters_are_escaped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_utf8_becomes_replacement_character, setup, teardown),
		cmocka_unit_test_setup_teardown(test_property_any_bytes_give_valid_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compact_structure, setup, teardown),
		cmocka_unit_test(test_pretty_structure),
		cmocka_unit_test(test_format_age),
		cmocka_unit_test(test_format_dates_ids_and_stats),
		cmocka_unit_test_setup_teardown(test_item_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regression_deep_nesting, setup, teardown),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
