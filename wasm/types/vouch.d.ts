// The JSON contract of vouch (docs/interchange.md) as TypeScript types.
// Generated: the requests from the request schema (core/src/json/schema.rs), the
// answers from the Rust serde types by ts-rs; do not edit. Regenerate with
// cargo run -q -p vouch-wasm --features ts --bin ts-types > wasm/types/vouch.d.ts

export type EvaluateRequest = { 
/**
 * Echoed in the decision.
 */
id?: string, 
/**
 * The policy document (give one of `policy`, `policy_text`, `policy_base64`).
 */
policy?: Record<string, unknown>, 
/**
 * The policy document as text: keeps its bytes exactly (error positions, duplicate keys).
 */
policy_text?: string, 
/**
 * The policy document's bytes, base64.
 */
policy_base64?: string, 
/**
 * The requirement types the policy may use: `vouch` (the default: containers/image's and vouch's `vouchSigstoreBundle`) or `containers-image` (exactly what containers/image accepts).
 */
policy_dialect?: string, 
/**
 * The files the policy names, by path as written in the policy, base64.
 */
files?: { [key in string]: string }, 
/**
 * Files the policy names that exist but could not be read, by path as written in the policy: why, for a person ("permission denied").
 */
files_unreadable?: { [key in string]: string }, 
/**
 * The transport (`docker`, `oci`, ...).
 */
transport: string, 
/**
 * The reference within the transport.
 */
reference: string, 
/**
 * The manifest bytes, base64.
 */
manifest?: string, 
/**
 * The signatures, in the order the registry returned them.
 */
signatures?: Array<RequestSignature>, 
/**
 * The time of the decision, RFC 3339.
 */
now?: string, };

export type PolicyHalf = { 
/**
 * The policy document (give one of `policy`, `policy_text`, `policy_base64`).
 */
policy?: Record<string, unknown>, 
/**
 * The policy document as text: keeps its bytes exactly (error positions, duplicate keys).
 */
policy_text?: string, 
/**
 * The policy document's bytes, base64.
 */
policy_base64?: string, 
/**
 * The requirement types the policy may use: `vouch` (the default: containers/image's and vouch's `vouchSigstoreBundle`) or `containers-image` (exactly what containers/image accepts).
 */
policy_dialect?: string, 
/**
 * The files the policy names, by path as written in the policy, base64.
 */
files?: { [key in string]: string }, 
/**
 * Files the policy names that exist but could not be read, by path as written in the policy: why, for a person ("permission denied").
 */
files_unreadable?: { [key in string]: string }, };

export type ImageHalf = { 
/**
 * Echoed in the decision.
 */
id?: string, 
/**
 * The transport (`docker`, `oci`, ...).
 */
transport: string, 
/**
 * The reference within the transport.
 */
reference: string, 
/**
 * The manifest bytes, base64.
 */
manifest?: string, 
/**
 * The signatures, in the order the registry returned them.
 */
signatures?: Array<RequestSignature>, 
/**
 * The time of the decision, RFC 3339.
 */
now?: string, };

export type RequestSignature = /* A sigstore bundle attached through the OCI referrers API (cosign v3); give one of `bundle`, `bundle_text`, `bundle_base64`. Only `vouchSigstoreBundle` reads it. */ { 
kind: "bundle", 
/**
 * The bundle document: its bytes exactly as they stand in the request.
 */
bundle?: Record<string, unknown>, 
/**
 * The bundle document as text.
 */
bundle_text?: string, 
/**
 * The bundle document's bytes, base64.
 */
bundle_base64?: string, } | /* containers-signature(5) simple signing: an OpenPGP message. */ { 
kind: "simple", 
/**
 * The message, base64.
 */
blob: string, } | /* A cosign signature: payload and annotations. */ { 
kind: "sigstore", 
/**
 * The attachment's MIME type (default: cosign's simple-signing type).
 */
mime?: string, 
/**
 * The payload, base64.
 */
payload: string, 
/**
 * The annotations (`dev.cosignproject.cosign/signature`, certificates, bundle).
 */
annotations?: { [key in string]: string }, };

export type DecisionAnswer = { 
/**
 * The request's `id`, when it had one.
 */
id?: string, 
/**
 * The verdict.
 */
allowed: boolean, 
/**
 * Why the policy document was rejected; empty when it was accepted.
 */
policy_error: string, 
/**
 * The stable class of the failure; empty when allowed.
 */
error_kind: string, 
/**
 * One line for a person; empty when allowed.
 */
error: string, 
/**
 * The headline's reason code when a requirement denied; empty otherwise.
 */
reason: string, 
/**
 * Which policy entry decided; `null` when none did (bad request, policy or reference).
 */
scope: ScopeAnswer | null, 
/**
 * The image, when its reference was accepted.
 */
image: ImageAnswer | null, 
/**
 * Per requirement of the deciding scope, in order.
 */
requirements: Array<RequirementAnswer>, 
/**
 * Where the policy went wrong, when it was rejected.
 */
policy_error_location: PolicyErrorLocation | null, };

export type ScopeAnswer = { 
/**
 * The transport (`null` for the global default).
 */
transport: string | null, 
/**
 * The scope (`""` for a transport's default entry).
 */
scope: string, };

export type ImageAnswer = { 
/**
 * The transport.
 */
transport: string, 
/**
 * The most specific policy scope (`PolicyConfigurationIdentity`).
 */
policy_identity: string, 
/**
 * The image's docker reference, if it has one.
 */
docker_reference: string | null, };

export type RequirementAnswer = { 
/**
 * 0-based position in the scope's list.
 */
index: number, 
/**
 * The requirement's `type`.
 */
type: string, 
/**
 * `allowed`, `denied` or `not_evaluated`.
 */
verdict: "allowed" | "denied" | "not_evaluated", 
/**
 * The stable reason code (empty unless denied).
 */
reason: string, 
/**
 * The reason for a person (empty unless denied).
 */
message: string, 
/**
 * What happened to each signature it looked at.
 */
signatures: Array<SignatureAnswer>, };

export type SignatureAnswer = { 
/**
 * 0-based position in the request's `signatures`.
 */
index: number, 
/**
 * `simple` or `sigstore`.
 */
kind: "simple" | "sigstore", 
/**
 * `accepted`, `rejected` or `skipped`.
 */
verdict: "accepted" | "rejected" | "skipped", 
/**
 * The stable reason code.
 */
reason: string, 
/**
 * The reason for a person.
 */
message: string, };

export type PolicyErrorLocation = { 
/**
 * The JSON path of the offending value.
 */
path: string, 
/**
 * 1-based line.
 */
line: number, 
/**
 * 1-based column.
 */
column: number, };

export type CompileReport = { 
/**
 * Whether the policy document was accepted; when false every decision is a denial
 * carrying the same error.
 */
accepted: boolean, 
/**
 * The stable class of the failure; empty when accepted.
 */
error_kind: string, 
/**
 * One line for a person; empty when accepted.
 */
error: string, 
/**
 * Why the policy document was rejected; empty when it was accepted or could not be read.
 */
policy_error: string, 
/**
 * Where the policy went wrong, when it was rejected.
 */
policy_error_location: PolicyErrorLocation | null, 
/**
 * Every file the policy names, sorted.
 */
files_needed: Array<string>, 
/**
 * The named files that were not given (each behaves as a file that does not exist).
 */
files_missing: Array<string>, 
/**
 * The named files given as unreadable (`files_unreadable` in the request).
 */
files_unreadable: Array<string>, 
/**
 * Every requirement that will refuse every signature it checks (a key file missing,
 * unreadable or not a usable key, a keyring without keys, a verification this build does
 * not do), in policy order.
 */
problems: Array<CompileProblemAnswer>, };

export type CompileProblemAnswer = { 
/**
 * The policy entry: the transport, `null` for the global default.
 */
transport: string | null, 
/**
 * The scope within the transport (`""` for its default entry and the global default).
 */
scope: string, 
/**
 * The requirement's 0-based position in the entry.
 */
requirement: number, 
/**
 * The requirement's type.
 */
requirement_type: string, 
/**
 * The stable reason code every signature it checks is refused with.
 */
reason: string, 
/**
 * The reason for a person.
 */
message: string, };

export type ReferenceRequest = { 
/**
 * The reference text.
 */
reference: string, 
/**
 * `"containers-image"` (the default) or `"distribution"`.
 */
dialect?: "containers-image" | "distribution", };

export type ReferenceAnswer = { 
/**
 * The reference text as given.
 */
input: string, 
/**
 * Whether it parsed.
 */
ok: boolean, 
/**
 * The stable class of the failure; empty on success.
 */
error_kind: string, 
/**
 * The reference implementation's message; empty on success.
 */
error: string, 
/**
 * `domain/path`.
 */
name: string | null, 
/**
 * The registry host and port; empty when the name has none.
 */
domain: string | null, 
/**
 * The repository path.
 */
path: string | null, 
/**
 * The tag, or `null`.
 */
tag: string | null, 
/**
 * The digest (`algorithm:hex`), or `null`.
 */
digest: string | null, 
/**
 * The whole canonical reference.
 */
string: string | null, 
/**
 * The reference as people write it (`FamiliarString`).
 */
familiar: string | null, };

export type BundleAnswer = { 
/**
 * The request's `id`, when it had one.
 */
id?: string, 
/**
 * Whether the bundle verified.
 */
verified: boolean, 
/**
 * The stable class of the failure; empty when verified.
 */
error_kind: string, 
/**
 * One line for a person; empty when verified.
 */
error: string, 
/**
 * The certificate's identity, for a keyless bundle that verified.
 */
identity: SignerIdentity | null, 
/**
 * The times the signature was observed at, for a bundle that verified.
 */
observed: Array<ObservedTime>, };

export type SignerIdentity = { 
/**
 * The subject alternative name.
 */
subject: string, 
/**
 * The OIDC issuer.
 */
issuer: string, };

export type ObservedTime = { 
/**
 * Who observed it: a transparency log's URL or a time-stamping authority's URI.
 */
by: string, 
/**
 * When (RFC 3339, UTC).
 */
time: string, };
