// Drives the plain wasm module (wasm/dist/vouch.wasm) through Node's bare WebAssembly API, as a
// host without JS glue would, and checks that it answers exactly as the `vouch` CLI does.
//
//   VOUCH_WASM=wasm/dist/vouch.wasm VOUCH_BIN=target/release/vouch \
//   VOUCH_LINES=docs/examples/references.txt node --test wasm/tests/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const wasmPath = process.env.VOUCH_WASM ?? 'wasm/dist/vouch.wasm';
const module = new WebAssembly.Module(readFileSync(wasmPath));
const { exports } = new WebAssembly.Instance(module, {});

// Copies `text` into the module, calls `entry(ptr, len)`, reads and frees the result region.
function call(entry, text) {
  const input = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const ptr = exports.vouch_alloc(input.length);
  assert.notEqual(ptr, 0, 'vouch_alloc failed');
  new Uint8Array(exports.memory.buffer, ptr, input.length).set(input);
  const result = entry(ptr, input.length);
  exports.vouch_free(ptr, input.length);
  assert.notEqual(result, 0, 'the entry point returned null');
  return takeResult(result);
}

function takeResult(result) {
  const len = new DataView(exports.memory.buffer).getUint32(result, true);
  const bytes = new Uint8Array(exports.memory.buffer, result + 4, len).slice();
  exports.vouch_result_free(result);
  return new TextDecoder().decode(bytes);
}

const parseReference = (line) => call(exports.vouch_reference_parse, line);
const evaluateJson = (request) => call(exports.vouch_evaluate_json, request);

function readLines(dir, name) {
  const lines = readFileSync(join(dir, name), 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

test('the module imports nothing and exports the documented ABI', () => {
  assert.deepEqual(WebAssembly.Module.imports(module), []);
  const names = WebAssembly.Module.exports(module).map((e) => e.name);
  for (const name of ['memory', 'vouch_abi_version', 'vouch_abi_version_major',
    'vouch_abi_version_minor', 'vouch_alloc', 'vouch_free', 'vouch_reference_parse',
    'vouch_evaluate_json', 'vouch_evaluator_new', 'vouch_evaluator_report',
    'vouch_evaluator_evaluate', 'vouch_evaluator_free', 'vouch_result_free',
    'vouch_build_info', 'vouch_bundle_verify', 'vouch_node_decide', 'vouch_admit', 'vouch_admit_plan', 'vouch_metrics_new',
    'vouch_metrics_observe', 'vouch_metrics_render', 'vouch_metrics_free']) {
    assert.ok(names.includes(name), `missing export ${name}`);
  }
  assert.equal(exports.vouch_abi_version_major.value, 0);
  assert.equal(exports.vouch_abi_version_minor.value, 5);
  assert.equal(exports.vouch_abi_version(), (0 << 16) | 5);
});

// The module as wasm/build.sh builds it must keep every capability: RustCrypto (aws-lc-rs
// cannot run in wasm), OpenPGP and the verification cache.
test('the module reports the full feature set', () => {
  const info = JSON.parse(takeResult(exports.vouch_build_info()));
  assert.deepEqual(info, { version: info.version, crypto: 'RustCrypto', openpgp: true,
    verification_cache: true });
});

test('answers follow the JSON contract', () => {
  const ok = JSON.parse(parseReference('busybox'));
  assert.equal(ok.ok, true);
  assert.equal(ok.string, 'docker.io/library/busybox');
  assert.equal(ok.familiar, 'busybox');
  const bad = JSON.parse(parseReference('Foo/bar'));
  assert.equal(bad.ok, false);
  assert.equal(bad.error_kind, 'name_contains_uppercase');
  const dist = JSON.parse(parseReference('{"reference":"Foo/bar","dialect":"distribution"}'));
  assert.equal(dist.domain, 'Foo');
  const invalid = JSON.parse(parseReference('{"reference":"a","typo":1}'));
  assert.equal(invalid.error_kind, 'invalid_request');
});

test('memory does not grow over many calls (every region is freed)', () => {
  parseReference('warm-up');
  const before = exports.memory.buffer.byteLength;
  for (let i = 0; i < 20000; i++) parseReference(`quay.io/ns/img${i}:tag`);
  assert.equal(exports.memory.buffer.byteLength, before);
});

test('byte-identical to the CLI on the example lines', { skip: !process.env.VOUCH_BIN }, () => {
  const linesFile = process.env.VOUCH_LINES ?? 'docs/examples/references.txt';
  const text = readFileSync(linesFile, 'utf8');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const cli = execFileSync(process.env.VOUCH_BIN, ['ref'], { input: text }).toString();
  const viaWasm = lines.map((l) => parseReference(l) + '\n').join('');
  assert.equal(viaWasm, cli);
});

const parity = process.env.VOUCH_PARITY;

test('the parity corpus: decisions byte-identical to the core\'s', { skip: !parity }, () => {
  const requests = readLines(parity, 'requests.jsonl');
  const expected = readLines(parity, 'expected.jsonl');
  assert.equal(requests.length, expected.length);
  assert.ok(requests.length >= 500);
  let differ = 0;
  requests.forEach((request, i) => {
    if (evaluateJson(request) !== expected[i]) differ += 1;
  });
  assert.equal(differ, 0, `${differ} of ${requests.length} decisions differ`);
});

test('the parity corpus: bundle answers byte-identical to the core\'s', { skip: !parity }, () => {
  const requests = readLines(parity, 'bundle-requests.jsonl');
  const expected = readLines(parity, 'bundle-expected.jsonl');
  assert.equal(requests.length, expected.length);
  assert.ok(requests.length >= 140);
  let differ = 0;
  requests.forEach((request, i) => {
    if (call(exports.vouch_bundle_verify, request) !== expected[i]) differ += 1;
  });
  assert.equal(differ, 0, `${differ} of ${requests.length} bundle answers differ`);
});

test('the parity corpus: node answers byte-identical to the core\'s', { skip: !parity }, () => {
  const requests = readLines(parity, 'node-requests.jsonl');
  const expected = readLines(parity, 'node-expected.jsonl');
  assert.equal(requests.length, expected.length);
  assert.ok(requests.length >= 300);
  let differ = 0;
  requests.forEach((request, i) => {
    if (call(exports.vouch_node_decide, request) !== expected[i]) differ += 1;
  });
  assert.equal(differ, 0, `${differ} of ${requests.length} node answers differ`);
});

for (const [name, fn, min] of [['admit', 'vouch_admit', 120], ['plan', 'vouch_admit_plan', 120]]) {
  test(`the parity corpus: ${name} answers byte-identical to the core's`, { skip: !parity }, () => {
    const requests = readLines(parity, `${name}-requests.jsonl`);
    const expected = readLines(parity, `${name}-expected.jsonl`);
    assert.equal(requests.length, expected.length);
    assert.ok(requests.length >= min);
    let differ = 0;
    requests.forEach((request, i) => {
      if (call(exports[fn], request) !== expected[i]) differ += 1;
    });
    assert.equal(differ, 0, `${differ} of ${requests.length} ${name} answers differ`);
  });
}

test('the parity corpus: metrics rendered byte-identical to the core\'s', { skip: !parity }, () => {
  const requests = readLines(parity, 'metrics-requests.jsonl');
  const answers = readLines(parity, 'metrics-answers.jsonl');
  const expected = readFileSync(join(parity, 'metrics-expected.txt'), 'utf8');
  assert.ok(requests.length >= 1000);
  const metrics = exports.vouch_metrics_new(0);
  const put = (text) => {
    const bytes = new TextEncoder().encode(text);
    const ptr = exports.vouch_alloc(bytes.length);
    new Uint8Array(exports.memory.buffer, ptr, bytes.length).set(bytes);
    return [ptr, bytes.length];
  };
  requests.forEach((request, i) => {
    const [rp, rl] = put(request);
    const [ap, al] = put(answers[i]);
    assert.equal(exports.vouch_metrics_observe(metrics, rp, rl, ap, al, (i % 11) * 0.0004), 0);
    exports.vouch_free(rp, rl);
    exports.vouch_free(ap, al);
  });
  assert.equal(takeResult(exports.vouch_metrics_render(metrics)), expected);
  exports.vouch_metrics_free(metrics);
});

test('the parity corpus through the evaluator handle', { skip: !parity }, () => {
  const policies = readLines(parity, 'policies.jsonl');
  const images = readLines(parity, 'images.jsonl');
  const expected = readLines(parity, 'split-expected.jsonl');
  let differ = 0;
  policies.forEach((policy, i) => {
    const bytes = new TextEncoder().encode(policy);
    const ptr = exports.vouch_alloc(bytes.length);
    new Uint8Array(exports.memory.buffer, ptr, bytes.length).set(bytes);
    const evaluator = exports.vouch_evaluator_new(ptr, bytes.length);
    exports.vouch_free(ptr, bytes.length);
    assert.notEqual(evaluator, 0);
    const report = JSON.parse(takeResult(exports.vouch_evaluator_report(evaluator)));
    assert.equal(typeof report.accepted, 'boolean');
    const decision = call((p, n) => exports.vouch_evaluator_evaluate(evaluator, p, n), images[i]);
    if (decision !== expected[i]) differ += 1;
    exports.vouch_evaluator_free(evaluator);
  });
  assert.equal(differ, 0, `${differ} of ${policies.length} decisions differ`);
});

test('evaluation frees what it allocates', { skip: !parity }, () => {
  const requests = readLines(parity, 'requests.jsonl').slice(0, 50);
  requests.forEach(evaluateJson);
  const before = exports.memory.buffer.byteLength;
  for (let round = 0; round < 20; round++) requests.forEach(evaluateJson);
  assert.equal(exports.memory.buffer.byteLength, before);
});
