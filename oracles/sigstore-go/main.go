// sigstore-go as a JSON Lines oracle for vouch's bundle verification.
//
// Each input line is a request of interchange.md's "Verify a sigstore bundle" shape:
//
//	{"bundle": {...}, "artifact": "<base64>" | "artifact_digest": "sha256:<hex>",
//	 "trusted_root": {...}, "identity": {"subject": "...", "issuer": "..."} | "key": "<PEM>"}
//
// ("bundle_text" or "bundle_base64" may stand for "bundle", "trusted_root_text" for
// "trusted_root", so that documents that are not JSON can be given.)
//
// and each output line is {"verified": bool, "error": "..."}. The verifier is configured as
// sigstore-go's own conformance client (test/conformance/main.go) configures it: SCTs for
// certificates; signed timestamps when the trusted root has timestamp authorities and the bundle
// has timestamps; the transparency log when the root has logs, and integrated timestamps when
// the bundle has an inclusion promise. With "op": "bench" and "n", the line's verification is
// repeated n times and "ns_per_op" reported. With "op": "trusted_root", only the trusted root
// is read ("verified": whether sigstore-go accepts it); with "op": "bundle", only the bundle.
// With "op": "regexp", "pattern" and "text" (a list), Go's regexp package: "verified" is
// whether the pattern compiles, "matches" whether it matches each text.
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/verify"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
	sigsig "github.com/sigstore/sigstore/pkg/signature"
)

type identity struct {
	Subject string `json:"subject"`
	Issuer  string `json:"issuer"`
}

type request struct {
	Op             string          `json:"op"`
	N              int             `json:"n"`
	Bundle         json.RawMessage `json:"bundle"`
	BundleText     *string         `json:"bundle_text"`
	BundleBase64   *string         `json:"bundle_base64"`
	Artifact       *string         `json:"artifact"`
	ArtifactDigest *string         `json:"artifact_digest"`
	TrustedRoot    json.RawMessage `json:"trusted_root"`
	TrustedRootTxt *string         `json:"trusted_root_text"`
	Identity       *identity       `json:"identity"`
	Key            *string         `json:"key"`
	Pattern        *string         `json:"pattern"`
	Text           []string        `json:"text"`
}

type answer struct {
	Matches     []bool  `json:"matches,omitempty"`
	Verified    bool    `json:"verified"`
	Error       string  `json:"error"`
	OracleError string  `json:"oracle_error,omitempty"`
	NsPerOp     float64 `json:"ns_per_op,omitempty"`
}

// prepared is everything a verification needs, read once.
type prepared struct {
	bundle   *bundle.Bundle
	verifier *verify.Verifier
	policy   func() (verify.PolicyBuilder, error)
}

func prepare(req *request) (*prepared, error) {
	bundleJSON := []byte(req.Bundle)
	switch {
	case req.BundleText != nil:
		bundleJSON = []byte(*req.BundleText)
	case req.BundleBase64 != nil:
		decoded, err := base64.StdEncoding.DecodeString(*req.BundleBase64)
		if err != nil {
			return nil, err
		}
		bundleJSON = decoded
	}
	rootJSON := []byte(req.TrustedRoot)
	if req.TrustedRootTxt != nil {
		rootJSON = []byte(*req.TrustedRootTxt)
	}
	b := &bundle.Bundle{}
	if err := b.UnmarshalJSON(bundleJSON); err != nil {
		return nil, err
	}
	var tr root.TrustedMaterial
	trustedRoot, err := root.NewTrustedRootFromJSON(rootJSON)
	if err != nil {
		return nil, err
	}
	tr = trustedRoot
	identityPolicies := []verify.PolicyOption{}
	verifierConfig := []verify.VerifierOption{}
	if req.Key != nil {
		identityPolicies = append(identityPolicies, verify.WithKey())
		pubKey, err := cryptoutils.UnmarshalPEMToPublicKey([]byte(*req.Key))
		if err != nil {
			return nil, err
		}
		keyMaterial := root.NewTrustedPublicKeyMaterial(func(_ string) (root.TimeConstrainedVerifier, error) {
			verifier, err := sigsig.LoadDefaultVerifier(pubKey)
			if err != nil {
				return nil, err
			}
			return root.NewExpiringKey(verifier, time.Time{}, time.Time{}), nil
		})
		tr = root.TrustedMaterialCollection{keyMaterial, tr}
	} else {
		verifierConfig = append(verifierConfig, verify.WithSignedCertificateTimestamps(1))
		if req.Identity != nil && (req.Identity.Subject != "" || req.Identity.Issuer != "") {
			certID, err := verify.NewShortCertificateIdentity(req.Identity.Issuer, "", req.Identity.Subject, "")
			if err != nil {
				return nil, err
			}
			identityPolicies = append(identityPolicies, verify.WithCertificateIdentity(certID))
		}
	}
	bundleTimestamps, err := b.Timestamps()
	if err != nil {
		return nil, err
	}
	if len(tr.TimestampingAuthorities()) > 0 && len(bundleTimestamps) > 0 {
		verifierConfig = append(verifierConfig, verify.WithSignedTimestamps(1))
	}
	if len(tr.RekorLogs()) > 0 {
		verifierConfig = append(verifierConfig, verify.WithTransparencyLog(1))
		if b.HasInclusionPromise() {
			verifierConfig = append(verifierConfig, verify.WithIntegratedTimestamps(1))
		}
	}
	verifier, err := verify.NewVerifier(tr, verifierConfig...)
	if err != nil {
		return nil, err
	}
	policy := func() (verify.PolicyBuilder, error) {
		var artifactPolicy verify.ArtifactPolicyOption
		switch {
		case req.ArtifactDigest != nil:
			alg, hexDigest, ok := strings.Cut(*req.ArtifactDigest, ":")
			if !ok {
				return verify.PolicyBuilder{}, fmt.Errorf("artifact_digest %q has no algorithm", *req.ArtifactDigest)
			}
			digest, err := hex.DecodeString(hexDigest)
			if err != nil {
				return verify.PolicyBuilder{}, err
			}
			artifactPolicy = verify.WithArtifactDigest(alg, digest)
		case req.Artifact != nil:
			artifact, err := base64.StdEncoding.DecodeString(*req.Artifact)
			if err != nil {
				return verify.PolicyBuilder{}, err
			}
			artifactPolicy = verify.WithArtifact(bytes.NewReader(artifact))
		default:
			return verify.PolicyBuilder{}, fmt.Errorf("neither artifact nor artifact_digest")
		}
		return verify.NewPolicy(artifactPolicy, identityPolicies...), nil
	}
	return &prepared{bundle: b, verifier: verifier, policy: policy}, nil
}

func (p *prepared) verify() error {
	policy, err := p.policy()
	if err != nil {
		return err
	}
	_, err = p.verifier.Verify(p.bundle, policy)
	return err
}

func decide(req *request) (out answer) {
	defer func() {
		if r := recover(); r != nil {
			out = answer{OracleError: fmt.Sprintf("panic: %v", r)}
		}
	}()
	if req.Op == "trusted_root" {
		// Only read the trusted root: "verified" says whether sigstore-go accepts it.
		rootJSON := []byte(req.TrustedRoot)
		if req.TrustedRootTxt != nil {
			rootJSON = []byte(*req.TrustedRootTxt)
		}
		if _, err := root.NewTrustedRootFromJSON(rootJSON); err != nil {
			return answer{Error: err.Error()}
		}
		return answer{Verified: true}
	}
	if req.Op == "regexp" {
		// Go's regexp as cosign and sigstore-go match identities: "verified" says whether
		// the pattern compiles, "matches" whether it matches each text (MatchString).
		if req.Pattern == nil {
			return answer{OracleError: "regexp: no pattern"}
		}
		re, err := regexp.Compile(*req.Pattern)
		if err != nil {
			return answer{Error: err.Error()}
		}
		matches := make([]bool, len(req.Text))
		for i, text := range req.Text {
			matches[i] = re.MatchString(text)
		}
		return answer{Verified: true, Matches: matches}
	}
	if req.Op == "bundle" {
		// Only read the bundle: "verified" says whether sigstore-go accepts it.
		bundleJSON := []byte(req.Bundle)
		if req.BundleText != nil {
			bundleJSON = []byte(*req.BundleText)
		}
		b := &bundle.Bundle{}
		if err := b.UnmarshalJSON(bundleJSON); err != nil {
			return answer{Error: err.Error()}
		}
		return answer{Verified: true}
	}
	p, err := prepare(req)
	if err == nil {
		err = p.verify()
	}
	if err != nil {
		return answer{Error: err.Error()}
	}
	if req.Op == "bench" && req.N > 0 {
		start := time.Now()
		for i := 0; i < req.N; i++ {
			if err := p.verify(); err != nil {
				return answer{Error: err.Error()}
			}
		}
		return answer{Verified: true, NsPerOp: float64(time.Since(start).Nanoseconds()) / float64(req.N)}
	}
	return answer{Verified: true}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<28)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for in.Scan() {
		line := in.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var req request
		var a answer
		if err := json.Unmarshal(line, &req); err != nil {
			a = answer{OracleError: "request: " + err.Error()}
		} else {
			a = decide(&req)
		}
		if err := enc.Encode(a); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		out.Flush()
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
