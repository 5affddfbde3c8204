//! The command line, declared once: parsing, `--help`, usage errors (exit status 2) and the
//! shell completions all come from these types.

use std::sync::LazyLock;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

/// `0.1.0 (crypto: aws-lc-rs; signedBy/OpenPGP: yes; verification cache: yes)`: the version
/// and what this build verifies with, from [`vouch::BUILD`].
pub(crate) fn version_text() -> &'static str {
    static TEXT: LazyLock<String> = LazyLock::new(|| {
        let build = vouch::BUILD;
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        format!(
            "{} (crypto: {}; signedBy/OpenPGP: {}; verification cache: {})",
            build.version,
            build.crypto.name(),
            yes_no(build.openpgp),
            yes_no(build.verification_cache),
        )
    });
    &TEXT
}

const AFTER_HELP: &str = "\
Exit status: 0 when every request was answered (or the image is allowed), 1 when the command
itself failed (an unreadable input), 2 for wrong usage, 3 when `check` rejects the image or
`lint` finds an error.

The JSON requests and answers are documented in docs/interchange.md (../shared) and
docs/decisions.md; docs/cli.md describes every command.";

/// Decide whether a container image may run, exactly as containers/image 5.34 (CRI-O, Podman,
/// Skopeo) decides it.
#[derive(Debug, Parser)]
#[command(
    name = "vouch",
    version = version_text(),
    arg_required_else_help = true,
    after_help = AFTER_HELP
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Parse docker references; one JSON answer per reference
    #[command(long_about = "\
Parse docker references as containers/image (or, with --dialect distribution, the kubelet)
parses them. With no REFERENCE, reads one per line from standard input: a bare reference, or a
JSON request {\"reference\": \"...\", \"dialect\": \"...\"}. Writes one JSON answer per line.")]
    Ref(RefArgs),
    /// Evaluate JSON requests, one per line; one JSON decision per line
    #[command(long_about = "\
Evaluate images against policies: one JSON request per line (the contract in
docs/interchange.md), from FILE or standard input; one JSON decision per line on standard
output. Exit status 0 whenever every request was answered, whatever the decisions.")]
    Eval(EvalArgs),
    /// Verify sigstore bundles, one JSON request per line; one JSON answer per line
    #[command(long_about = "\
Verify sigstore bundles as sigstore-go verifies them: one JSON request per line (the contract in
docs/interchange.md, \"Verify a sigstore bundle\"; docs/bundles.md), from FILE or standard
input: the bundle, the artifact or its digest, the trusted root as data, and the expected
identity or key. One JSON answer per line on standard output. Exit status 0 whenever every
request was answered, whatever the answers.")]
    Bundle(BundleArgs),
    /// Kubernetes node decisions (KEP-2535), one JSON request per line; one JSON answer per line
    #[command(long_about = "\
Kubernetes node decisions as the kubelet makes them (docs/node.md): one JSON request per line,
from FILE or standard input, its \"op\" naming the decision: kubelet_pull (may a pod use an
image already on the node, KEP-2535), record_pulled (the record a pull leaves),
credential_hash, pod_credentials (the keyring's pick of pull secrets), pull_record (read and
rewrite a record file), verification_policy. One JSON answer per line on standard output. Exit
status 0 whenever every request was answered, whatever the answers.")]
    Node(NodeArgs),
    /// Pod admission: AdmissionReviews in, AdmissionReviews out (--plan: what to fetch)
    #[command(long_about = "\
Decide Kubernetes AdmissionReviews (admission.k8s.io/v1) for Pods and the pod templates of
Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs (docs/admission.md). One
JSON line per review: {\"review\": ..., \"config\": ..., \"evidence\": {IMAGE: {manifest, signatures}}};
one AdmissionReview with its response per line out. With --plan, the same lines without evidence
give the images whose manifests and signatures must be fetched: {\"images\": [...]}. Exit status 0
whenever every line was answered, whatever the answers.")]
    Admit(AdmitArgs),
    /// Decide one image from real files, and explain why
    #[command(
        long_about = "\
Decide one image for a person, reading real files: the policy (containers-policy.json(5)), the
files it names, and the image's manifest and signatures, then explain the decision.

The image is named as skopeo and podman name it, TRANSPORT:REFERENCE (containers-transports(5)):

  docker://quay.io/ns/img:tag      a registry image; nothing is fetched: give its manifest and
                                   signatures with --manifest and --signatures
  dir:/path/to/dir                 `skopeo copy` to dir: (manifest.json, signature-1, -2, ...;
                                   simple signing and sigstore signatures alike)
  oci:/path/to/layout[:ref|:@N]    an OCI layout: the manifest index.json names by its
                                   org.opencontainers.image.ref.name (or the only one, or the
                                   N-th); the oci transport stores no signatures
  docker-daemon:, docker-archive:, oci-archive:, containers-storage:, sif:, tarball:
                                   decided by name only (give evidence with the flags)

dir:, oci:, oci-archive: and sif: paths are resolved as containers/image resolves them
(absolute, `..` and symbolic links resolved) before the policy is consulted.

Exit status 0 when the image is allowed, 3 when it is rejected, 1 when an input could not be
read.",
        group(ArgGroup::new("which-image").required(true).args(["image_name", "transport"]))
    )]
    Check(CheckArgs),
    /// Check policy files; every problem with its line and column
    #[command(long_about = "\
Check policy files and show every problem with its line and column, and warnings about what
containers/image would only meet while evaluating (a key file that does not exist, say). Exit
status 0 when no file has an error (warnings allowed), 3 otherwise.")]
    Lint(LintArgs),
    /// Show the version and what this build verifies with
    Version(VersionArgs),
    /// Print shell completions (bash, zsh, fish, elvish, powershell)
    #[command(long_about = "\
Print the completion script for SHELL on standard output. For example:

  vouch completions bash > ~/.local/share/bash-completion/completions/vouch
  vouch completions zsh > \"${fpath[1]}/_vouch\"
  vouch completions fish > ~/.config/fish/completions/vouch.fish")]
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub(crate) struct RefArgs {
    /// Which reference grammar to use [default: containers-image]
    #[arg(long, value_enum, value_name = "DIALECT")]
    pub(crate) dialect: Option<DialectArg>,
    /// References to parse (none: read them from standard input, one per line)
    #[arg(value_name = "REFERENCE")]
    pub(crate) references: Vec<String>,
}

/// The reference grammars ([`vouch::Dialect`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum DialectArg {
    /// containers/image's docker/reference: the grammar policy scopes are matched on
    #[value(name = "containers-image")]
    ContainersImage,
    /// distribution/reference v0.6, as the kubelet reads image names
    Distribution,
}

impl DialectArg {
    pub(crate) fn dialect(self) -> vouch::Dialect {
        match self {
            Self::ContainersImage => vouch::Dialect::ContainersImage,
            Self::Distribution => vouch::Dialect::Distribution,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct EvalArgs {
    /// Read the requests from FILE instead of standard input (`-`: standard input)
    #[arg(long, value_name = "FILE")]
    pub(crate) request: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct AdmitArgs {
    /// Read the lines from FILE instead of standard input (`-`: standard input)
    #[arg(long, value_name = "FILE")]
    pub(crate) request: Option<String>,
    /// List the images to fetch evidence for, instead of deciding
    #[arg(long)]
    pub(crate) plan: bool,
    /// Write Prometheus metrics of the decisions to FILE (text exposition format) at the end
    #[arg(long, value_name = "FILE")]
    pub(crate) metrics: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct NodeArgs {
    /// Read the requests from FILE instead of standard input (`-`: standard input)
    #[arg(long, value_name = "FILE")]
    pub(crate) request: Option<String>,
    /// Write Prometheus metrics of the decisions to FILE (text exposition format) at the end
    #[arg(long, value_name = "FILE")]
    pub(crate) metrics: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct BundleArgs {
    /// Read the requests from FILE instead of standard input (`-`: standard input)
    #[arg(long, value_name = "FILE")]
    pub(crate) request: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The image: TRANSPORT:REFERENCE, as skopeo and podman name images
    #[arg(
        value_name = "TRANSPORT:REFERENCE",
        value_parser = parse_image_name,
        conflicts_with_all = ["transport", "image"]
    )]
    pub(crate) image_name: Option<ImageName>,
    /// The policy file [default: ~/.config/containers/policy.json, else
    /// /etc/containers/policy.json]
    ///
    /// Without --policy, the policy is chosen as containers/image 5.34 chooses it:
    /// $HOME/.config/containers/policy.json if it exists, else /etc/containers/policy.json if
    /// that exists, else the command fails. The explanation says which file was used.
    #[arg(long, value_name = "FILE")]
    pub(crate) policy: Option<String>,
    /// The transport, with --image (the older spelling of TRANSPORT:REFERENCE)
    #[arg(long, value_name = "NAME", requires = "image")]
    pub(crate) transport: Option<String>,
    /// The reference within --transport (for docker the leading // is optional)
    #[arg(long, value_name = "REFERENCE", requires = "transport")]
    pub(crate) image: Option<String>,
    /// Read the manifest from FILE (instead of the image's own; needed for docker://)
    #[arg(long, value_name = "FILE")]
    pub(crate) manifest: Option<String>,
    /// Read signatures from DIR/signature-1, -2, ... (instead of the image's own)
    #[arg(long, value_name = "DIR")]
    pub(crate) signatures: Option<String>,
    /// A sigstore bundle attached to the image (cosign v3, OCI referrers), after the
    /// signatures; repeat for more. Only vouchSigstoreBundle requirements read bundles
    #[arg(long = "bundle", value_name = "FILE")]
    pub(crate) bundles: Vec<String>,
    /// Decide as at this time [default: the system clock]
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    pub(crate) now: Option<vouch::UnixTime>,
    /// text: an explanation for a person; json: the decision as `vouch eval` writes it
    #[arg(long, short = 'o', value_enum, value_name = "FORMAT", default_value_t = Output::Text)]
    pub(crate) output: Output,
    /// Accept exactly the policies containers/image accepts: vouch's extension requirement
    /// (vouchSigstoreBundle) makes the policy invalid
    #[arg(long)]
    pub(crate) strict: bool,
}

/// How `check` reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Output {
    /// An explanation for a person
    Text,
    /// One line of decision JSON, as `vouch eval` answers the equivalent request
    Json,
}

/// `TRANSPORT:REFERENCE`, split at the first colon as containers/image's
/// `alltransports.ParseImageName` splits it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ImageName {
    pub(crate) transport: String,
    pub(crate) reference: String,
}

fn parse_image_name(text: &str) -> Result<ImageName, String> {
    let Some((transport, reference)) = text.split_once(':') else {
        return Err(format!(
            "expected TRANSPORT:REFERENCE, e.g. docker://quay.io/ns/img:tag, dir:/path/to/dir \
             or oci:/path/to/layout:tag (there is no colon in {text:?})"
        ));
    };
    // The docker transport's own rule (docker.ParseReference): the reference follows `//`.
    if transport == "docker" && !reference.starts_with("//") {
        return Err(format!(
            "docker: image reference {reference} does not start with // (write docker://{reference})"
        ));
    }
    Ok(ImageName {
        transport: transport.into(),
        reference: reference.into(),
    })
}

fn parse_now(text: &str) -> Result<vouch::UnixTime, String> {
    vouch::UnixTime::parse_rfc3339(text)
        .ok_or_else(|| format!("{text:?} is not an RFC 3339 time (e.g. 2026-11-22T12:00:00Z)"))
}

#[derive(Debug, Args)]
pub(crate) struct LintArgs {
    /// Policy files (containers-policy.json(5))
    #[arg(value_name = "FILE", required = true)]
    pub(crate) files: Vec<String>,
    /// Accept exactly what containers/image accepts: vouch's extension requirement
    /// (vouchSigstoreBundle) is an error
    #[arg(long)]
    pub(crate) strict: bool,
}

#[derive(Debug, Args)]
pub(crate) struct VersionArgs {
    /// As one JSON object: {"version", "crypto", "openpgp", "verification_cache"}
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to write completions for
    #[arg(value_enum, value_name = "SHELL")]
    pub(crate) shell: Shell,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use clap::error::ErrorKind;

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn image_names_split_at_the_first_colon() {
        assert_eq!(
            parse_image_name("docker://quay.io/ns/img:tag"),
            Ok(ImageName {
                transport: "docker".into(),
                reference: "//quay.io/ns/img:tag".into()
            })
        );
        assert_eq!(
            parse_image_name("oci:/a/b:c:d").map(|n| (n.transport, n.reference)),
            Ok(("oci".into(), "/a/b:c:d".into()))
        );
        assert_eq!(
            parse_image_name("dir:").map(|n| n.reference),
            Ok(String::new())
        );
        assert!(parse_image_name("busybox").is_err());
        assert!(parse_image_name("docker:busybox").is_err());
        // Unknown transports are the core's to refuse, as the old --transport form was.
        assert!(parse_image_name("atomic:x").is_ok());
    }

    #[test]
    fn the_two_spellings_of_the_image_exclude_each_other() {
        let parse = |args: &[&str]| Cli::try_parse_from(args).map(|_| ());
        assert!(parse(&["vouch", "check", "docker://busybox"]).is_ok());
        assert!(parse(&["vouch", "check", "--transport", "docker", "--image", "x"]).is_ok());
        let kind = |args: &[&str]| parse(args).err().map(|e| e.kind());
        assert_eq!(
            kind(&[
                "vouch",
                "check",
                "docker://a",
                "--transport",
                "docker",
                "--image",
                "b"
            ]),
            Some(ErrorKind::ArgumentConflict)
        );
        assert_eq!(
            kind(&["vouch", "check", "--transport", "docker"]),
            Some(ErrorKind::MissingRequiredArgument)
        );
        assert_eq!(
            kind(&["vouch", "check", "--policy", "p"]),
            Some(ErrorKind::MissingRequiredArgument)
        );
        assert_eq!(
            kind(&["vouch", "check", "docker://a", "--now", "yesterday"]),
            Some(ErrorKind::ValueValidation)
        );
    }

    #[test]
    fn version_names_the_capabilities() {
        let text = version_text();
        assert!(text.starts_with(vouch::BUILD.version), "{text}");
        assert!(text.contains(vouch::BUILD.crypto.name()), "{text}");
        assert!(text.contains("signedBy/OpenPGP: "), "{text}");
    }
}
