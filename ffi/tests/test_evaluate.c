/* Exercises policy evaluation through the vouch C API: the one-shot vouch_evaluate_json, the
 * evaluator handle (new, report, evaluate, free), their error paths, and several threads
 * sharing evaluators. Every decision is compared byte for byte with the Rust core's.
 *
 * Usage: test_evaluate CORPUS_DIR [LIMIT]
 * CORPUS_DIR is written by `parity-corpus` (conformance/src/bin/parity-corpus.rs): whole
 * requests and the core's decisions (requests.jsonl, expected.jsonl), and the same requests
 * split into policy and image halves (policies.jsonl, images.jsonl, split-expected.jsonl).
 * LIMIT caps the lines read from each file (Valgrind runs use a part of the corpus).
 * Built with -Wall -Wextra -Werror, run under Valgrind and ASan/UBSan by scripts/test.sh. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vouch.h"

#include "check.h"

typedef struct {
  char **line;
  size_t *len;
  size_t count;
} lines;

/* Reads up to `limit` lines of `dir/name` (without their newlines). */
static lines read_lines(const char *dir, const char *name, size_t limit) {
  lines out = {NULL, NULL, 0};
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  char *buf = NULL;
  size_t cap = 0;
  ssize_t n;
  while (out.count < limit && (n = getline(&buf, &cap, f)) >= 0) {
    if (n > 0 && buf[n - 1] == '\n') n--;
    out.line = realloc(out.line, (out.count + 1) * sizeof *out.line);
    out.len = realloc(out.len, (out.count + 1) * sizeof *out.len);
    out.line[out.count] = malloc((size_t)n + 1);
    memcpy(out.line[out.count], buf, (size_t)n);
    out.line[out.count][n] = '\0';
    out.len[out.count] = (size_t)n;
    out.count++;
  }
  free(buf);
  fclose(f);
  return out;
}

static void free_lines(lines *l) {
  for (size_t i = 0; i < l->count; i++) free(l->line[i]);
  free(l->line);
  free(l->len);
}

/* The way a caller is meant to use the buffer convention: try a small buffer, grow to the size
 * asked for, call again. Returns a malloc'd answer and its length in *len, or NULL. */
static char *one_shot(const char *request, size_t request_len, size_t *len) {
  uint8_t small[256];
  size_t needed = 0;
  vouch_status st = vouch_evaluate_json((const uint8_t *)request, request_len, small, sizeof small, &needed);
  char *out = malloc(needed + 1);
  if (st == VOUCH_STATUS_OK) {
    memcpy(out, small, needed);
  } else {
    size_t written = 0;
    if (st != VOUCH_STATUS_BUFFER_TOO_SMALL ||
        vouch_evaluate_json((const uint8_t *)request, request_len, (uint8_t *)out, needed, &written) != VOUCH_STATUS_OK ||
        written != needed) {
      free(out);
      return NULL;
    }
  }
  out[needed] = '\0';
  *len = needed;
  return out;
}

static char *with_evaluator(const vouch_evaluator *e, const char *request, size_t request_len, size_t *len) {
  size_t needed = 0;
  if (vouch_evaluator_evaluate(e, (const uint8_t *)request, request_len, NULL, 0, &needed) !=
      VOUCH_STATUS_BUFFER_TOO_SMALL)
    return NULL;
  char *out = malloc(needed + 1);
  size_t written = 0;
  if (vouch_evaluator_evaluate(e, (const uint8_t *)request, request_len, (uint8_t *)out, needed, &written) !=
          VOUCH_STATUS_OK ||
      written != needed) {
    free(out);
    return NULL;
  }
  out[needed] = '\0';
  *len = needed;
  return out;
}

static int same(const char *got, size_t got_len, const lines *want, size_t i) {
  return got != NULL && got_len == want->len[i] && memcmp(got, want->line[i], got_len) == 0;
}

/* Every whole request: the C answer is the core's, byte for byte. */
static void test_one_shot(const lines *requests, const lines *expected) {
  int mismatches = 0;
  for (size_t i = 0; i < requests->count; i++) {
    size_t len = 0;
    char *got = one_shot(requests->line[i], requests->len[i], &len);
    if (!same(got, len, expected, i)) {
      if (mismatches++ < 3) fprintf(stderr, "one-shot line %zu differs:\n  got  %s\n  want %s\n", i + 1, got, expected->line[i]);
    }
    free(got);
  }
  CHECK(mismatches == 0);
  printf("one-shot: %zu requests, %d differ\n", requests->count, mismatches);
}

/* Every split request: compile the policy half (once per distinct policy, as a runtime would),
 * decide the image half; the answer is the whole request's. */
static void test_evaluator(const lines *policies, const lines *images, const lines *expected) {
  int mismatches = 0;
  vouch_evaluator *e = NULL;
  size_t compiled = 0;
  for (size_t i = 0; i < policies->count; i++) {
    if (e == NULL || policies->len[i] != policies->len[i - 1] ||
        memcmp(policies->line[i], policies->line[i - 1], policies->len[i]) != 0) {
      vouch_evaluator_free(e);
      e = NULL;
      CHECK(vouch_evaluator_new((const uint8_t *)policies->line[i], policies->len[i], &e) == VOUCH_STATUS_OK);
      compiled++;
    }
    size_t len = 0;
    char *got = with_evaluator(e, images->line[i], images->len[i], &len);
    if (!same(got, len, expected, i)) {
      if (mismatches++ < 3) fprintf(stderr, "evaluator line %zu differs:\n  got  %s\n  want %s\n", i + 1, got, expected->line[i]);
    }
    free(got);
  }
  vouch_evaluator_free(e);
  CHECK(mismatches == 0);
  printf("evaluator: %zu requests, %zu policies compiled, %d differ\n", policies->count, compiled, mismatches);
}

static char *report(const vouch_evaluator *e) {
  size_t needed = 0;
  if (vouch_evaluator_report(e, NULL, 0, &needed) != VOUCH_STATUS_BUFFER_TOO_SMALL) return NULL;
  char *out = malloc(needed + 1);
  size_t written = 0;
  if (vouch_evaluator_report(e, (uint8_t *)out, needed, &written) != VOUCH_STATUS_OK || written != needed) {
    free(out);
    return NULL;
  }
  out[written] = '\0';
  return out;
}

static void test_report_and_errors(void) {
  const char *good = "{\"policy\":{\"default\":[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPath\":\"/k.gpg\"}]}}";
  const char *bad = "{\"policy\":{\"default\":[]}}";
  const char *unreadable = "{\"policy\":{\"default\":[]},\"reference\":\"busybox\"}";
  vouch_evaluator *e = NULL;
  CHECK(vouch_evaluator_new((const uint8_t *)good, strlen(good), &e) == VOUCH_STATUS_OK && e != NULL);
  char *r = report(e);
  CHECK(r != NULL && strstr(r, "\"accepted\":true") != NULL);
  CHECK(r != NULL && strstr(r, "\"files_missing\":[\"/k.gpg\"]") != NULL);
  free(r);

  /* A request for a compiled policy must not carry a policy. */
  const char *smuggled = "{\"policy\":{\"default\":[{\"type\":\"insecureAcceptAnything\"}]},\"transport\":\"docker\",\"reference\":\"busybox\"}";
  size_t len = 0;
  char *d = with_evaluator(e, smuggled, strlen(smuggled), &len);
  CHECK(d != NULL && strstr(d, "\"allowed\":false") != NULL && strstr(d, "belongs to the compiled policy") != NULL);
  free(d);

  /* Error paths of the handle functions. */
  uint8_t out[64];
  CHECK(vouch_evaluator_new(NULL, 5, &e) == VOUCH_STATUS_NULL_PARAMETER);
  CHECK(vouch_evaluator_new((const uint8_t *)good, strlen(good), NULL) == VOUCH_STATUS_NULL_PARAMETER);
  CHECK(vouch_evaluator_report(NULL, out, sizeof out, &len) == VOUCH_STATUS_NULL_PARAMETER);
  CHECK(vouch_evaluator_report(e, out, sizeof out, NULL) == VOUCH_STATUS_NULL_PARAMETER);
  CHECK(vouch_evaluator_evaluate(NULL, (const uint8_t *)"{}", 2, out, sizeof out, &len) == VOUCH_STATUS_NULL_PARAMETER);
  CHECK(vouch_evaluator_evaluate(e, NULL, 2, out, sizeof out, &len) == VOUCH_STATUS_NULL_PARAMETER);
  CHECK(vouch_evaluator_evaluate(e, (const uint8_t *)"{}", 2, NULL, 8, &len) == VOUCH_STATUS_NULL_PARAMETER);
  CHECK(vouch_evaluator_evaluate(e, (const uint8_t *)"{}", 2, out, sizeof out, NULL) == VOUCH_STATUS_NULL_PARAMETER);
  len = 0;
  CHECK(vouch_evaluator_evaluate(e, (const uint8_t *)"{}", 2, out, 4, &len) == VOUCH_STATUS_BUFFER_TOO_SMALL);
  CHECK(len > 4);
  vouch_evaluator_free(e);
  vouch_evaluator_free(NULL);

  CHECK(vouch_evaluator_new((const uint8_t *)bad, strlen(bad), &e) == VOUCH_STATUS_OK);
  r = report(e);
  CHECK(r != NULL && strstr(r, "\"accepted\":false") != NULL && strstr(r, "\"error_kind\":\"policy_empty_requirements\"") != NULL);
  free(r);
  vouch_evaluator_free(e);

  CHECK(vouch_evaluator_new((const uint8_t *)unreadable, strlen(unreadable), &e) == VOUCH_STATUS_OK);
  r = report(e);
  CHECK(r != NULL && strstr(r, "\"error_kind\":\"invalid_request\"") != NULL);
  free(r);
  vouch_evaluator_free(e);

  /* One-shot error paths. */
  CHECK(vouch_evaluate_json(NULL, 1, out, sizeof out, &len) == VOUCH_STATUS_NULL_PARAMETER);
  CHECK(vouch_evaluate_json((const uint8_t *)"{}", 2, out, sizeof out, NULL) == VOUCH_STATUS_NULL_PARAMETER);
  CHECK(vouch_evaluate_json((const uint8_t *)"{}", 2, NULL, 1, &len) == VOUCH_STATUS_NULL_PARAMETER);
  len = 0;
  CHECK(vouch_evaluate_json(NULL, 0, NULL, 0, &len) == VOUCH_STATUS_BUFFER_TOO_SMALL && len > 0);
  char *empty = malloc(len + 1);
  size_t written = 0;
  CHECK(vouch_evaluate_json(NULL, 0, (uint8_t *)empty, len, &written) == VOUCH_STATUS_OK && written == len);
  empty[written] = '\0';
  CHECK(strstr(empty, "\"error_kind\":\"invalid_request\"") != NULL);
  free(empty);
  /* More than vouch reads: refused before a byte of it is looked at. */
  size_t huge = (size_t)96 * 1024 * 1024 + 1;
  uint8_t *big = malloc(huge);
  CHECK(big != NULL);
  CHECK(vouch_evaluate_json(big, huge, out, sizeof out, &len) == VOUCH_STATUS_INPUT_TOO_LARGE);
  CHECK(vouch_evaluator_new(big, huge, &e) == VOUCH_STATUS_INPUT_TOO_LARGE);
  free(big);
  uint8_t msg[128];
  CHECK(vouch_status_message(VOUCH_STATUS_INPUT_TOO_LARGE, msg, sizeof msg, &len) == VOUCH_STATUS_OK && len > 0);
}

/* Threads share compiled evaluators: each decides every split request, in its own order. */
typedef struct {
  const lines *policies, *images, *expected;
  vouch_evaluator *const *evaluators;
  size_t count;
  int seed;
  int bad;
} job;

static void *worker(void *arg) {
  job *j = arg;
  for (int round = 0; round < 3; round++) {
    for (size_t k = 0; k < j->count; k++) {
      size_t i = (k * 7 + (size_t)j->seed * 13 + (size_t)round) % j->count;
      size_t len = 0;
      char *got = with_evaluator(j->evaluators[i], j->images->line[i], j->images->len[i], &len);
      if (!same(got, len, j->expected, i)) j->bad++;
      free(got);
    }
  }
  return NULL;
}

static void test_threads(const lines *policies, const lines *images, const lines *expected, size_t count) {
  if (count > policies->count) count = policies->count;
  vouch_evaluator **evaluators = calloc(count, sizeof *evaluators);
  for (size_t i = 0; i < count; i++)
    CHECK(vouch_evaluator_new((const uint8_t *)policies->line[i], policies->len[i], &evaluators[i]) == VOUCH_STATUS_OK);
  enum { THREADS = 4 };
  pthread_t threads[THREADS];
  job jobs[THREADS];
  for (int t = 0; t < THREADS; t++) {
    jobs[t] = (job){policies, images, expected, evaluators, count, t, 0};
    CHECK(pthread_create(&threads[t], NULL, worker, &jobs[t]) == 0);
  }
  int bad = 0;
  for (int t = 0; t < THREADS; t++) {
    CHECK(pthread_join(threads[t], NULL) == 0);
    bad += jobs[t].bad;
  }
  CHECK(bad == 0);
  printf("threads: %d threads x 3 rounds x %zu shared evaluators, %d differ\n", THREADS, count, bad);
  for (size_t i = 0; i < count; i++) vouch_evaluator_free(evaluators[i]);
  free(evaluators);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s CORPUS_DIR [LIMIT]\n", argv[0]);
    return 2;
  }
  size_t limit = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : (size_t)-1;
  lines requests = read_lines(argv[1], "requests.jsonl", limit);
  lines expected = read_lines(argv[1], "expected.jsonl", limit);
  lines policies = read_lines(argv[1], "policies.jsonl", limit);
  lines images = read_lines(argv[1], "images.jsonl", limit);
  lines split_expected = read_lines(argv[1], "split-expected.jsonl", limit);
  CHECK(requests.count == expected.count && requests.count > 0);
  CHECK(policies.count == images.count && images.count == split_expected.count);
  test_report_and_errors();
  test_one_shot(&requests, &expected);
  test_evaluator(&policies, &images, &split_expected);
  test_threads(&policies, &images, &split_expected, 48);
  free_lines(&requests);
  free_lines(&expected);
  free_lines(&policies);
  free_lines(&images);
  free_lines(&split_expected);
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
