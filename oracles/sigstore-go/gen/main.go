// Generates sigstore bundle verification cases for vouch's differential against sigstore-go.
//
// Usage: sigstore-go-gen [-seed N] [-base N] [-per-variant N]  (the seed also from
// $VOUCH_GEN_SEED). Writes JSON Lines to stdout, each one request of the shape the oracle
// (oracles/sigstore-go) and `vouch bundle` read, with a "name":
//
//	{"name": "...", "bundle_base64": "...", "trusted_root": {...}, "artifact": "<base64>",
//	 "identity": {"subject": "...", "issuer": "..."} | "key": "<PEM>"}
//
// Every case is made in a virtual sigstore of its own keys: a Fulcio CA whose leaves carry
// embedded SCTs of a CT log, a Rekor log that signs SETs and checkpoints, and an RFC 3161
// timestamping authority. Times are placed around 2026-06-01T00:00:00Z. The choices are
// deterministic given the seed; keys and signatures are fresh on each run.
//
// The first cases ("base") are valid bundles of every shape: bundle versions v0.1, v0.2 and
// v0.3, message signatures (hashedrekord entries) and DSSE envelopes (dsse entries), keyless
// signers and managed keys, SETs, inclusion proofs (Rekor v1, and for v0.3 also Rekor v2
// hashedrekord 0.0.2 entries with C2SP checkpoints) and RFC 3161 time stamps. Then come the
// variants, which need bundles or trusted roots made anew: certificates used outside their
// validity, trusted roots whose validity windows or keys do not match, other logs, SCTs,
// checkpoints, time stamps and statements. The Rust differential (conformance/tests/
// bundle_generated.rs) adds the tamperings it can make by editing the bundle.
package main

import (
	"bufio"
	"crypto"
	"crypto/elliptic"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	ct "github.com/google/certificate-transparency-go"
	"github.com/secure-systems-lab/go-securesystemslib/dsse"
)

type gen struct {
	w *world
	r *rand.Rand
	n int
}

// tri is a choice a variant may force: 0 leaves it to chance.
type tri int

const (
	maybe tri = iota
	yes
	no
)

type opts struct {
	version  string // "": any
	dsse     tri
	keyless  tri
	promise  tri
	proof    tri
	tsa      tri
	material string // keyless: "cert", "chain", "chain+root"; "": any the version allows
	keyKind  string
	leafKind string
	rekorV2  tri // v0.3 only
}

func (g *gen) chance(percent int) bool { return g.r.IntN(100) < percent }

func (t tri) decide(g *gen, percent int) bool {
	switch t {
	case yes:
		return true
	case no:
		return false
	}
	return g.chance(percent)
}

func pick[T any](g *gen, items ...T) T { return items[g.r.IntN(len(items))] }

var issuers = []string{
	"https://token.actions.githubusercontent.com",
	"https://accounts.google.com",
	"https://oauth2.sigstore.dev/auth",
	"https://issuer.vouch.test/realms/ci",
}

func (g *gen) randomBytes(n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = byte(g.r.UintN(256))
	}
	return out
}

// base is a valid case of a random shape that o allows.
func (g *gen) base(name string, o opts) *builder {
	g.n++
	b := &builder{w: g.w, name: name}
	b.version = o.version
	if b.version == "" {
		b.version = pick(g, "0.1", "0.2", "0.3")
	}
	b.dsse = o.dsse.decide(g, 50)
	b.keyless = o.keyless.decide(g, 70)
	b.signTime = base.Add(time.Duration(g.r.IntN(60*24*3600)) * time.Second)

	// The artifact.
	if g.chance(50) {
		b.artifact = []byte(fmt.Sprintf("vouch generated artifact %d (%x)\n", g.n, g.randomBytes(8)))
	} else {
		b.artifact = g.randomBytes(1 + g.r.IntN(300))
	}
	b.msgDigestAlg = "SHA2_256"

	if b.keyless {
		leafKind := o.leafKind
		if leafKind == "" {
			leafKind = pick(g, "p256", "p256", "p256", "p256", "p256", "p256", "p256", "p384", "rsa")
		}
		switch leafKind {
		case "p256":
			b.leafKey = mustKey(elliptic.P256())
		case "p384":
			b.leafKey = mustKey(elliptic.P384())
		case "rsa":
			b.leafKey = pick(g, g.w.leafPools["rsa"]...)
		}
		b.tags = append(b.tags, "leaf:"+leafKind)
		if g.chance(50) {
			b.sanKind = "email"
			b.san = fmt.Sprintf("signer%d@vouch.test", g.r.IntN(1000))
		} else {
			b.sanKind = "uri"
			b.san = fmt.Sprintf("https://github.com/vouch-test/app%d/.github/workflows/release.yml@refs/tags/v1.%d", g.r.IntN(10), g.r.IntN(100))
		}
		b.issuer = pick(g, issuers...)
		b.issuerExt = pick(g, "v2", "v2", "v2", "v1", "both")
		b.notBefore = b.signTime.Add(-time.Duration(1+g.r.IntN(60)) * time.Second)
		b.notAfter = b.notBefore.Add(10 * time.Minute)
		b.leafIssuer = g.w.fulcioInter
		b.leafEKU = []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}
		b.scts = []sctSpec{{key: g.w.ct}}
		b.material = o.material
		if b.material == "" {
			if b.version == "0.3" {
				b.material = "cert"
			} else {
				b.material = pick(g, "cert", "chain", "chain", "chain+root")
			}
		}
		switch b.material {
		case "chain":
			b.chainCerts = []*x509.Certificate{g.w.fulcioInter.cert}
		case "chain+root":
			b.chainCerts = []*x509.Certificate{g.w.fulcioInter.cert, g.w.fulcioRoot.cert}
		}
	} else {
		keyKind := o.keyKind
		if keyKind == "" {
			keyKind = pick(g, "p256", "p256", "p256", "p384", "rsa", "ed25519")
			if keyKind == "ed25519" && !b.dsse {
				// sigstore-go verifies Ed25519 message signatures as Ed25519ph, which vouch
				// refuses (docs/bundles.md): not what this differential is about.
				keyKind = "p256"
			}
		}
		b.key = pick(g, g.w.managed[keyKind]...)
		if keyKind == "p384" && !b.dsse {
			// A managed key is verified with its default hash only (no compatibility
			// verifier), and Rekor checks the signature over the entry's digest.
			b.msgDigestAlg = "SHA2_384"
		}
		b.tags = append(b.tags, "key:"+keyKind)
		b.hint = pick(g, "", "vouch-test-key", hex.EncodeToString(g.randomBytes(32)))
	}

	// The log entry and the time stamps.
	var promise, proof, tsa bool
	v2 := b.version == "0.3" && o.rekorV2.decide(g, 20)
	if v2 {
		// Rekor v2: an inclusion proof only, and the time from a time stamp.
		proof, tsa = true, o.tsa != no
	} else if b.version == "0.1" {
		promise = o.promise != no
		proof = o.proof.decide(g, 40)
		tsa = o.tsa.decide(g, 30)
	} else {
		proof = o.proof != no
		promise = o.promise.decide(g, 60)
		tsa = o.tsa.decide(g, 30)
		if !promise && o.tsa == maybe {
			tsa = true
		}
	}
	if promise || proof {
		e := &entrySpec{
			key:        g.w.rekor,
			host:       "rekor.vouch.test",
			integrated: b.signTime.Add(time.Duration(g.r.IntN(30)) * time.Second).Unix(),
			promise:    promise,
			proof:      proof,
			v2:         v2,
		}
		g.placeInTree(e)
		if v2 {
			e.integrated = 0
			b.tags = append(b.tags, "rekor-v2")
		}
		b.entries = append(b.entries, e)
	}
	if tsa {
		b.stamps = append(b.stamps, stampSpec{
			leaf:  g.w.tsaLeaf,
			t:     b.signTime.Add(time.Duration(g.r.IntN(30)) * time.Second),
			hash:  crypto.SHA256,
			embed: g.chance(80),
		})
	}
	b.root = g.w.defaultRoot()
	return b
}

// placeInTree gives an entry its index and tree: sizes from a single leaf to Rekor's, the
// entry anywhere in it, the log index of a shard or not.
func (g *gen) placeInTree(e *entrySpec) {
	switch g.r.IntN(5) {
	case 0:
		e.treeSize = int64(1 + g.r.IntN(8))
	case 1:
		e.treeSize = int64(1 + g.r.IntN(1000))
	default:
		e.treeSize = int64(1 + g.r.IntN(200_000_000))
	}
	switch g.r.IntN(4) {
	case 0:
		e.proofIndex = e.treeSize - 1
	case 1:
		e.proofIndex = int64(g.r.IntN(int(min(e.treeSize, 16))))
	default:
		e.proofIndex = g.r.Int64N(e.treeSize)
	}
	e.logIndex = e.proofIndex
	if g.chance(50) {
		e.logIndex += g.r.Int64N(1_000_000_000)
	}
}

func (g *gen) emit(out *json.Encoder, b *builder) {
	if err := out.Encode(b.build()); err != nil {
		panic(err)
	}
}

func main() {
	seedDefault := uint64(1)
	if s := os.Getenv("VOUCH_GEN_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			fmt.Fprintln(os.Stderr, "VOUCH_GEN_SEED:", err)
			os.Exit(2)
		}
		seedDefault = v
	}
	seed := flag.Uint64("seed", seedDefault, "the seed of the case choices")
	nBase := flag.Int("base", 420, "valid cases of random shapes")
	perVariant := flag.Int("per-variant", 5, "cases of each variant")
	flag.Parse()

	g := &gen{w: newWorld(), r: rand.New(rand.NewPCG(*seed, 0x766f756368))}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	out := json.NewEncoder(w)
	for i := 0; i < *nBase; i++ {
		g.emit(out, g.base(fmt.Sprintf("base#%d", i), opts{}))
	}
	for _, v := range variants() {
		for i := 0; i < *perVariant; i++ {
			b := g.base(fmt.Sprintf("%s#%d", v.name, i), v.opts)
			if v.mutate != nil {
				v.mutate(g, b)
			}
			g.emit(out, b)
		}
	}
}

type variant struct {
	name   string
	opts   opts
	mutate func(g *gen, b *builder)
}

// times sets every observed time: the entries' integrated times and the time stamps.
func setTimes(b *builder, t time.Time) {
	for _, e := range b.entries {
		e.integrated = t.Unix()
	}
	for i := range b.stamps {
		b.stamps[i].t = t
	}
}

func keyHint(pub crypto.PublicKey) *uint32 {
	h := binary.BigEndian.Uint32(logID(pub)[:4])
	return &h
}

func stmtWithSubjects(subjects string) []byte {
	return []byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[` + subjects + `],"predicateType":"https://sigstore.dev/cosign/sign/v1","predicate":{}}`)
}

func sha256Hex(b []byte) string {
	d := crypto.SHA256.New()
	d.Write(b)
	return hex.EncodeToString(d.Sum(nil))
}

func sha512Hex(b []byte) string {
	d := crypto.SHA512.New()
	d.Write(b)
	return hex.EncodeToString(d.Sum(nil))
}

func otherP256(g *gen, not crypto.Signer) crypto.Signer {
	for _, k := range g.w.managed["p256"] {
		if k != not {
			return k
		}
	}
	panic("no other key")
}

// editBody rewrites the log's entries' bodies (before they are signed and included).
func editBody(edit func(map[string]any), indent bool) func(g *gen, b *builder) {
	return func(g *gen, b *builder) {
		for _, e := range b.entries {
			e.bodyEdit = func(body []byte) []byte {
				var m map[string]any
				if err := json.Unmarshal(body, &m); err != nil {
					panic(err)
				}
				edit(m)
				var out []byte
				var err error
				if indent {
					out, err = json.MarshalIndent(m, "", "  ")
				} else {
					out, err = json.Marshal(m)
				}
				if err != nil {
					panic(err)
				}
				return out
			}
		}
	}
}

// manySubjects is a statement with n subjects, the last one the artifact's, each with
// digests digests (sha256 first, then made-up algorithms).
func manySubjects(artifact []byte, n, digests int) []byte {
	var subjects []string
	for i := 0; i < n; i++ {
		value := sha256Hex([]byte(fmt.Sprint(i)))
		if i == n-1 {
			value = sha256Hex(artifact)
		}
		d := fmt.Sprintf(`"sha256":"%s"`, value)
		for j := 1; j < digests; j++ {
			d += fmt.Sprintf(`,"alg%d":"%02x"`, j, j)
		}
		subjects = append(subjects, fmt.Sprintf(`{"name":"s%d","digest":{%s}}`, i, d))
	}
	return stmtWithSubjects(strings.Join(subjects, ","))
}

// useRekorKey moves the case's log to key: its entries, SETs, checkpoints and trusted root.
func useRekorKey(b *builder, key crypto.Signer) {
	for _, e := range b.entries {
		e.key = key
	}
	b.root.tlogs[0].pub = key.Public()
}

func variants() []variant {
	keyless := opts{keyless: yes}
	withSet := opts{promise: yes, rekorV2: no}
	withProof := opts{proof: yes, rekorV2: no}
	withTSA := opts{tsa: yes}
	rekorV2 := opts{version: "0.3", rekorV2: yes}
	// What the log recorded, for Rekor v1 entries (a v2 entry is rebuilt from the bundle).
	v1Only := opts{rekorV2: no}
	v1Msg := opts{dsse: no, rekorV2: no}
	v1Dsse := opts{dsse: yes, rekorV2: no}
	dsseOnly := opts{dsse: yes}
	msgOnly := opts{dsse: no}
	return []variant{
		// Certificates used outside their validity.
		{"cert-expired", keyless, func(g *gen, b *builder) {
			b.notBefore = b.signTime.Add(-20 * time.Minute)
			b.notAfter = b.signTime.Add(-10 * time.Minute)
			setTimes(b, b.signTime)
		}},
		{"cert-not-yet-valid", keyless, func(g *gen, b *builder) {
			b.notBefore = b.signTime.Add(10 * time.Minute)
			b.notAfter = b.signTime.Add(20 * time.Minute)
			setTimes(b, b.signTime)
		}},
		{"cert-notafter-boundary", keyless, func(g *gen, b *builder) { setTimes(b, b.notAfter) }},
		{"cert-notafter-plus-1s", keyless, func(g *gen, b *builder) { setTimes(b, b.notAfter.Add(time.Second)) }},
		{"cert-notbefore-boundary", keyless, func(g *gen, b *builder) { setTimes(b, b.notBefore) }},
		{"cert-notbefore-minus-1s", keyless, func(g *gen, b *builder) { setTimes(b, b.notBefore.Add(-time.Second)) }},
		{"tsa-time-outside-cert", opts{keyless: yes, promise: yes, tsa: yes}, func(g *gen, b *builder) {
			b.stamps[0].t = b.notAfter.Add(time.Minute)
		}},
		{"set-time-outside-cert", opts{keyless: yes, promise: yes, tsa: yes}, func(g *gen, b *builder) {
			b.entries[0].integrated = b.notAfter.Add(time.Minute).Unix()
		}},
		{"proof-time-outside-cert", opts{keyless: yes, promise: no, tsa: yes, version: "0.3"}, func(g *gen, b *builder) {
			b.entries[0].integrated = b.notAfter.Add(time.Minute).Unix()
		}},
		{"integrated-time-absent", opts{promise: no, tsa: yes, version: "0.3"}, func(g *gen, b *builder) {
			b.entries[0].integrated = 0
		}},
		// Chains.
		{"chain-untrusted", keyless, func(g *gen, b *builder) {
			b.leafIssuer = g.w.otherFulcioInter
			if b.material != "cert" {
				b.chainCerts = []*x509.Certificate{g.w.otherFulcioInter.cert, g.w.otherFulcioRoot.cert}[:len(b.chainCerts)]
			}
		}},
		{"chain-intermediate-from-bundle", opts{keyless: yes, version: "0.2", material: "chain"}, func(g *gen, b *builder) {
			b.root.cas[0].chain = []*x509.Certificate{g.w.fulcioRoot.cert}
		}},
		{"chain-intermediate-from-bundle-v0.1", opts{keyless: yes, version: "0.1", material: "chain+root"}, func(g *gen, b *builder) {
			b.root.cas[0].chain = []*x509.Certificate{g.w.fulcioRoot.cert}
		}},
		{"chain-intermediate-missing", opts{keyless: yes, material: "cert"}, func(g *gen, b *builder) {
			b.root.cas[0].chain = []*x509.Certificate{g.w.fulcioRoot.cert}
		}},
		{"chain-foreign-intermediate-in-bundle", opts{keyless: yes, version: "0.2", material: "chain"}, func(g *gen, b *builder) {
			b.chainCerts = []*x509.Certificate{g.w.otherFulcioInter.cert}
		}},
		{"chain-second-ca", keyless, func(g *gen, b *builder) {
			b.leafIssuer = g.w.otherFulcioInter
			b.chainCerts = []*x509.Certificate{g.w.otherFulcioInter.cert, g.w.otherFulcioRoot.cert}[:len(b.chainCerts)]
			b.root.cas = append(b.root.cas, caSpec{
				chain: []*x509.Certificate{g.w.otherFulcioInter.cert, g.w.otherFulcioRoot.cert},
				valid: window{start: at(base.AddDate(0, -1, 0))},
				uri:   "https://fulcio2.vouch.test",
			})
		}},
		{"leaf-eku-serverauth", keyless, func(g *gen, b *builder) {
			b.leafEKU = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		}},
		{"leaf-no-eku", keyless, func(g *gen, b *builder) { b.leafEKU = nil }},
		{"leaf-under-serverauth-intermediate", opts{keyless: yes, material: "cert"}, func(g *gen, b *builder) {
			b.leafIssuer = g.w.fulcioServerAuthInter
			b.root.cas = append(b.root.cas, caSpec{
				chain: []*x509.Certificate{g.w.fulcioServerAuthInter.cert, g.w.fulcioRoot.cert},
				valid: window{start: at(base.AddDate(0, -1, 0))},
				uri:   "https://fulcio3.vouch.test",
			})
		}},
		{"leaf-p384", opts{keyless: yes, leafKind: "p384"}, nil},
		{"leaf-rsa", opts{keyless: yes, leafKind: "rsa"}, nil},
		{"issuer-v1-only", keyless, func(g *gen, b *builder) { b.issuerExt = "v1" }},
		{"issuer-both", keyless, func(g *gen, b *builder) { b.issuerExt = "both" }},
		{"issuer-v1-and-v2-differ", keyless, func(g *gen, b *builder) {
			b.issuerExt = "both"
			b.issuerV1 = "https://other-issuer.vouch.test"
		}},
		{"issuer-v1-and-v2-differ-v1-expected", keyless, func(g *gen, b *builder) {
			b.issuerExt = "both"
			b.issuerV1 = "https://other-issuer.vouch.test"
			b.reqIssuer = &b.issuerV1
		}},
		{"message-digest-sha256-p384-key", opts{dsse: no, keyless: no, keyKind: "p384"}, func(g *gen, b *builder) { b.msgDigestAlg = "SHA2_256" }},
		{"issuer-none", keyless, func(g *gen, b *builder) { b.issuerExt = "none" }},
		{"identity-wrong-san", keyless, func(g *gen, b *builder) {
			s := b.san + "x"
			b.reqSubject = &s
		}},
		{"identity-wrong-issuer", keyless, func(g *gen, b *builder) {
			s := "https://other-issuer.vouch.test"
			b.reqIssuer = &s
		}},
		// The CA's validity window.
		{"ca-not-yet-valid", keyless, func(g *gen, b *builder) {
			b.root.cas[0].valid = window{start: at(b.notAfter.Add(time.Hour))}
		}},
		{"ca-expired", keyless, func(g *gen, b *builder) {
			b.root.cas[0].valid = window{start: at(base.AddDate(-1, 0, 0)), end: at(b.notBefore.Add(-time.Hour))}
		}},
		{"ca-start-boundary", keyless, func(g *gen, b *builder) {
			setTimes(b, b.signTime)
			b.root.cas[0].valid = window{start: at(b.signTime)}
		}},
		{"ca-end-boundary", keyless, func(g *gen, b *builder) {
			setTimes(b, b.signTime)
			b.root.cas[0].valid = window{start: at(base.AddDate(-1, 0, 0)), end: at(b.signTime)}
		}},
		{"ca-end-minus-1s", keyless, func(g *gen, b *builder) {
			setTimes(b, b.signTime)
			b.root.cas[0].valid = window{start: at(base.AddDate(-1, 0, 0)), end: at(b.signTime.Add(-time.Second))}
		}},
		// SCTs.
		{"sct-missing", keyless, func(g *gen, b *builder) { b.scts = nil }},
		{"sct-wrong-key", keyless, func(g *gen, b *builder) {
			b.scts = []sctSpec{{key: g.w.otherCT, id: logID(g.w.ct.Public())}}
		}},
		{"sct-unknown-log", keyless, func(g *gen, b *builder) { b.scts = []sctSpec{{key: g.w.otherCT}} }},
		{"sct-unknown-then-good", keyless, func(g *gen, b *builder) {
			b.scts = []sctSpec{{key: g.w.otherCT}, {key: g.w.ct}}
		}},
		{"sct-bad-signature", keyless, func(g *gen, b *builder) { b.scts = []sctSpec{{key: g.w.ct, badSig: true}} }},
		{"sct-bad-then-good", keyless, func(g *gen, b *builder) {
			b.scts = []sctSpec{{key: g.w.ct, badSig: true}, {key: g.w.ct}}
		}},
		{"sct-two-logs", keyless, func(g *gen, b *builder) {
			b.scts = []sctSpec{{key: g.w.ct2}, {key: g.w.ct}}
			b.root.ctlogs = append(b.root.ctlogs, logSpec{pub: g.w.ct2.Public(), valid: defaultLogWindow(), baseURL: "https://ctfe2.vouch.test"})
		}},
		{"ctlog-not-yet-valid", keyless, func(g *gen, b *builder) {
			b.scts = []sctSpec{{key: g.w.ct, ts: b.notBefore}}
			b.root.ctlogs[0].valid = window{start: at(b.notBefore.Add(time.Second))}
		}},
		{"ctlog-expired", keyless, func(g *gen, b *builder) {
			b.scts = []sctSpec{{key: g.w.ct, ts: b.notBefore}}
			b.root.ctlogs[0].valid = window{start: at(base.AddDate(-1, 0, 0)), end: at(b.notBefore.Add(-time.Second))}
		}},
		{"ctlog-start-boundary", keyless, func(g *gen, b *builder) {
			b.scts = []sctSpec{{key: g.w.ct, ts: b.notBefore}}
			b.root.ctlogs[0].valid = window{start: at(b.notBefore)}
		}},
		{"ctlog-end-boundary", keyless, func(g *gen, b *builder) {
			b.scts = []sctSpec{{key: g.w.ct, ts: b.notBefore}}
			b.root.ctlogs[0].valid = window{start: at(base.AddDate(-1, 0, 0)), end: at(b.notBefore)}
		}},
		{"ctlog-no-window", keyless, func(g *gen, b *builder) { b.root.ctlogs[0].valid = window{} }},
		{"ctlog-other-key", keyless, func(g *gen, b *builder) {
			b.root.ctlogs[0] = logSpec{pub: g.w.otherCT.Public(), id: logID(g.w.ct.Public()), valid: defaultLogWindow()}
		}},
		{"ctlog-missing", keyless, func(g *gen, b *builder) { b.root.ctlogs = nil }},
		// The Rekor log.
		{"rekor-other-key", opts{}, func(g *gen, b *builder) {
			b.root.tlogs[0] = logSpec{pub: g.w.otherRekor.Public(), id: logID(g.w.rekor.Public()), valid: defaultLogWindow(), baseURL: "https://rekor.vouch.test"}
		}},
		{"rekor-unknown-log", opts{}, func(g *gen, b *builder) {
			if len(b.entries) > 0 {
				b.entries[0].id = g.randomBytes(32)
			}
		}},
		{"rekor-extra-unknown-entry", opts{}, func(g *gen, b *builder) {
			if len(b.entries) == 0 {
				return
			}
			e := *b.entries[0]
			e.key, e.host = g.w.otherRekor, "rekor.other.vouch.test"
			b.entries = append([]*entrySpec{&e}, b.entries...)
		}},
		{"rekor-two-logs", opts{}, func(g *gen, b *builder) {
			if len(b.entries) == 0 {
				return
			}
			e := *b.entries[0]
			e.key, e.host = g.w.rekor2, "rekor2.vouch.test"
			b.entries = append(b.entries, &e)
			b.root.tlogs = append(b.root.tlogs, logSpec{pub: g.w.rekor2.Public(), valid: defaultLogWindow(), baseURL: "https://rekor2.vouch.test"})
		}},
		{"rekor-duplicate-entry", opts{}, func(g *gen, b *builder) {
			if len(b.entries) > 0 {
				b.entries = append(b.entries, b.entries[0])
			}
		}},
		{"rekor-two-entries-same-log", opts{}, func(g *gen, b *builder) {
			if len(b.entries) == 0 {
				return
			}
			e := *b.entries[0]
			e.logIndex++
			e.proofIndex = 0
			b.entries = append(b.entries, &e)
		}},
		{"rekor-not-yet-valid", opts{}, func(g *gen, b *builder) {
			if len(b.entries) > 0 {
				b.root.tlogs[0].valid = window{start: at(time.Unix(b.entries[0].integrated+1, 0))}
			}
		}},
		{"rekor-expired", opts{}, func(g *gen, b *builder) {
			if len(b.entries) > 0 {
				b.root.tlogs[0].valid = window{start: at(base.AddDate(-1, 0, 0)), end: at(time.Unix(b.entries[0].integrated-1, 0))}
			}
		}},
		{"rekor-start-boundary", opts{}, func(g *gen, b *builder) {
			if len(b.entries) > 0 {
				b.root.tlogs[0].valid = window{start: at(time.Unix(b.entries[0].integrated, 0))}
			}
		}},
		{"rekor-end-boundary", opts{}, func(g *gen, b *builder) {
			if len(b.entries) > 0 {
				b.root.tlogs[0].valid = window{start: at(base.AddDate(-1, 0, 0)), end: at(time.Unix(b.entries[0].integrated, 0))}
			}
		}},
		{"rekor-missing", withTSA, func(g *gen, b *builder) { b.root.tlogs = nil }},
		{"rekor-no-base-url", opts{}, func(g *gen, b *builder) { b.root.tlogs[0].baseURL = "" }},
		{"set-other-key", withSet, func(g *gen, b *builder) { b.entries[0].setKey = g.w.otherRekor }},
		{"set-other-time", withSet, func(g *gen, b *builder) { b.entries[0].setTime = b.entries[0].integrated + 1 }},
		// Checkpoints.
		{"checkpoint-other-key", withProof, func(g *gen, b *builder) {
			b.entries[0].cp.signers = []cpSigner{{key: g.w.otherRekor, name: b.entries[0].host}}
		}},
		{"checkpoint-other-key-same-hint", withProof, func(g *gen, b *builder) {
			b.entries[0].cp.signers = []cpSigner{{key: g.w.otherRekor, name: b.entries[0].host, hint: keyHint(g.w.rekor.Public())}}
		}},
		{"checkpoint-size-plus-1", withProof, func(g *gen, b *builder) { b.entries[0].cp.sizeDelta = 1 }},
		{"checkpoint-size-minus-1", withProof, func(g *gen, b *builder) {
			if b.entries[0].treeSize > 1 {
				b.entries[0].cp.sizeDelta = -1
			} else {
				b.entries[0].cp.sizeDelta = 5
			}
		}},
		{"checkpoint-extra-witness", withProof, func(g *gen, b *builder) {
			b.entries[0].cp.signers = []cpSigner{{key: g.w.rekor, name: b.entries[0].host}, {key: g.w.otherRekor, name: "witness.vouch.test"}}
		}},
		{"checkpoint-witness-first", withProof, func(g *gen, b *builder) {
			b.entries[0].cp.signers = []cpSigner{{key: g.w.otherRekor, name: "witness.vouch.test"}, {key: g.w.rekor, name: b.entries[0].host}}
		}},
		{"checkpoint-two-log-signatures", withProof, func(g *gen, b *builder) {
			b.entries[0].cp.signers = []cpSigner{{key: g.w.rekor, name: b.entries[0].host}, {key: g.w.rekor, name: "mirror.vouch.test"}}
		}},
		{"checkpoint-other-content", withProof, func(g *gen, b *builder) {
			b.entries[0].cp.other = []string{fmt.Sprintf("Timestamp: %d", b.signTime.UnixNano())}
		}},
		{"checkpoint-no-tree-id", withProof, func(g *gen, b *builder) { b.entries[0].cp.origin = b.entries[0].host }},
		{"checkpoint-other-signer-name", withProof, func(g *gen, b *builder) {
			b.entries[0].cp.signers = []cpSigner{{key: g.w.rekor, name: "other.vouch.test"}}
		}},
		{"checkpoint-other-origin", withProof, func(g *gen, b *builder) { b.entries[0].cp.origin = "other.vouch.test - 42" }},
		{"checkpoint-root-mismatch", withProof, func(g *gen, b *builder) { b.entries[0].cp.rootHash = g.randomBytes(32) }},
		{"proof-single-leaf", withProof, func(g *gen, b *builder) {
			b.entries[0].treeSize, b.entries[0].proofIndex = 1, 0
		}},
		{"proof-last-leaf", withProof, func(g *gen, b *builder) {
			b.entries[0].proofIndex = b.entries[0].treeSize - 1
		}},
		{"proof-power-of-two", withProof, func(g *gen, b *builder) {
			b.entries[0].treeSize = 1 << (1 + g.r.IntN(20))
			b.entries[0].proofIndex = g.r.Int64N(b.entries[0].treeSize)
		}},
		// What the log recorded differs from the bundle.
		{"entry-other-signature", v1Only, func(g *gen, b *builder) {
			// A second signature of the same content by the same key: valid, other bytes.
			if len(b.entries) > 0 {
				b.entries[0].resign = true
			}
		}},
		{"entry-garbage-signature", v1Only, func(g *gen, b *builder) {
			if len(b.entries) > 0 {
				b.entries[0].sig = g.randomBytes(71)
			}
		}},
		{"entry-other-signer", v1Only, func(g *gen, b *builder) {
			if len(b.entries) > 0 {
				b.entries[0].pem = pkixPEM(mustKey(elliptic.P256()).Public())
			}
		}},
		{"entry-other-digest", v1Msg, func(g *gen, b *builder) {
			if len(b.entries) > 0 {
				b.entries[0].digestHex = sha256Hex([]byte("another artifact"))
			}
		}},
		{"entry-other-digest-algorithm", v1Msg, func(g *gen, b *builder) {
			if len(b.entries) > 0 {
				b.entries[0].digestAlg = "sha512"
				b.entries[0].digestHex = sha512Hex(b.artifact)
			}
		}},
		{"entry-other-payload-hash", v1Dsse, func(g *gen, b *builder) {
			if len(b.entries) > 0 {
				b.entries[0].payloadHash = sha256Hex([]byte("another payload"))
			}
		}},
		{"entry-hashedrekord-for-dsse", v1Dsse, func(g *gen, b *builder) {
			if len(b.entries) > 0 {
				b.entries[0].kind = "hashedrekord"
			}
		}},
		{"entry-dsse-for-message", v1Msg, func(g *gen, b *builder) {
			if len(b.entries) > 0 {
				b.entries[0].kind = "dsse"
			}
		}},
		// Message digests.
		{"message-digest-sha512", msgOnly, func(g *gen, b *builder) { b.msgDigestAlg = "SHA2_512" }},
		{"message-digest-sha384", opts{dsse: no, keyless: no, keyKind: "p384"}, func(g *gen, b *builder) { b.msgDigestAlg = "SHA2_384" }},
		{"message-digest-sha384-leaf", opts{dsse: no, keyless: yes, leafKind: "p384"}, func(g *gen, b *builder) { b.msgDigestAlg = "SHA2_384" }},
		// Time stamps.
		{"tsa-other-authority", withTSA, func(g *gen, b *builder) {
			b.stamps[0].leaf, b.stamps[0].embed = g.w.otherTSALeaf, true
		}},
		{"tsa-not-yet-valid", withTSA, func(g *gen, b *builder) {
			b.root.tsas[0].valid = window{start: at(b.stamps[0].t.Add(time.Second))}
		}},
		{"tsa-expired", withTSA, func(g *gen, b *builder) {
			b.root.tsas[0].valid = window{start: at(base.AddDate(-1, 0, 0)), end: at(b.stamps[0].t.Add(-time.Second))}
		}},
		{"tsa-start-boundary", withTSA, func(g *gen, b *builder) {
			b.root.tsas[0].valid = window{start: at(b.stamps[0].t)}
		}},
		{"tsa-end-boundary", withTSA, func(g *gen, b *builder) {
			b.root.tsas[0].valid = window{start: at(base.AddDate(-1, 0, 0)), end: at(b.stamps[0].t)}
		}},
		{"tsa-no-window", withTSA, func(g *gen, b *builder) { b.root.tsas[0].valid = window{} }},
		{"tsa-wrong-imprint", withTSA, func(g *gen, b *builder) { b.stamps[0].over = []byte("something else") }},
		{"tsa-no-embedded-cert", withTSA, func(g *gen, b *builder) { b.stamps[0].embed = false }},
		{"tsa-no-embedded-cert-no-leaf-in-root", withTSA, func(g *gen, b *builder) {
			b.stamps[0].embed = false
			b.root.tsas[0].chain = []*x509.Certificate{g.w.tsaInter.cert, g.w.tsaRoot.cert}
		}},
		{"tsa-root-without-leaf", withTSA, func(g *gen, b *builder) {
			b.stamps[0].embed = true
			b.root.tsas[0].chain = []*x509.Certificate{g.w.tsaInter.cert, g.w.tsaRoot.cert}
		}},
		{"tsa-leaf-expired", withTSA, func(g *gen, b *builder) {
			b.stamps[0].leaf, b.stamps[0].embed = g.w.tsaLeafExpired, true
			b.root.tsas[0].chain = []*x509.Certificate{g.w.tsaInter.cert, g.w.tsaRoot.cert}
		}},
		{"tsa-leaf-other-than-root-leaf", withTSA, func(g *gen, b *builder) {
			b.stamps[0].leaf, b.stamps[0].embed = g.w.tsaLeaf384, true
		}},
		{"tsa-leaf-eku-not-critical", withTSA, func(g *gen, b *builder) {
			b.stamps[0].leaf, b.stamps[0].embed = g.w.tsaLeafNonCritical, true
			b.root.tsas[0].chain = []*x509.Certificate{g.w.tsaInter.cert, g.w.tsaRoot.cert}
		}},
		{"tsa-p384-leaf", withTSA, func(g *gen, b *builder) {
			b.stamps[0].leaf, b.stamps[0].embed = g.w.tsaLeaf384, true
			b.root.tsas[0].chain = []*x509.Certificate{g.w.tsaInter.cert, g.w.tsaRoot.cert}
		}},
		{"tsa-sha384", withTSA, func(g *gen, b *builder) { b.stamps[0].hash = crypto.SHA384 }},
		{"tsa-sha512", withTSA, func(g *gen, b *builder) { b.stamps[0].hash = crypto.SHA512 }},
		{"tsa-fractional-time", withTSA, func(g *gen, b *builder) {
			b.stamps[0].t = b.stamps[0].t.Add(time.Duration(1+g.r.IntN(999)) * time.Millisecond)
		}},
		{"tsa-two-from-one-authority", withTSA, func(g *gen, b *builder) {
			b.stamps = append(b.stamps, b.stamps[0])
		}},
		{"tsa-foreign-then-good", withTSA, func(g *gen, b *builder) {
			s := b.stamps[0]
			s.leaf, s.embed = g.w.otherTSALeaf, true
			b.stamps = append([]stampSpec{s}, b.stamps...)
		}},
		{"tsa-missing-from-root", withTSA, func(g *gen, b *builder) { b.root.tsas = nil }},
		{"no-time-source", opts{promise: no, tsa: no, version: "0.3"}, nil},
		{"no-time-source-v0.2", opts{promise: no, tsa: no, version: "0.2"}, nil},
		{"tsa-only-no-entries", opts{promise: no, proof: no, tsa: yes, version: "0.3"}, nil},
		// Managed keys.
		{"key-p384", opts{keyless: no, keyKind: "p384"}, nil},
		{"key-rsa", opts{keyless: no, keyKind: "rsa"}, nil},
		{"key-ed25519", opts{keyless: no, keyKind: "ed25519", dsse: yes}, nil},
		{"key-wrong", opts{keyless: no, keyKind: "p256"}, func(g *gen, b *builder) {
			b.reqKey = otherP256(g, b.key).Public()
		}},
		// Statements.
		{"statement-wrong-digest", dsseOnly, func(g *gen, b *builder) { b.statement = statementFor([]byte("another artifact")) }},
		{"statement-extra-subject", dsseOnly, func(g *gen, b *builder) {
			b.statement = stmtWithSubjects(`{"name":"other","digest":{"sha256":"` + sha256Hex([]byte("x")) + `"}},{"name":"artifact","digest":{"sha256":"` + sha256Hex(b.artifact) + `"}}`)
		}},
		{"statement-bad-hex-subject", dsseOnly, func(g *gen, b *builder) {
			b.statement = stmtWithSubjects(`{"name":"other","digest":{"sha256":"zz"}},{"name":"artifact","digest":{"sha256":"` + sha256Hex(b.artifact) + `"}}`)
		}},
		{"statement-sha512-only", dsseOnly, func(g *gen, b *builder) {
			b.statement = stmtWithSubjects(`{"name":"artifact","digest":{"sha512":"` + sha512Hex(b.artifact) + `"}}`)
		}},
		{"statement-sha256-and-sha512", dsseOnly, func(g *gen, b *builder) {
			b.statement = stmtWithSubjects(`{"name":"artifact","digest":{"sha256":"` + sha256Hex(b.artifact) + `","sha512":"` + sha512Hex(b.artifact) + `"}}`)
		}},
		{"statement-uppercase-hex", dsseOnly, func(g *gen, b *builder) {
			h := []byte(sha256Hex(b.artifact))
			for i := range h {
				if h[i] >= 'a' && h[i] <= 'f' {
					h[i] -= 32
				}
			}
			b.statement = stmtWithSubjects(`{"name":"artifact","digest":{"sha256":"` + string(h) + `"}}`)
		}},
		{"statement-no-subjects", dsseOnly, func(g *gen, b *builder) { b.statement = stmtWithSubjects("") }},
		{"statement-unknown-field", dsseOnly, func(g *gen, b *builder) {
			b.statement = []byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"` + sha256Hex(b.artifact) + `"}}],"predicateType":"https://sigstore.dev/cosign/sign/v1","predicate":{},"extra":1}`)
		}},
		{"statement-predicate-array", dsseOnly, func(g *gen, b *builder) {
			b.statement = []byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"` + sha256Hex(b.artifact) + `"}}],"predicateType":"https://sigstore.dev/cosign/sign/v1","predicate":[1]}`)
		}},
		{"statement-v0.1-type", dsseOnly, func(g *gen, b *builder) {
			b.statement = []byte(`{"_type":"https://in-toto.io/Statement/v0.1","subject":[{"name":"a","digest":{"sha256":"` + sha256Hex(b.artifact) + `"}}],"predicateType":"https://slsa.dev/provenance/v0.2","predicate":{"builder":{"id":"x"}}}`)
		}},
		{"statement-duplicate-field", dsseOnly, func(g *gen, b *builder) {
			b.statement = []byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"` + sha256Hex(b.artifact) + `"}}],"predicateType":"https://sigstore.dev/cosign/sign/v1","predicateType":"https://sigstore.dev/cosign/sign/v1","predicate":{}}`)
		}},
		{"statement-not-json", dsseOnly, func(g *gen, b *builder) { b.statement = []byte("not a statement") }},
		{"payload-type-other", dsseOnly, func(g *gen, b *builder) { b.payloadType = "application/json" }},
		{"dsse-keyid-of-key", dsseOnly, func(g *gen, b *builder) {
			id, err := dsse.SHA256KeyID(b.signerPub())
			if err != nil {
				panic(err)
			}
			b.keyID = id
		}},
		{"dsse-keyid-other", dsseOnly, func(g *gen, b *builder) { b.keyID = "vouch-test-key-id" }},
		// Logs with other key types.
		{"rekor-p384-key", opts{}, func(g *gen, b *builder) { useRekorKey(b, g.w.rekor384) }},
		{"rekor-rsa-key", opts{}, func(g *gen, b *builder) { useRekorKey(b, g.w.rekorRSA) }},
		{"rekor-rsa-key-proof-only", opts{promise: no, tsa: yes, version: "0.3"}, func(g *gen, b *builder) { useRekorKey(b, g.w.rekorRSA) }},
		{"rekor-ed25519-key", opts{}, func(g *gen, b *builder) { useRekorKey(b, g.w.rekorEd25519) }},
		{"rekor-ed25519-key-proof-only", opts{promise: no, tsa: yes, version: "0.2"}, func(g *gen, b *builder) { useRekorKey(b, g.w.rekorEd25519) }},
		{"ctlog-p384-key", keyless, func(g *gen, b *builder) {
			b.scts = []sctSpec{{key: g.w.ct384}}
			b.root.ctlogs[0].pub = g.w.ct384.Public()
		}},
		{"ctlog-rsa-key", keyless, func(g *gen, b *builder) {
			b.scts = []sctSpec{{key: g.w.ctRSA}}
			b.root.ctlogs[0].pub = g.w.ctRSA.Public()
		}},
		{"sct-with-extensions", keyless, func(g *gen, b *builder) {
			b.scts = []sctSpec{{key: g.w.ct, extensions: ct.CTExtensions{0, 1, 2, 3}}}
		}},
		{"sct-twice-from-one-log", keyless, func(g *gen, b *builder) {
			b.scts = []sctSpec{{key: g.w.ct}, {key: g.w.ct, ts: b.notBefore.Add(time.Second)}}
		}},
		{"sct-list-empty", keyless, func(g *gen, b *builder) {
			b.sctList = func([]byte) []byte { return []byte{0, 0} }
		}},
		{"sct-list-trailing-byte", keyless, func(g *gen, b *builder) {
			b.sctList = func(l []byte) []byte { return append(l, 0) }
		}},
		{"sct-list-length-too-long", keyless, func(g *gen, b *builder) {
			b.sctList = func(l []byte) []byte {
				out := append([]byte{}, l...)
				out[1]++
				return out
			}
		}},
		{"sct-list-not-wrapped", keyless, func(g *gen, b *builder) { b.sctUnwrapped = true }},
		{"sct-list-critical", keyless, func(g *gen, b *builder) { b.sctCritical = true }},
		{"sct-version-2", keyless, func(g *gen, b *builder) { b.scts = []sctSpec{{key: g.w.ct, version: 1}} }},
		{"sct-list-twice-same-sct", keyless, func(g *gen, b *builder) {
			b.sctList = func(l []byte) []byte {
				// The list holds one SCT: its entries (after the 2-byte list length) twice.
				entries := l[2:]
				n := 2 * len(entries)
				out := []byte{byte(n >> 8), byte(n)}
				out = append(out, entries...)
				return append(out, entries...)
			}
		}},
		// Signature encodings.
		{"signature-p1363", opts{leafKind: "p256", keyKind: "p256"}, func(g *gen, b *builder) { b.p1363 = true }},
		{"signature-p1363-p384", opts{leafKind: "p384", keyKind: "p384"}, func(g *gen, b *builder) { b.p1363 = true }},
		// Leaf certificates.
		{"leaf-critical-unknown-extension", keyless, func(g *gen, b *builder) {
			b.leafExtra = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1}, Critical: true, Value: []byte{5, 0}}}
		}},
		{"leaf-unknown-extension", keyless, func(g *gen, b *builder) {
			b.leafExtra = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1}, Value: []byte{5, 0}}}
		}},
		{"san-uri-and-email", keyless, func(g *gen, b *builder) {
			b.sanKind, b.san = "uri", "https://github.com/vouch-test/app/.github/workflows/ci.yml@refs/heads/main"
			b.alsoEmail = "signer@vouch.test"
		}},
		{"san-uri-and-email-expect-email", keyless, func(g *gen, b *builder) {
			b.sanKind, b.san = "uri", "https://github.com/vouch-test/app/.github/workflows/ci.yml@refs/heads/main"
			b.alsoEmail = "signer@vouch.test"
			b.reqSubject = &b.alsoEmail
		}},
		{"san-othername", keyless, func(g *gen, b *builder) { b.sanKind, b.san = "othername", "vouch-user" }},
		{"leaf-under-intermediate-not-ca", opts{keyless: yes, material: "cert"}, func(g *gen, b *builder) {
			b.leafIssuer = g.w.fulcioInterNotCA
			b.root.cas = append(b.root.cas, caSpec{
				chain: []*x509.Certificate{g.w.fulcioInterNotCA.cert, g.w.fulcioRoot.cert},
				valid: window{start: at(base.AddDate(0, -1, 0))},
				uri:   "https://fulcio4.vouch.test",
			})
		}},
		{"leaf-under-expired-intermediate", opts{keyless: yes, material: "cert"}, func(g *gen, b *builder) {
			b.leafIssuer = g.w.fulcioInterExpired
			b.root.cas = append(b.root.cas, caSpec{
				chain: []*x509.Certificate{g.w.fulcioInterExpired.cert, g.w.fulcioRoot.cert},
				valid: window{start: at(base.AddDate(0, -1, 0))},
				uri:   "https://fulcio5.vouch.test",
			})
		}},
		{"ca-listed-twice-first-expired", keyless, func(g *gen, b *builder) {
			expired := b.root.cas[0]
			expired.valid = window{start: at(base.AddDate(-1, 0, 0)), end: at(base.AddDate(0, -1, 0))}
			b.root.cas = append([]caSpec{expired}, b.root.cas...)
		}},
		{"two-trusted-logs-second-time-outside-cert", opts{keyless: yes, promise: yes}, func(g *gen, b *builder) {
			e := *b.entries[0]
			e.key, e.host = g.w.rekor2, "rekor2.vouch.test"
			e.integrated = b.notAfter.Add(time.Hour).Unix()
			b.entries = append(b.entries, &e)
			b.root.tlogs = append(b.root.tlogs, logSpec{pub: g.w.rekor2.Public(), valid: defaultLogWindow(), baseURL: "https://rekor2.vouch.test"})
		}},
		// Time stamp details.
		{"tsa-with-nonce", withTSA, func(g *gen, b *builder) { b.stamps[0].nonce = new(big.Int).SetUint64(g.r.Uint64()) }},
		{"tsa-with-accuracy", withTSA, func(g *gen, b *builder) { b.stamps[0].accuracy = time.Duration(1+g.r.IntN(5)) * time.Second }},
		{"tsa-ordering", withTSA, func(g *gen, b *builder) { b.stamps[0].ordering = true }},
		{"tsa-other-policy", withTSA, func(g *gen, b *builder) { b.stamps[0].policy = asn1.ObjectIdentifier{1, 2, 3, 4, 5} }},
		{"tsa-intermediate-embedded", withTSA, func(g *gen, b *builder) {
			b.stamps[0].embed, b.stamps[0].withChain = true, g.w.tsaInter.cert
			b.root.tsas[0].chain = []*x509.Certificate{g.w.tsaRoot.cert}
		}},
		{"tsa-second-authority", withTSA, func(g *gen, b *builder) {
			b.stamps[0].leaf, b.stamps[0].embed = g.w.otherTSALeaf, true
			b.root.tsas = append(b.root.tsas, caSpec{
				chain: []*x509.Certificate{g.w.otherTSALeaf.cert, g.w.otherTSAInter.cert, g.w.otherTSARoot.cert},
				valid: window{start: at(base.AddDate(0, -6, 0))},
				uri:   "https://tsa2.vouch.test",
			})
		}},
		{"tsa-two-authorities", withTSA, func(g *gen, b *builder) {
			s := b.stamps[0]
			s.leaf, s.embed = g.w.otherTSALeaf, true
			b.stamps = append(b.stamps, s)
			b.root.tsas = append(b.root.tsas, caSpec{
				chain: []*x509.Certificate{g.w.otherTSALeaf.cert, g.w.otherTSAInter.cert, g.w.otherTSARoot.cert},
				valid: window{start: at(base.AddDate(0, -6, 0))},
				uri:   "https://tsa2.vouch.test",
			})
		}},
		// Entry bodies as logs might have written them: still signed, still included.
		{"entry-body-indented", v1Only, editBody(func(m map[string]any) {}, true)},
		{"entry-body-unknown-field", v1Only, editBody(func(m map[string]any) { m["extra"] = "x" }, false)},
		{"entry-body-spec-unknown-field", v1Only, editBody(func(m map[string]any) { m["spec"].(map[string]any)["extra"] = 1 }, false)},
		{"entry-body-api-version-0.0.2", v1Only, editBody(func(m map[string]any) { m["apiVersion"] = "0.0.2" }, false)},
		{"entry-body-kind-intoto", v1Only, editBody(func(m map[string]any) { m["kind"] = "intoto" }, false)},
		{"entry-body-uppercase-digest", v1Msg, editBody(func(m map[string]any) {
			h := m["spec"].(map[string]any)["data"].(map[string]any)["hash"].(map[string]any)
			h["value"] = strings.ToUpper(h["value"].(string))
		}, false)},
		{"entry-body-uppercase-payload-hash", v1Dsse, editBody(func(m map[string]any) {
			h := m["spec"].(map[string]any)["payloadHash"].(map[string]any)
			h["value"] = strings.ToUpper(h["value"].(string))
		}, false)},
		{"entry-body-without-envelope-hash", v1Dsse, editBody(func(m map[string]any) {
			delete(m["spec"].(map[string]any), "envelopeHash")
		}, false)},
		{"entry-body-digest-algorithm-uppercase", v1Msg, editBody(func(m map[string]any) {
			m["spec"].(map[string]any)["data"].(map[string]any)["hash"].(map[string]any)["algorithm"] = "SHA256"
		}, false)},
		{"entry-body-key-pem-with-crlf", v1Only, editBody(func(m map[string]any) {
			spec := m["spec"].(map[string]any)
			var field map[string]any
			key := "content"
			if sig, ok := spec["signature"].(map[string]any); ok {
				field = sig["publicKey"].(map[string]any)
			} else {
				field, key = spec["signatures"].([]any)[0].(map[string]any), "verifier"
			}
			pemBytes, err := base64.StdEncoding.DecodeString(field[key].(string))
			if err != nil {
				panic(err)
			}
			field[key] = base64.StdEncoding.EncodeToString([]byte(strings.ReplaceAll(string(pemBytes), "\n", "\r\n")))
		}, false)},
		// Statement limits.
		{"statement-1024-subjects", dsseOnly, func(g *gen, b *builder) { b.statement = manySubjects(b.artifact, 1024, 1) }},
		{"statement-1025-subjects", dsseOnly, func(g *gen, b *builder) { b.statement = manySubjects(b.artifact, 1025, 1) }},
		{"statement-32-digests", dsseOnly, func(g *gen, b *builder) { b.statement = manySubjects(b.artifact, 1, 32) }},
		{"statement-33-digests", dsseOnly, func(g *gen, b *builder) { b.statement = manySubjects(b.artifact, 1, 33) }},
		// Rekor v2.
		{"v2-base", rekorV2, nil},
		{"v2-keyless-dsse", opts{version: "0.3", rekorV2: yes, keyless: yes, dsse: yes}, nil},
		{"v2-key-message", opts{version: "0.3", rekorV2: yes, keyless: no, dsse: no}, nil},
		{"v2-without-time-stamp", opts{version: "0.3", rekorV2: yes, tsa: no}, nil},
		{"v2-checkpoint-other-origin", rekorV2, func(g *gen, b *builder) { b.entries[0].cp.origin = "other.vouch.test" }},
		{"v2-checkpoint-signer-other-name", rekorV2, func(g *gen, b *builder) {
			b.entries[0].cp.signers = []cpSigner{{key: g.w.rekor, name: "other.vouch.test"}}
		}},
		{"v2-checkpoint-other-key", rekorV2, func(g *gen, b *builder) {
			b.entries[0].cp.signers = []cpSigner{{key: g.w.otherRekor, name: b.entries[0].host}}
		}},
		{"v2-checkpoint-witnessed", rekorV2, func(g *gen, b *builder) {
			b.entries[0].witnesses = []cpSigner{{key: g.w.otherRekor, name: "witness.vouch.test"}}
		}},
		{"v2-checkpoint-witness-only", rekorV2, func(g *gen, b *builder) {
			b.entries[0].cp.signers = []cpSigner{{key: g.w.otherRekor, name: "witness.vouch.test"}}
		}},
		{"v2-checkpoint-size-plus-1", rekorV2, func(g *gen, b *builder) { b.entries[0].cp.sizeDelta = 1 }},
		{"v2-checkpoint-root-mismatch", rekorV2, func(g *gen, b *builder) { b.entries[0].cp.rootHash = g.randomBytes(32) }},
		{"v2-checkpoint-extension-line", rekorV2, func(g *gen, b *builder) { b.entries[0].cp.other = []string{"extension line"} }},
		{"v2-checkpoint-v1-origin", rekorV2, func(g *gen, b *builder) { b.entries[0].cp.origin = "rekor.vouch.test - 42" }},
		{"v2-body-other-signature", rekorV2, func(g *gen, b *builder) {
			b.entries[0].v2Body = func(b *builder) []byte { return b.v2Body(g.randomBytes(64)) }
		}},
		{"v2-body-v1-entry", rekorV2, func(g *gen, b *builder) {
			b.entries[0].v2Body = func(b *builder) []byte {
				body, _ := b.body(&entrySpec{})
				return body
			}
		}},
		{"v2-root-without-base-url", rekorV2, func(g *gen, b *builder) { b.root.tlogs[0].baseURL = "" }},
		{"v2-root-other-host", rekorV2, func(g *gen, b *builder) { b.root.tlogs[0].baseURL = "https://rekor2.vouch.test" }},
		{"v2-root-base-url-with-port", rekorV2, func(g *gen, b *builder) { b.root.tlogs[0].baseURL = "https://rekor.vouch.test:8443/api" }},
		{"v2-not-yet-valid-log", rekorV2, func(g *gen, b *builder) {
			b.root.tlogs[0].valid = window{start: at(b.signTime.Add(time.Hour))}
		}},
		{"v2-with-integrated-time", rekorV2, func(g *gen, b *builder) { b.entries[0].integrated = b.signTime.Unix() }},
		{"v2-p384-leaf", opts{version: "0.3", rekorV2: yes, keyless: yes, leafKind: "p384"}, nil},
		{"v2-rsa-key", opts{version: "0.3", rekorV2: yes, keyless: no, keyKind: "rsa"}, nil},
		{"v2-ed25519-key", opts{version: "0.3", rekorV2: yes, keyless: no, keyKind: "ed25519", dsse: yes}, nil},
		{"v2-rekor-p384-key", rekorV2, func(g *gen, b *builder) { useRekorKey(b, g.w.rekor384) }},
		{"v2-rekor-ed25519-key", rekorV2, func(g *gen, b *builder) { useRekorKey(b, g.w.rekorEd25519) }},
		{"v2-rekor-rsa-key", rekorV2, func(g *gen, b *builder) { useRekorKey(b, g.w.rekorRSA) }},
		// Media types and what each version requires.
		{"mediatype-v0.3-old-spelling", opts{version: "0.3"}, func(g *gen, b *builder) {
			b.mediaType = "application/vnd.dev.sigstore.bundle+json;version=0.3"
		}},
		{"mediatype-v0.2-new-spelling", opts{version: "0.2"}, func(g *gen, b *builder) {
			b.mediaType = "application/vnd.dev.sigstore.bundle.v0.2+json"
		}},
		{"v0.3-with-chain", opts{version: "0.3", keyless: yes, material: "chain"}, func(g *gen, b *builder) {
			b.chainCerts = []*x509.Certificate{g.w.fulcioInter.cert}
		}},
		{"v0.1-without-promise", opts{version: "0.1", promise: no, proof: yes, tsa: yes}, nil},
		{"v0.2-without-proof", opts{version: "0.2", promise: yes, proof: no}, nil},
	}
}
