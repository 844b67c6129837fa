/*
 * fuzz_detect.c: the commit message parser and the AI-marker detector.
 * Input: author line, committer line, then the message.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "judge/detect.h"
#include "git/message.h"
#include "base/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void split_identity(const char *line, char **name, char **email)
{
	const char *lt = strchr(line, '<');

	*name = lt ? xstrndup(line, (size_t)(lt - line)) : xstrdup(line);
	*email = lt ? xstrdup(lt + 1) : xstrdup("");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct detect_rules rules;
	static int ready;
	char *text = xstrndup((const char *)data, size);
	char *first = text, *second, *message, *an, *ae, *cn, *ce;
	struct strvec markers = STRVEC_INIT, patterns = STRVEC_INIT;
	struct detect_identity author, committer;
	struct message msg;

	if (!ready) {
		strvec_push(&patterns, "^X-AI-Tool: ");
		strvec_push(&patterns, "bot@example\\.com");
		if (detect_rules_init(&rules, &patterns, NULL))
			abort();
		strvec_clear(&patterns);
		ready = 1;
	}
	second = strchr(first, '\n') ? strchr(first, '\n') + 1 : first + strlen(first);
	message = strchr(second, '\n') ? strchr(second, '\n') + 1 : second + strlen(second);
	if (second > first)
		second[-1] = '\0';
	if (message > second)
		message[-1] = '\0';
	split_identity(first, &an, &ae);
	split_identity(second, &cn, &ce);
	author = (struct detect_identity){ an, ae };
	committer = (struct detect_identity){ cn, ce };
	if (detect_markers(&markers, &rules, message, &author, &committer) != markers.nr)
		abort();
	message_parse(&msg, message);
	for (size_t i = 0; i < msg.trailers_nr; i++)
		if (!msg.trailers[i].key[0] || strchr(msg.trailers[i].key, ':'))
			abort();   /* a trailer key is never empty and never holds the separator */
	message_release(&msg);
	strvec_clear(&markers);
	free(an);
	free(ae);
	free(cn);
	free(ce);
	free(text);
	return 0;
}
