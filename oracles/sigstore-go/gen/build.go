package main

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"time"

	"github.com/cyberphone/json-canonicalization/go/src/webpki.org/jsoncanonicalizer"
	"github.com/digitorus/timestamp"
	"github.com/go-openapi/strfmt"
	ct "github.com/google/certificate-transparency-go"
	"github.com/google/certificate-transparency-go/ctutil"
	cttls "github.com/google/certificate-transparency-go/tls"
	ctx509 "github.com/google/certificate-transparency-go/x509"
	"github.com/google/certificate-transparency-go/x509util"
	"github.com/secure-systems-lab/go-securesystemslib/dsse"
	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	protodsse "github.com/sigstore/protobuf-specs/gen/pb-go/dsse"
	protorekor "github.com/sigstore/protobuf-specs/gen/pb-go/rekor/v1"
	rekortilespb "github.com/sigstore/rekor-tiles/v2/pkg/generated/protobuf"
	rekornote "github.com/sigstore/rekor-tiles/v2/pkg/note"
	"github.com/sigstore/rekor/pkg/generated/models"
	"github.com/sigstore/rekor/pkg/util"
	"github.com/sigstore/sigstore-go/pkg/tlog"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/sigstore/sigstore/pkg/signature"
	"github.com/sigstore/sigstore/pkg/signature/options"
	f_log "github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"
	"google.golang.org/protobuf/encoding/protojson"
)

var (
	oidIssuerV1 = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1, 1}
	oidIssuerV2 = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1, 8}
	oidSCTList  = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11129, 2, 4, 2}
)

const intotoType = "application/vnd.in-toto+json"

// sctSpec is one SCT embedded in a leaf.
type sctSpec struct {
	key        crypto.Signer
	id         []byte // nil: the key's log ID
	ts         time.Time
	badSig     bool // signed over another timestamp than the one it carries
	extensions ct.CTExtensions
	version    ct.Version // 0: v1
}

type cpSigner struct {
	key  crypto.Signer
	name string
	hint *uint32 // the key hint written, when not the key's own
}

// checkpointSpec says how an entry's checkpoint differs from the log's own.
type checkpointSpec struct {
	origin    string // "": "<host> - <tree ID>"
	sizeDelta int64
	other     []string
	signers   []cpSigner // nil: the log's key, named by its host
	rootHash  []byte     // nil: the proof's root
}

// entrySpec is one Rekor v1 entry.
type entrySpec struct {
	key        crypto.Signer // the log's key
	id         []byte        // nil: the key's log ID
	host       string
	integrated int64 // Unix seconds, 0 for none
	logIndex   int64
	promise    bool
	setKey     crypto.Signer // nil: key
	setTime    int64         // the integrated time the SET signs, when not the entry's
	proof      bool
	treeSize   int64
	proofIndex int64
	cp         checkpointSpec

	// What the log recorded, when not the bundle's.
	kind        string // "hashedrekord" or "dsse"; "": the bundle's
	sig         []byte
	pem         []byte
	digestHex   string
	digestAlg   string
	payloadHash string
	bodyEdit    func([]byte) []byte     // the body as the log wrote it, when not canonical
	v2          bool                    // a Rekor v2 hashedrekord 0.0.2 entry with a C2SP checkpoint
	v2Body      func(b *builder) []byte // a v2 body other than the bundle's
	witnesses   []cpSigner              // v2: cosigners of the checkpoint
	resign      bool                    // the log holds another signature of the same content by the same key
}

type stampSpec struct {
	leaf      authority
	t         time.Time
	hash      crypto.Hash
	embed     bool
	over      []byte // what is stamped, when not the signature
	nonce     *big.Int
	accuracy  time.Duration
	ordering  bool
	policy    asn1.ObjectIdentifier
	withChain *x509.Certificate // a further certificate embedded
}

// builder holds everything one case is made of.
type builder struct {
	w    *world
	name string
	tags []string

	version string // "0.1", "0.2", "0.3"
	dsse    bool
	keyless bool

	signTime time.Time

	// keyless
	leafKey    crypto.Signer
	sanKind    string // "email" or "uri"
	san        string
	issuer     string
	issuerExt  string // "v1", "v2", "both", "none"
	issuerV1   string // the legacy extension's value, when not the issuer
	notBefore  time.Time
	notAfter   time.Time
	leafIssuer authority
	leafEKU    []x509.ExtKeyUsage
	scts       []sctSpec
	// The SCT list extension, when not as Fulcio writes it.
	sctList      func([]byte) []byte // the TLS-encoded list, rewritten
	sctUnwrapped bool                // the list not wrapped in an OCTET STRING
	sctCritical  bool
	material     string              // "cert", "chain", "chain+root"
	chainCerts   []*x509.Certificate // the chain's certificates after the leaf
	leaf         *x509.Certificate

	// managed key
	key  crypto.Signer
	hint string

	// content
	artifact     []byte
	statement    []byte
	payloadType  string
	keyID        string
	msgDigestAlg string // "SHA2_256", "SHA2_384", "SHA2_512"
	p1363        bool   // ECDSA signatures as r || s

	leafExtra []pkix.Extension
	alsoEmail string // an e-mail SAN beside the URI
	sig       []byte

	entries []*entrySpec
	stamps  []stampSpec
	root    rootSpec

	// request
	reqKey     crypto.PublicKey // nil: the signer's
	reqSubject *string
	reqIssuer  *string
	mediaType  string // "": the version's
}

// request is one line of output: the request the oracle and vouch read.
type request struct {
	Name         string          `json:"name"`
	BundleBase64 string          `json:"bundle_base64"`
	TrustedRoot  json.RawMessage `json:"trusted_root"`
	Artifact     string          `json:"artifact"`
	Identity     *identity       `json:"identity,omitempty"`
	Key          *string         `json:"key,omitempty"`
}

type identity struct {
	Subject string `json:"subject"`
	Issuer  string `json:"issuer"`
}

func statementFor(artifact []byte) []byte {
	sum := sha256.Sum256(artifact)
	return []byte(fmt.Sprintf(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"artifact.bin","digest":{"sha256":"%s"}}],"predicateType":"https://sigstore.dev/cosign/sign/v1","predicate":{}}`, hex.EncodeToString(sum[:])))
}

func (b *builder) signerPub() crypto.PublicKey {
	if b.keyless {
		return b.leafKey.Public()
	}
	return b.key.Public()
}

func (b *builder) signer() crypto.Signer {
	if b.keyless {
		return b.leafKey
	}
	return b.key
}

// makeLeaf issues the leaf certificate with its SCTs, as Fulcio does: the SCTs sign the
// precertificate's TBS, which is the final TBS without the SCT list.
func (b *builder) makeLeaf() {
	var exts []pkix.Extension
	if b.issuerExt == "v1" || b.issuerExt == "both" {
		v1 := b.issuer
		if b.issuerV1 != "" {
			v1 = b.issuerV1
		}
		exts = append(exts, pkix.Extension{Id: oidIssuerV1, Value: []byte(v1)})
	}
	if b.issuerExt == "v2" || b.issuerExt == "both" {
		v, err := asn1.MarshalWithParams(b.issuer, "utf8")
		if err != nil {
			panic(err)
		}
		exts = append(exts, pkix.Extension{Id: oidIssuerV2, Value: v})
	}
	tmpl := &x509.Certificate{
		SerialNumber:    serial(),
		NotBefore:       b.notBefore,
		NotAfter:        b.notAfter,
		KeyUsage:        x509.KeyUsageDigitalSignature,
		ExtKeyUsage:     b.leafEKU,
		ExtraExtensions: exts,
	}
	tmpl.ExtraExtensions = append(tmpl.ExtraExtensions, b.leafExtra...)
	if b.alsoEmail != "" {
		tmpl.EmailAddresses = []string{b.alsoEmail}
	}
	switch b.sanKind {
	case "othername":
		ext, err := cryptoutils.MarshalOtherNameSAN(b.san, true)
		if err != nil {
			panic(err)
		}
		tmpl.ExtraExtensions = append(tmpl.ExtraExtensions, *ext)
	case "uri":
		u, err := url.Parse(b.san)
		if err != nil {
			panic(err)
		}
		tmpl.URIs = []*url.URL{u}
	default:
		tmpl.EmailAddresses = []string{b.san}
	}
	pre := createCert(tmpl, b.leafIssuer.cert, b.leafKey.Public(), b.leafIssuer.key)
	if len(b.scts) == 0 {
		b.leaf = pre
		return
	}
	issuerKeyHash := sha256.Sum256(b.leafIssuer.cert.RawSubjectPublicKeyInfo)
	var scts []*ct.SignedCertificateTimestamp
	for _, s := range b.scts {
		id := s.id
		if id == nil {
			id = logID(s.key.Public())
		}
		ts := s.ts
		if ts.IsZero() {
			ts = b.notBefore.Add(1234 * time.Millisecond)
		}
		ms := uint64(ts.UnixMilli())
		signedMs := ms
		if s.badSig {
			signedMs = ms + 1
		}
		sct := ct.SignedCertificateTimestamp{SCTVersion: ct.V1, Timestamp: signedMs, Extensions: s.extensions}
		copy(sct.LogID.KeyID[:], id)
		leaf := ct.MerkleTreeLeaf{
			Version:  ct.V1,
			LeafType: ct.TimestampedEntryLeafType,
			TimestampedEntry: &ct.TimestampedEntry{
				EntryType:  ct.PrecertLogEntryType,
				Timestamp:  signedMs,
				Extensions: s.extensions,
				PrecertEntry: &ct.PreCert{
					IssuerKeyHash:  issuerKeyHash,
					TBSCertificate: pre.RawTBSCertificate,
				},
			},
		}
		input, err := ct.SerializeSCTSignatureInput(sct, ct.LogEntry{Leaf: leaf})
		if err != nil {
			panic(err)
		}
		d := sha256.Sum256(input)
		sigAlg := cttls.ECDSA
		if _, ok := s.key.(*rsa.PrivateKey); ok {
			sigAlg = cttls.RSA
		}
		sct.Timestamp = ms
		sct.Extensions = s.extensions
		sct.SCTVersion = s.version // signed as v1
		sct.Signature = ct.DigitallySigned{
			Algorithm: cttls.SignatureAndHashAlgorithm{Hash: cttls.SHA256, Signature: sigAlg},
			Signature: signDigest(s.key, d[:], crypto.SHA256),
		}
		scts = append(scts, &sct)
	}
	list, err := x509util.MarshalSCTsIntoSCTList(scts)
	if err != nil {
		panic(err)
	}
	listBytes, err := cttls.Marshal(*list)
	if err != nil {
		panic(err)
	}
	if b.sctList != nil {
		listBytes = b.sctList(listBytes)
	}
	value, err := asn1.Marshal(listBytes)
	if err != nil {
		panic(err)
	}
	if b.sctUnwrapped {
		value = listBytes
	}
	tmpl.ExtraExtensions = append(tmpl.ExtraExtensions, pkix.Extension{Id: oidSCTList, Value: value, Critical: b.sctCritical})
	b.leaf = createCert(tmpl, b.leafIssuer.cert, b.leafKey.Public(), b.leafIssuer.key)
	if b.sctList != nil || b.sctUnwrapped || b.scts[0].version != 0 {
		return
	}
	// The first SCT, when it is meant to verify, must: the precertificate TBS is the leaf's
	// TBS without its SCT list.
	// (certificate-transparency-go verifies P-256 and RSA logs only.)
	if k, ok := b.scts[0].key.(*ecdsa.PrivateKey); !b.scts[0].badSig && (!ok || k.Curve == elliptic.P256()) {
		chain, err := ctx509.ParseCertificates(append(append([]byte{}, b.leaf.Raw...), b.leafIssuer.cert.Raw...))
		if err != nil {
			panic(err)
		}
		if err := ctutil.VerifySCT(b.scts[0].key.Public(), chain, scts[0], true); err != nil {
			panic(fmt.Sprintf("%s: the SCT does not verify: %v", b.name, err))
		}
	}
}

func (b *builder) signerPEM() []byte {
	if b.keyless {
		return certPEM(b.leaf)
	}
	return pkixPEM(b.key.Public())
}

func (b *builder) messageDigest() []byte {
	switch b.msgDigestAlg {
	case "SHA2_384":
		d := sha512.Sum384(b.artifact)
		return d[:]
	case "SHA2_512":
		d := sha512.Sum512(b.artifact)
		return d[:]
	}
	d := sha256.Sum256(b.artifact)
	return d[:]
}

// signMessage signs the artifact as a client does for a hashedrekord entry: over the message
// digest (Rekor checks the signature against it), except that Ed25519 signs the artifact.
func (b *builder) signMessage(key crypto.Signer) []byte {
	if _, ok := key.(ed25519.PrivateKey); ok {
		return sign(key, b.artifact)
	}
	h := crypto.SHA256
	switch b.msgDigestAlg {
	case "SHA2_384":
		h = crypto.SHA384
	case "SHA2_512":
		h = crypto.SHA512
	}
	return signDigest(key, b.messageDigest(), h)
}

func rekorAlg(protoAlg string) string {
	switch protoAlg {
	case "SHA2_384":
		return "sha384"
	case "SHA2_512":
		return "sha512"
	}
	return "sha256"
}

func (b *builder) envelopeJSON() []byte {
	env := dsse.Envelope{
		PayloadType: b.payloadType,
		Payload:     base64.StdEncoding.EncodeToString(b.statement),
		Signatures:  []dsse.Signature{{KeyID: b.keyID, Sig: base64.StdEncoding.EncodeToString(b.sig)}},
	}
	out, err := json.Marshal(env)
	if err != nil {
		panic(err)
	}
	return out
}

// body is the entry's canonicalized body, as Rekor's types canonicalize it.
func (b *builder) body(e *entrySpec) ([]byte, string) {
	kind := e.kind
	if kind == "" {
		kind = "hashedrekord"
		if b.dsse {
			kind = "dsse"
		}
	}
	sig := b.sig
	if e.resign {
		if b.dsse {
			sig = sign(b.signer(), dsse.PAE(b.payloadType, b.statement))
		} else {
			sig = b.signMessage(b.signer())
		}
	}
	if e.sig != nil {
		sig = e.sig
	}
	pemBytes := b.signerPEM()
	if e.pem != nil {
		pemBytes = e.pem
	}
	var out []byte
	var err error
	switch kind {
	case "hashedrekord":
		alg := rekorAlg(b.msgDigestAlg)
		value := hex.EncodeToString(b.messageDigest())
		if b.dsse {
			d := sha256.Sum256(b.statement)
			alg, value = "sha256", hex.EncodeToString(d[:])
		}
		if e.digestAlg != "" {
			alg = e.digestAlg
		}
		if e.digestHex != "" {
			value = e.digestHex
		}
		version := "0.0.1"
		out, err = json.Marshal(&models.Hashedrekord{
			APIVersion: &version,
			Spec: &models.HashedrekordV001Schema{
				Data: &models.HashedrekordV001SchemaData{
					Hash: &models.HashedrekordV001SchemaDataHash{Algorithm: &alg, Value: &value},
				},
				Signature: &models.HashedrekordV001SchemaSignature{
					Content:   strfmt.Base64(sig),
					PublicKey: &models.HashedrekordV001SchemaSignaturePublicKey{Content: strfmt.Base64(pemBytes)},
				},
			},
		})
	case "dsse":
		envHash := sha256.Sum256(b.envelopeJSON())
		payloadHash := sha256.Sum256(b.statement)
		ph := hex.EncodeToString(payloadHash[:])
		if e.payloadHash != "" {
			ph = e.payloadHash
		}
		eh := hex.EncodeToString(envHash[:])
		sha := "sha256"
		sigB64 := base64.StdEncoding.EncodeToString(sig)
		verifier := strfmt.Base64(pemBytes)
		version := "0.0.1"
		out, err = json.Marshal(&models.DSSE{
			APIVersion: &version,
			Spec: &models.DSSEV001Schema{
				EnvelopeHash: &models.DSSEV001SchemaEnvelopeHash{Algorithm: &sha, Value: &eh},
				PayloadHash:  &models.DSSEV001SchemaPayloadHash{Algorithm: &sha, Value: &ph},
				Signatures:   []*models.DSSEV001SchemaSignaturesItems0{{Signature: &sigB64, Verifier: &verifier}},
			},
		})
	default:
		panic(kind)
	}
	if err != nil {
		panic(err)
	}
	return out, kind
}

// inclusion makes a proof for a leaf of a tree whose other nodes are random: the path's
// hashes are random, and the root is what they make.
func inclusion(leafHash []byte, index, size uint64) ([][]byte, []byte) {
	var path [][]byte
	fn, sn := index, size-1
	r := leafHash
	for sn != 0 {
		p := make([]byte, 32)
		if _, err := rand.Read(p); err != nil {
			panic(err)
		}
		path = append(path, p)
		if fn&1 == 1 || fn == sn {
			r = rfc6962.DefaultHasher.HashChildren(p, r)
			if fn&1 == 0 {
				for fn&1 == 0 && fn != 0 {
					fn >>= 1
					sn >>= 1
				}
			}
		} else {
			r = rfc6962.DefaultHasher.HashChildren(r, p)
		}
		fn >>= 1
		sn >>= 1
	}
	if err := proof.VerifyInclusion(rfc6962.DefaultHasher, index, size, leafHash, path, r); err != nil {
		panic(err)
	}
	return path, r
}

func (b *builder) checkpoint(e *entrySpec, size int64, root []byte) string {
	treeID := int64(1193050959916656506)
	origin := e.cp.origin
	if origin == "" {
		origin = fmt.Sprintf("%s - %d", e.host, treeID)
	}
	if e.cp.rootHash != nil {
		root = e.cp.rootHash
	}
	sc, err := util.CreateSignedCheckpoint(util.Checkpoint{
		Origin:       origin,
		Size:         uint64(size + e.cp.sizeDelta),
		Hash:         root,
		OtherContent: e.cp.other,
	})
	if err != nil {
		panic(err)
	}
	signers := e.cp.signers
	if signers == nil {
		signers = []cpSigner{{key: e.key, name: e.host}}
	}
	for _, s := range signers {
		sv, err := signature.LoadSignerVerifier(s.key, crypto.SHA256)
		if err != nil {
			panic(err)
		}
		if _, err := sc.Sign(s.name, sv, options.WithContext(context.Background())); err != nil {
			panic(err)
		}
		if s.hint != nil {
			sc.Signatures[len(sc.Signatures)-1].Hash = *s.hint
		}
	}
	text, err := sc.MarshalText()
	if err != nil {
		panic(err)
	}
	return string(text)
}

func (b *builder) entry(e *entrySpec) *protorekor.TransparencyLogEntry {
	if e.v2 {
		return b.entryV2(e)
	}
	body, kind := b.body(e)
	if e.bodyEdit != nil {
		body = e.bodyEdit(body)
	}
	id := e.id
	if id == nil {
		id = logID(e.key.Public())
	}
	tle := &protorekor.TransparencyLogEntry{
		LogIndex:          e.logIndex,
		LogId:             &protocommon.LogId{KeyId: id},
		KindVersion:       &protorekor.KindVersion{Kind: kind, Version: "0.0.1"},
		IntegratedTime:    e.integrated,
		CanonicalizedBody: body,
	}
	if e.promise {
		setTime := e.integrated
		if e.setTime != 0 {
			setTime = e.setTime
		}
		payload := tlog.RekorPayload{
			Body:           base64.StdEncoding.EncodeToString(body),
			IntegratedTime: setTime,
			LogIndex:       e.logIndex,
			LogID:          hex.EncodeToString(id),
		}
		raw, err := json.Marshal(payload)
		if err != nil {
			panic(err)
		}
		canonical, err := jsoncanonicalizer.Transform(raw)
		if err != nil {
			panic(err)
		}
		key := e.key
		if e.setKey != nil {
			key = e.setKey
		}
		var set []byte
		if _, ok := key.(ed25519.PrivateKey); ok {
			set = ed25519.Sign(key.(ed25519.PrivateKey), canonical)
		} else {
			d := sha256.Sum256(canonical)
			set = signDigest(key, d[:], crypto.SHA256)
		}
		tle.InclusionPromise = &protorekor.InclusionPromise{SignedEntryTimestamp: set}
	}
	if e.proof {
		leafHash := rfc6962.DefaultHasher.HashLeaf(body)
		path, root := inclusion(leafHash, uint64(e.proofIndex), uint64(e.treeSize))
		tle.InclusionProof = &protorekor.InclusionProof{
			LogIndex:   e.proofIndex,
			RootHash:   root,
			TreeSize:   e.treeSize,
			Hashes:     path,
			Checkpoint: &protorekor.Checkpoint{Envelope: b.checkpoint(e, e.treeSize, root)},
		}
	}
	return tle
}

func stamp(s stampSpec, signature []byte) []byte {
	over := signature
	if s.over != nil {
		over = s.over
	}
	h := s.hash.New()
	h.Write(over)
	policy := s.policy
	if policy == nil {
		policy = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 2}
	}
	ts := timestamp.Timestamp{
		HashAlgorithm:     s.hash,
		HashedMessage:     h.Sum(nil),
		Time:              s.t,
		Policy:            policy,
		AddTSACertificate: s.embed,
		Nonce:             s.nonce,
		Accuracy:          s.accuracy,
		Ordering:          s.ordering,
	}
	if s.withChain != nil {
		ts.Certificates = []*x509.Certificate{s.withChain}
	}
	signHash := crypto.SHA256
	if k, ok := s.leaf.key.(*ecdsa.PrivateKey); ok && k.Curve.Params().BitSize == 384 {
		signHash = crypto.SHA384
	}
	resp, err := ts.CreateResponseWithOpts(s.leaf.cert, s.leaf.key, signHash)
	if err != nil {
		panic(err)
	}
	return resp
}

// v2Body is the canonical body of the Rekor v2 hashedrekord entry of the bundle's
// signature: the digest of the message (or of the DSSE PAE) under the key's prehash.
func (b *builder) v2Body(sig []byte) []byte {
	pub := b.signerPub()
	details, err := signature.GetDefaultAlgorithmDetails(pub, options.WithED25519ph())
	if err != nil {
		panic(err)
	}
	verifier := &rekortilespb.Verifier{KeyDetails: details.GetSignatureAlgorithm()}
	if b.keyless {
		verifier.Verifier = &rekortilespb.Verifier_X509Certificate{X509Certificate: &protocommon.X509Certificate{RawBytes: b.leaf.Raw}}
	} else {
		der, err := x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			panic(err)
		}
		verifier.Verifier = &rekortilespb.Verifier_PublicKey{PublicKey: &rekortilespb.PublicKey{RawBytes: der}}
	}
	digest := b.messageDigest()
	if b.dsse {
		h := details.GetHashType().New()
		h.Write(dsse.PAE(b.payloadType, b.statement))
		digest = h.Sum(nil)
	}
	entry := &rekortilespb.Entry{
		Kind:       "hashedrekord",
		ApiVersion: "0.0.2",
		Spec: &rekortilespb.Spec{Spec: &rekortilespb.Spec_HashedRekordV002{HashedRekordV002: &rekortilespb.HashedRekordLogEntryV002{
			Data:      &protocommon.HashOutput{Algorithm: details.GetProtoHashType(), Digest: digest},
			Signature: &rekortilespb.Signature{Content: sig, Verifier: verifier},
		}}},
	}
	raw, err := protojson.Marshal(entry)
	if err != nil {
		panic(err)
	}
	body, err := jsoncanonicalizer.Transform(raw)
	if err != nil {
		panic(err)
	}
	return body
}

// entryV2 is a Rekor v2 entry: no SET and no integrated time; the proof is checked against
// the C2SP checkpoint's size and root, and the entry's log index.
func (b *builder) entryV2(e *entrySpec) *protorekor.TransparencyLogEntry {
	body := b.v2Body(b.sig)
	leafHash := rfc6962.DefaultHasher.HashLeaf(body)
	if e.v2Body != nil {
		body = e.v2Body(b)
	}
	id := e.id
	if id == nil {
		id = logID(e.key.Public())
	}
	path, root := inclusion(leafHash, uint64(e.proofIndex), uint64(e.treeSize))
	if e.cp.rootHash != nil {
		root = e.cp.rootHash
	}
	origin := e.cp.origin
	if origin == "" {
		origin = e.host
	}
	text := f_log.Checkpoint{Origin: origin, Size: uint64(e.treeSize + e.cp.sizeDelta), Hash: root}.Marshal()
	for _, line := range e.cp.other {
		text = append(text, []byte(line+"\n")...)
	}
	signers := e.cp.signers
	if signers == nil {
		signers = []cpSigner{{key: e.key, name: e.host}}
	}
	var noteSigners []note.Signer
	for _, s := range append(append([]cpSigner{}, signers...), e.witnesses...) {
		sv, err := signature.LoadSignerVerifier(s.key, crypto.SHA256)
		if err != nil {
			panic(err)
		}
		ns, err := rekornote.NewNoteSigner(context.Background(), s.name, sv)
		if err != nil {
			panic(err)
		}
		noteSigners = append(noteSigners, ns)
	}
	signed, err := note.Sign(&note.Note{Text: string(text)}, noteSigners...)
	if err != nil {
		panic(err)
	}
	return &protorekor.TransparencyLogEntry{
		LogIndex:          e.proofIndex,
		LogId:             &protocommon.LogId{KeyId: id},
		KindVersion:       &protorekor.KindVersion{Kind: "hashedrekord", Version: "0.0.2"},
		CanonicalizedBody: body,
		InclusionProof: &protorekor.InclusionProof{
			LogIndex:   e.proofIndex,
			RootHash:   root,
			TreeSize:   e.treeSize,
			Hashes:     path,
			Checkpoint: &protorekor.Checkpoint{Envelope: string(signed)},
		},
	}
}

// toP1363 re-encodes an ASN.1 ECDSA signature as r || s (IEEE P1363).
func toP1363(key crypto.Signer, der []byte) []byte {
	k, ok := key.(*ecdsa.PrivateKey)
	if !ok {
		return der
	}
	var rs struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(der, &rs); err != nil {
		panic(err)
	}
	n := (k.Curve.Params().BitSize + 7) / 8
	out := make([]byte, 2*n)
	rs.R.FillBytes(out[:n])
	rs.S.FillBytes(out[n:])
	return out
}

// build makes the case.
func (b *builder) build() request {
	if b.keyless {
		b.makeLeaf()
	}
	if b.dsse {
		if b.statement == nil {
			b.statement = statementFor(b.artifact)
		}
		if b.payloadType == "" {
			b.payloadType = intotoType
		}
		b.sig = sign(b.signer(), dsse.PAE(b.payloadType, b.statement))
	} else {
		b.sig = b.signMessage(b.signer())
	}
	if b.p1363 {
		b.sig = toP1363(b.signer(), b.sig)
	}

	vm := &protobundle.VerificationMaterial{}
	if b.keyless {
		switch b.material {
		case "cert":
			vm.Content = &protobundle.VerificationMaterial_Certificate{Certificate: &protocommon.X509Certificate{RawBytes: b.leaf.Raw}}
		default:
			chain := &protocommon.X509CertificateChain{Certificates: []*protocommon.X509Certificate{{RawBytes: b.leaf.Raw}}}
			for _, c := range b.chainCerts {
				chain.Certificates = append(chain.Certificates, &protocommon.X509Certificate{RawBytes: c.Raw})
			}
			vm.Content = &protobundle.VerificationMaterial_X509CertificateChain{X509CertificateChain: chain}
		}
	} else {
		vm.Content = &protobundle.VerificationMaterial_PublicKey{PublicKey: &protocommon.PublicKeyIdentifier{Hint: b.hint}}
	}
	for _, e := range b.entries {
		vm.TlogEntries = append(vm.TlogEntries, b.entry(e))
	}
	if len(b.stamps) > 0 {
		tvd := &protobundle.TimestampVerificationData{}
		for _, s := range b.stamps {
			tvd.Rfc3161Timestamps = append(tvd.Rfc3161Timestamps, &protocommon.RFC3161SignedTimestamp{SignedTimestamp: stamp(s, b.sig)})
		}
		vm.TimestampVerificationData = tvd
	}
	mediaType := b.mediaType
	if mediaType == "" {
		switch b.version {
		case "0.1", "0.2":
			mediaType = "application/vnd.dev.sigstore.bundle+json;version=" + b.version
		default:
			mediaType = "application/vnd.dev.sigstore.bundle.v0.3+json"
		}
	}
	pb := &protobundle.Bundle{MediaType: mediaType, VerificationMaterial: vm}
	if b.dsse {
		pb.Content = &protobundle.Bundle_DsseEnvelope{DsseEnvelope: &protodsse.Envelope{
			Payload:     b.statement,
			PayloadType: b.payloadType,
			Signatures:  []*protodsse.Signature{{Sig: b.sig, Keyid: b.keyID}},
		}}
	} else {
		pb.Content = &protobundle.Bundle_MessageSignature{MessageSignature: &protocommon.MessageSignature{
			MessageDigest: &protocommon.HashOutput{
				Algorithm: protocommon.HashAlgorithm(protocommon.HashAlgorithm_value[b.msgDigestAlg]),
				Digest:    b.messageDigest(),
			},
			Signature: b.sig,
		}}
	}
	bundleJSON, err := protojson.Marshal(pb)
	if err != nil {
		panic(err)
	}
	req := request{
		Name:         b.fullName(),
		BundleBase64: base64.StdEncoding.EncodeToString(bundleJSON),
		TrustedRoot:  b.root.json(),
		Artifact:     base64.StdEncoding.EncodeToString(b.artifact),
	}
	if b.keyless {
		id := identity{Subject: b.san, Issuer: b.issuer}
		if b.reqSubject != nil {
			id.Subject = *b.reqSubject
		}
		if b.reqIssuer != nil {
			id.Issuer = *b.reqIssuer
		}
		req.Identity = &id
	} else {
		pub := b.reqKey
		if pub == nil {
			pub = b.key.Public()
		}
		k := string(pkixPEM(pub))
		req.Key = &k
	}
	return req
}

func (b *builder) fullName() string {
	content := "msg"
	if b.dsse {
		content = "dsse"
	}
	signer := "keyless"
	if !b.keyless {
		signer = "key"
	}
	var tm []string
	for _, e := range b.entries {
		if e.promise {
			tm = append(tm, "set")
			break
		}
	}
	for _, e := range b.entries {
		if e.proof {
			tm = append(tm, "proof")
			break
		}
	}
	if len(b.stamps) > 0 {
		tm = append(tm, "tsa")
	}
	name := fmt.Sprintf("%s v%s %s %s", b.name, b.version, content, signer)
	for _, t := range tm {
		name += " " + t
	}
	for _, t := range b.tags {
		name += " " + t
	}
	return name
}
