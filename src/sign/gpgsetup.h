/*
 * gpgsetup.h: gpg's setup problems in plain words, and signing without
 * leaving a gpg-agent behind.  A first approval without any signing
 * setup used to report gpg's first stderr line ("gpg: directory ...
 * created") and leave an agent running.  Now: the key is looked for
 * without starting an agent (--no-autostart), a missing key names the
 * settings to choose, and an agent that revq had to start for a signing
 * attempt that failed is stopped again.
 */
#ifndef REVQ_GPGSETUP_H
#define REVQ_GPGSETUP_H

#include "base/strbuf.h"

/*
 * Appends one plain sentence for gpg's stderr err of a failed signing
 * with key (user.signingkey, or NULL for gpg's default key): no secret
 * key, no agent, pinentry impossible (no terminal, as over ssh), a
 * cancelled prompt, a bad passphrase; else gpg's first line that says
 * more than that a file was created.
 */
void gpg_failure_words(struct strbuf *out, const char *err, const char *key);

/*
 * Before signing with gpg (program, key as above): 0 when gpg knows a
 * key to sign with, else REVQ_ERROR naming the settings to choose.
 * Starts no agent.
 */
int gpg_check_key_exists(const char *program, const char *key, int timeout_ms);

/* Stops the gpg-agent of program's home (gpgconf --kill), for one revq started. */
void gpg_stop_agent(const char *program, int timeout_ms);

/* 1 when gpg's stderr says it did not start an agent because of --no-autostart. */
int gpg_needed_agent(const char *err);

#endif
