/* Exercises every function of the vouch C API, its error paths, and several threads calling
 * it at once. Built with -Wall -Wextra -Werror, run under Valgrind and ASan/UBSan by
 * scripts/test.sh. Prints "N passed, N failed". */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vouch.h"

#include "check.h"

/* Parses `line`, growing the buffer as the API asks; returns a malloc'd NUL-terminated answer. */
static char *parse(const char *line, uint32_t dialect) {
  size_t needed = 0;
  vouch_status st = vouch_reference_parse((const uint8_t *)line, strlen(line), dialect, NULL, 0, &needed);
  if (st != VOUCH_STATUS_BUFFER_TOO_SMALL || needed == 0) return NULL;
  char *out = malloc(needed + 1);
  size_t written = 0;
  st = vouch_reference_parse((const uint8_t *)line, strlen(line), dialect, (uint8_t *)out, needed, &written);
  if (st != VOUCH_STATUS_OK || written != needed) {
    free(out);
    return NULL;
  }
  out[written] = '\0';
  return out;
}

static void test_version_and_messages(void) {
  const char *version = vouch_version();
  CHECK(version != NULL && strlen(version) > 0);
  /* The library as the README builds it (cargo build -p vouch-ffi --release, alone) has the
     full feature set: aws-lc-rs, signedBy (OpenPGP) and the verification cache. */
  const char *info = vouch_build_info();
  CHECK(info != NULL && strstr(info, "\"crypto\":\"aws-lc-rs\"") != NULL);
  CHECK(strstr(info, "\"openpgp\":true") != NULL);
  CHECK(strstr(info, "\"verification_cache\":true") != NULL);
  uint32_t codes[] = {VOUCH_STATUS_OK, VOUCH_STATUS_NULL_PARAMETER, VOUCH_STATUS_BUFFER_TOO_SMALL,
                      VOUCH_STATUS_INVALID_PARAMETER, VOUCH_STATUS_PANIC, 12345};
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
    uint8_t buf[128];
    size_t len = 0;
    CHECK(vouch_status_message(codes[i], buf, sizeof buf, &len) == VOUCH_STATUS_OK);
    CHECK(len > 0 && len < sizeof buf);
  }
  uint8_t tiny[2];
  size_t len = 0;
  CHECK(vouch_status_message(VOUCH_STATUS_PANIC, tiny, sizeof tiny, &len) == VOUCH_STATUS_BUFFER_TOO_SMALL);
  CHECK(len > sizeof tiny);
  CHECK(vouch_status_message(VOUCH_STATUS_OK, tiny, sizeof tiny, NULL) == VOUCH_STATUS_NULL_PARAMETER);
}

static void test_reference_parse(void) {
  char *a = parse("busybox", VOUCH_DIALECT_CONTAINERS_IMAGE);
  CHECK(a != NULL && strstr(a, "\"string\":\"docker.io/library/busybox\"") != NULL);
  free(a);

  a = parse("Foo/bar", VOUCH_DIALECT_CONTAINERS_IMAGE);
  CHECK(a != NULL && strstr(a, "\"error_kind\":\"name_contains_uppercase\"") != NULL);
  free(a);

  a = parse("Foo/bar", VOUCH_DIALECT_DISTRIBUTION);
  CHECK(a != NULL && strstr(a, "\"domain\":\"Foo\"") != NULL);
  free(a);

  a = parse("{\"reference\":\"[::1]:5000/app\",\"dialect\":\"distribution\"}", VOUCH_DIALECT_CONTAINERS_IMAGE);
  CHECK(a != NULL && strstr(a, "\"domain\":\"[::1]:5000\"") != NULL);
  free(a);

  a = parse("{\"reference\":\"x\",\"typo\":true}", VOUCH_DIALECT_CONTAINERS_IMAGE);
  CHECK(a != NULL && strstr(a, "\"error_kind\":\"invalid_request\"") != NULL);
  free(a);

  /* Not UTF-8: answered, never a crash. */
  const uint8_t bad[] = {'f', 'o', 0xff};
  uint8_t out[1024];
  size_t len = 0;
  CHECK(vouch_reference_parse(bad, sizeof bad, 0, out, sizeof out, &len) == VOUCH_STATUS_OK);

  /* Error paths. */
  CHECK(vouch_reference_parse(NULL, 3, 0, out, sizeof out, &len) == VOUCH_STATUS_NULL_PARAMETER);
  CHECK(vouch_reference_parse((const uint8_t *)"a", 1, 0, out, sizeof out, NULL) == VOUCH_STATUS_NULL_PARAMETER);
  CHECK(vouch_reference_parse((const uint8_t *)"a", 1, 9, out, sizeof out, &len) == VOUCH_STATUS_INVALID_PARAMETER);
  CHECK(vouch_reference_parse((const uint8_t *)"a", 1, 0, NULL, 10, &len) == VOUCH_STATUS_NULL_PARAMETER);
  len = 0;
  CHECK(vouch_reference_parse(NULL, 0, 0, out, 4, &len) == VOUCH_STATUS_BUFFER_TOO_SMALL);
  CHECK(len > 4);
  CHECK(vouch_reference_parse(NULL, 0, 0, out, sizeof out, &len) == VOUCH_STATUS_OK);
  CHECK(len > 0 && memcmp(out, "{\"input\":\"\",\"ok\":false", 22) == 0);
}

static void *worker(void *arg) {
  long id = (long)arg;
  int *bad = calloc(1, sizeof *bad);
  for (int i = 0; i < 2000; i++) {
    char line[64];
    snprintf(line, sizeof line, "quay.io/ns%ld/img%d:tag", id, i);
    char *a = parse(line, VOUCH_DIALECT_CONTAINERS_IMAGE);
    char want[96];
    snprintf(want, sizeof want, "\"string\":\"quay.io/ns%ld/img%d:tag\"", id, i);
    if (a == NULL || strstr(a, want) == NULL) (*bad)++;
    free(a);
  }
  return bad;
}

static void test_threads(void) {
  pthread_t threads[4];
  for (long t = 0; t < 4; t++) CHECK(pthread_create(&threads[t], NULL, worker, (void *)t) == 0);
  for (int t = 0; t < 4; t++) {
    void *bad = NULL;
    CHECK(pthread_join(threads[t], &bad) == 0);
    CHECK(bad != NULL && *(int *)bad == 0);
    free(bad);
  }
}

int main(void) {
  test_version_and_messages();
  test_reference_parse();
  test_threads();
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
