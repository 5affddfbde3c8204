// Type-checked (tsc --strict --noEmit) against the npm package's declarations by
// scripts/test.sh: the generated types must describe the API as callers write it.
import { evaluate, parseReference, Evaluator } from '@vouch/vouch';
import type { DecisionAnswer, EvaluateRequest, ImageHalf, ReferenceAnswer, CompileReport } from '@vouch/vouch';

const request: EvaluateRequest = {
  policy: { default: [{ type: 'reject' }] },
  files: { '/etc/pki/key.pub': 'AAAA' },
  transport: 'docker',
  reference: 'quay.io/a/b:1',
  manifest: 'e30=',
  signatures: [
    { kind: 'simple', blob: 'AAAA' },
    { kind: 'sigstore', payload: 'e30=', annotations: { 'dev.cosignproject.cosign/signature': 'AAAA' } },
  ],
  now: '2026-11-22T12:00:00Z',
};
const decision: DecisionAnswer = evaluate(request);
const allowed: boolean = decision.allowed;
const verdicts: Array<'allowed' | 'denied' | 'not_evaluated'> = decision.requirements.map((r) => r.verdict);
const scope: string | undefined = decision.scope?.scope;
const fromText: DecisionAnswer = evaluate(JSON.stringify(request));

const evaluator = new Evaluator({ policy_text: '{"default":[{"type":"reject"}]}' });
const report: CompileReport = evaluator.report();
const missing: string[] = report.files_missing;
const pull: ImageHalf = { transport: 'docker', reference: 'busybox' };
const again: DecisionAnswer = evaluator.evaluate(pull);
evaluator.free();

const parsed: ReferenceAnswer = parseReference('busybox', 'distribution');
const name: string | null = parsed.name;

// @ts-expect-error: a signature needs its kind
const bad: EvaluateRequest = { transport: 'docker', reference: 'x', signatures: [{ blob: 'AAAA' }] };

export { allowed, verdicts, scope, fromText, missing, again, name, bad };
