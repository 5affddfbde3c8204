// Tests the npm package (wasm/pkg, built by wasm/build.sh) under Node: its API, its TypeScript
// declarations, and the parity corpus, whose decisions must deep-equal the core's.
//
//   VOUCH_PKG=wasm/pkg VOUCH_PARITY=<corpus dir> node --test wasm/tests/npm.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const pkgDir = resolve(process.env.VOUCH_PKG ?? 'wasm/pkg');
const require = createRequire(import.meta.url);
const vouch = require(pkgDir); // resolved through package.json's "exports" (node → nodejs/)
const parity = process.env.VOUCH_PARITY;

function readLines(dir, name) {
  const lines = readFileSync(join(dir, name), 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

test('the package exports the documented API through every entry point', () => {
  for (const name of ['evaluate', 'parseReference', 'Evaluator', 'buildInfo']) {
    assert.equal(typeof vouch[name], 'function', name);
  }
  // The package as wasm/build.sh builds it keeps every capability.
  const info = vouch.buildInfo();
  assert.equal(info.crypto, 'RustCrypto');
  assert.equal(info.openpgp, true);
  assert.equal(info.verification_cache, true);
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  for (const entry of ['.', './nodejs', './bundler', './web']) {
    const types = manifest.exports[entry].types;
    const dts = readFileSync(join(pkgDir, types), 'utf8');
    // The contract's types, generated from the Rust serde types, and the signatures using them.
    for (const decl of ['export type EvaluateRequest', 'export type DecisionAnswer',
      'export type CompileReport', 'export type ReferenceAnswer', 'export type ImageHalf',
      'export type PolicyHalf', 'export function evaluate(request: EvaluateRequest | string): DecisionAnswer',
      'evaluate(request: ImageHalf | string): DecisionAnswer', 'report(): CompileReport']) {
      assert.ok(dts.includes(decl), `${types} lacks ${decl}`);
    }
  }
});

test('parseReference answers in both dialects', () => {
  const ok = vouch.parseReference('busybox');
  assert.equal(ok.ok, true);
  assert.equal(ok.string, 'docker.io/library/busybox');
  assert.equal(vouch.parseReference('Foo/bar').error_kind, 'name_contains_uppercase');
  assert.equal(vouch.parseReference('Foo/bar', 'distribution').domain, 'Foo');
  assert.throws(() => vouch.parseReference('busybox', 'docker'), /unknown dialect/);
});

test('evaluate takes objects and strings, and refuses other values', () => {
  const request = {
    policy: { default: [{ type: 'reject' }], transports: { docker: { 'quay.io': [{ type: 'insecureAcceptAnything' }] } } },
    transport: 'docker',
    reference: 'quay.io/a/b:1',
  };
  const allowed = vouch.evaluate(request);
  assert.equal(allowed.allowed, true);
  assert.deepEqual(allowed.scope, { transport: 'docker', scope: 'quay.io' });
  assert.deepEqual(vouch.evaluate(JSON.stringify(request)), allowed);
  const denied = vouch.evaluate({ ...request, reference: 'ghcr.io/a/b' });
  assert.equal(denied.allowed, false);
  assert.equal(denied.error_kind, 'requirement');
  const typo = vouch.evaluate({ ...request, referense: 'x' });
  assert.equal(typo.error_kind, 'invalid_request');
  assert.throws(() => vouch.evaluate(42), /object or a JSON string/);
  assert.throws(() => vouch.evaluate(undefined), /object or a JSON string/);
});

test('Evaluator compiles once and reports', () => {
  const evaluator = new vouch.Evaluator({
    policy: { default: [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: '/k.gpg' }] },
  });
  const report = evaluator.report();
  assert.equal(report.accepted, true);
  assert.deepEqual(report.files_missing, ['/k.gpg']);
  const decision = evaluator.evaluate({ transport: 'docker', reference: 'busybox' });
  assert.equal(decision.allowed, false);
  const smuggled = evaluator.evaluate({ transport: 'docker', reference: 'busybox', files: {} });
  assert.match(smuggled.error, /belongs to the compiled policy/);
  evaluator.free();
  const rejected = new vouch.Evaluator('{"policy":{"default":[]}}');
  assert.equal(rejected.report().accepted, false);
  assert.equal(rejected.report().error_kind, 'policy_empty_requirements');
  rejected.free();
});

test('the parity corpus: bundle answers deep-equal the core\'s', { skip: !parity }, () => {
  const requests = readLines(parity, 'bundle-requests.jsonl');
  const expected = readLines(parity, 'bundle-expected.jsonl');
  assert.ok(requests.length >= 140);
  requests.forEach((request, i) => {
    assert.deepEqual(vouch.verifyBundle(request), JSON.parse(expected[i]), `line ${i + 1}`);
  });
});

test('the parity corpus: node answers deep-equal the core\'s', { skip: !parity }, () => {
  const requests = readLines(parity, 'node-requests.jsonl');
  const expected = readLines(parity, 'node-expected.jsonl');
  assert.ok(requests.length >= 300);
  requests.forEach((request, i) => {
    assert.deepEqual(vouch.nodeDecide(request), JSON.parse(expected[i]), `line ${i + 1}`);
  });
});

test('the parity corpus: admission reviews and plans deep-equal the core\'s', { skip: !parity }, () => {
  for (const [name, fn] of [['admit', vouch.admit], ['plan', vouch.admitPlan]]) {
    const requests = readLines(parity, `${name}-requests.jsonl`);
    const expected = readLines(parity, `${name}-expected.jsonl`);
    assert.ok(requests.length >= 120);
    requests.forEach((request, i) => {
      assert.deepEqual(fn(request), JSON.parse(expected[i]), `${name} line ${i + 1}`);
    });
  }
});

test('the parity corpus: metrics rendered identically to the core\'s', { skip: !parity }, () => {
  const requests = readLines(parity, 'metrics-requests.jsonl');
  const answers = readLines(parity, 'metrics-answers.jsonl');
  const metrics = new vouch.Metrics();
  requests.forEach((request, i) => metrics.observe(request, answers[i], (i % 11) * 0.0004));
  assert.equal(metrics.render(), readFileSync(join(parity, 'metrics-expected.txt'), 'utf8'));
  metrics.free();
});

test('the parity corpus: decisions deep-equal the core\'s', { skip: !parity }, () => {
  const requests = readLines(parity, 'requests.jsonl');
  const expected = readLines(parity, 'expected.jsonl');
  assert.ok(requests.length >= 500);
  let asObjects = 0;
  requests.forEach((request, i) => {
    const want = JSON.parse(expected[i]);
    assert.deepEqual(vouch.evaluate(request), want, `line ${i + 1}`);
    // The same request as an object, where JSON.stringify gives back the same bytes.
    let parsed;
    try { parsed = JSON.parse(request); } catch { return; }
    if (parsed === null || typeof parsed !== 'object' || JSON.stringify(parsed) !== request) return;
    assert.deepEqual(vouch.evaluate(parsed), want, `line ${i + 1} as an object`);
    asObjects += 1;
  });
  assert.ok(asObjects >= 500, `${asObjects} requests compared as objects`);
});

test('the parity corpus through Evaluator', { skip: !parity }, () => {
  const policies = readLines(parity, 'policies.jsonl');
  const images = readLines(parity, 'images.jsonl');
  const expected = readLines(parity, 'split-expected.jsonl');
  policies.forEach((policy, i) => {
    const evaluator = new vouch.Evaluator(policy);
    assert.deepEqual(evaluator.evaluate(images[i]), JSON.parse(expected[i]), `line ${i + 1}`);
    evaluator.free();
  });
});
