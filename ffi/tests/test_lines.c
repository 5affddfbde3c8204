/* The vouch C API's one-line functions over the parity corpus: sigstore bundles
 * (vouch_bundle_verify), Kubernetes node decisions (vouch_node_decide) and admission
 * (vouch_admit, vouch_admit_plan), every request's
 * answer compared byte for byte with the Rust core's, and the buffer convention's error paths.
 *
 * Usage: test_lines CORPUS_DIR
 * CORPUS_DIR is written by `parity-corpus` (conformance/src/bin/parity-corpus.rs):
 * bundle-requests.jsonl and node-requests.jsonl, with the core's answers in
 * bundle-expected.jsonl and node-expected.jsonl.
 * Built with -Wall -Wextra -Werror, run under Valgrind and ASan/UBSan by scripts/test.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vouch.h"

#include "check.h"

/* Reads a whole file. */
static char *read_file(const char *dir, const char *name, size_t *len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)size + 1);
  if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(2);
  }
  buf[size] = '\0';
  fclose(f);
  *len = (size_t)size;
  return buf;
}

/* The next line of *cursor (its newline replaced by NUL), or NULL at the end. */
static char *next_line(char **cursor, size_t *len) {
  if (**cursor == '\0') return NULL;
  char *line = *cursor;
  char *end = strchr(line, '\n');
  if (end == NULL) {
    *len = strlen(line);
    *cursor = line + *len;
  } else {
    *end = '\0';
    *len = (size_t)(end - line);
    *cursor = end + 1;
  }
  return line;
}

typedef vouch_status (*line_fn)(const uint8_t *, size_t, uint8_t *, size_t, size_t *);

/* Sends every request of PREFIX-requests.jsonl through FN and compares each answer with the
 * line of PREFIX-expected.jsonl; returns how many were compared. */
static size_t compare(const char *dir, const char *prefix, line_fn fn) {
  char name[256];
  size_t requests_len = 0, expected_len = 0;
  snprintf(name, sizeof name, "%s-requests.jsonl", prefix);
  char *requests = read_file(dir, name, &requests_len);
  snprintf(name, sizeof name, "%s-expected.jsonl", prefix);
  char *expected = read_file(dir, name, &expected_len);
  char *rc = requests, *ec = expected;
  size_t request_len = 0, want_len = 0, count = 0;
  char *request;
  while ((request = next_line(&rc, &request_len)) != NULL) {
    char *want = next_line(&ec, &want_len);
    CHECK(want != NULL);
    if (want == NULL) break;
    /* Ask for the size first, then write the answer into a buffer of exactly that size. */
    size_t needed = 0;
    vouch_status st = fn((const uint8_t *)request, request_len, NULL, 0, &needed);
    CHECK(st == VOUCH_STATUS_BUFFER_TOO_SMALL || (st == VOUCH_STATUS_OK && needed == 0));
    uint8_t *out = malloc(needed + 1);
    size_t written = 0;
    CHECK(fn((const uint8_t *)request, request_len, out, needed, &written) == VOUCH_STATUS_OK);
    CHECK(written == want_len);
    CHECK(memcmp(out, want, written) == 0);
    free(out);
    count++;
  }
  CHECK(next_line(&ec, &want_len) == NULL);
  /* A NULL request with a length is refused. */
  size_t n = 0;
  CHECK(fn(NULL, 1, NULL, 0, &n) == VOUCH_STATUS_NULL_PARAMETER);
  free(requests);
  free(expected);
  return count;
}

/* Observes every request and answer of metrics-requests.jsonl and metrics-answers.jsonl (the
 * i-th taking (i mod 11) x 0.4 ms) and compares the rendered text with metrics-expected.txt. */
static size_t compare_metrics(const char *dir) {
  size_t requests_len = 0, answers_len = 0, expected_len = 0;
  char *requests = read_file(dir, "metrics-requests.jsonl", &requests_len);
  char *answers = read_file(dir, "metrics-answers.jsonl", &answers_len);
  char *expected = read_file(dir, "metrics-expected.txt", &expected_len);
  vouch_metrics *metrics = NULL;
  CHECK(vouch_metrics_new(0, &metrics) == VOUCH_STATUS_OK);
  char *rc = requests, *ac = answers;
  size_t request_len = 0, answer_len = 0, count = 0;
  char *request;
  while ((request = next_line(&rc, &request_len)) != NULL) {
    char *answer = next_line(&ac, &answer_len);
    CHECK(answer != NULL);
    if (answer == NULL) break;
    double seconds = (double)(count % 11) * 0.0004;
    CHECK(vouch_metrics_observe(metrics, (const uint8_t *)request, request_len, (const uint8_t *)answer,
                                answer_len, seconds) == VOUCH_STATUS_OK);
    count++;
  }
  size_t needed = 0;
  CHECK(vouch_metrics_render(metrics, NULL, 0, &needed) == VOUCH_STATUS_BUFFER_TOO_SMALL);
  uint8_t *text = malloc(needed + 1);
  size_t written = 0;
  CHECK(vouch_metrics_render(metrics, text, needed, &written) == VOUCH_STATUS_OK);
  CHECK(written == expected_len);
  CHECK(memcmp(text, expected, written) == 0);
  CHECK(vouch_metrics_observe(NULL, NULL, 0, NULL, 0, 0.0) == VOUCH_STATUS_NULL_PARAMETER);
  free(text);
  vouch_metrics_free(metrics);
  vouch_metrics_free(NULL);
  free(requests);
  free(answers);
  free(expected);
  return count;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: test_lines CORPUS_DIR\n");
    return 2;
  }
  size_t bundles = compare(argv[1], "bundle", vouch_bundle_verify);
  CHECK(bundles >= 140);
  size_t nodes = compare(argv[1], "node", vouch_node_decide);
  CHECK(nodes >= 300);
  size_t reviews = compare(argv[1], "admit", vouch_admit);
  CHECK(reviews >= 120);
  size_t plans = compare(argv[1], "plan", vouch_admit_plan);
  CHECK(plans >= 120);
  size_t observed = compare_metrics(argv[1]);
  CHECK(observed >= 1000);
  printf("C one-line calls: %zu bundle, %zu node, %zu admission and %zu plan answers compared; metrics of %zu observations identical; %d checks passed, %d failed\n",
         bundles, nodes, reviews, plans, observed, passed, failed);
  return failed == 0 ? 0 : 1;
}
