/* SPDX-License-Identifier: MIT */
/*
 * LeakSanitizer default suppressions for SAN=1 builds: libtraceevent 1.7
 * leaks a 2-byte strdup while parsing event formats (tep_parse_event, called
 * from tracefs_local_events_system), which is not ours to free. Harmless in
 * builds without the sanitizer, where nothing calls this.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:tep_parse_event\n";
}
