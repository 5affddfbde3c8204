//! The kubelet's user-namespace ID ranges (KEP-127, `pkg/kubelet/userns`): each pod with
//! `hostUsers: false` gets `idsPerPod` host IDs (65536 by default) inside the kubelet's range,
//! never overlapping another pod's, recorded in the pod directory's `userns` file.
//!
//! The configuration is checked as the kubelet checks it when it starts, plus one check it
//! lacks: a range that runs past 2^32 is refused here (the kubelet computes the IDs in 32 bits,
//! so such a range would wrap to low host IDs). Where the kubelet picks a free block at random,
//! vouch takes the lowest, so the same state and requests always give the same answer.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::go::json::{self as gojson, Value};

/// The kubelet's default and unit of `idsPerPod`.
pub const IDS_PER_POD_UNIT: u64 = 65536;

/// Why a configuration, a persisted file or an allocation is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdRangeError {
    /// `idsPerPod` is zero, over 2^32 − 65536, or not a multiple of 65536.
    IdsPerPod(u64),
    /// The first ID is not a multiple of `idsPerPod`.
    FirstNotAligned {
        /// The first ID.
        first: u64,
        /// `idsPerPod`.
        ids_per_pod: u64,
    },
    /// The first ID is below `idsPerPod` (the kubelet keeps the lowest block for the host).
    FirstTooLow {
        /// The first ID.
        first: u64,
        /// `idsPerPod`.
        ids_per_pod: u64,
    },
    /// The length is not a multiple of `idsPerPod`.
    LengthNotAligned {
        /// The length.
        length: u64,
        /// `idsPerPod`.
        ids_per_pod: u64,
    },
    /// The range runs past 2^32 host IDs.
    Wraps {
        /// The first ID.
        first: u64,
        /// The length.
        length: u64,
    },
    /// Too few blocks for `maxPods`.
    TooSmall {
        /// Blocks in the range.
        blocks: u64,
        /// The kubelet's `maxPods`.
        max_pods: u64,
    },
    /// `getsubids` output that is not one `N: user first length` line.
    SubIds(String),
    /// A persisted `userns` file that does not read, or records an impossible range.
    File {
        /// The pod's UID.
        pod: String,
        /// Why.
        why: String,
    },
    /// No free block is left.
    Exhausted,
}

impl fmt::Display for IdRangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::IdsPerPod(n) => write!(
                f,
                "kubelet user namespace length {n} is not a multiple of {IDS_PER_POD_UNIT} (or is zero, or over 2^32 - {IDS_PER_POD_UNIT})"
            ),
            Self::FirstNotAligned { first, ids_per_pod } => write!(
                f,
                "kubelet user assigned ID {first} is not a multiple of {ids_per_pod}"
            ),
            Self::FirstTooLow { first, ids_per_pod } => write!(
                f,
                "kubelet user assigned ID {first} must be greater or equal to {ids_per_pod}"
            ),
            Self::LengthNotAligned {
                length,
                ids_per_pod,
            } => write!(
                f,
                "kubelet user assigned IDs length {length} is not a multiple of {ids_per_pod}"
            ),
            Self::Wraps { first, length } => write!(
                f,
                "the ID range {first}..{} runs past 2^32: host IDs are 32 bits, and the kubelet would wrap such a range around to low IDs that may belong to the host",
                first + length
            ),
            Self::TooSmall { max_pods, .. } => write!(
                f,
                "kubelet user assigned IDs are not enough to support {max_pods} pods"
            ),
            Self::SubIds(why) => f.write_str(why),
            Self::File { pod, why } => write!(f, "pod {pod}: {why}"),
            Self::Exhausted => {
                f.write_str("could not find an empty slot to allocate a user namespace")
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for IdRangeError {}

/// The kubelet's range of host IDs for pods, in blocks of `idsPerPod`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdRanges {
    ids_per_pod: u64,
    /// The first block's index (first ID / idsPerPod).
    offset: u64,
    /// How many blocks.
    blocks: u64,
}

impl IdRanges {
    /// `MakeUserNsManager`'s checks of `idsPerPod` and the kubelet's mapping (`first`,
    /// `length`: from `getsubids kubelet`, or by default `idsPerPod` and 2^32 − `idsPerPod`),
    /// for a kubelet with `max_pods`.
    pub fn new(
        first: u64,
        length: u64,
        ids_per_pod: u64,
        max_pods: u64,
    ) -> Result<Self, IdRangeError> {
        if ids_per_pod == 0
            || !ids_per_pod.is_multiple_of(IDS_PER_POD_UNIT)
            || ids_per_pod > (1 << 32) - IDS_PER_POD_UNIT
        {
            return Err(IdRangeError::IdsPerPod(ids_per_pod));
        }
        if !first.is_multiple_of(ids_per_pod) {
            return Err(IdRangeError::FirstNotAligned { first, ids_per_pod });
        }
        if first < ids_per_pod {
            return Err(IdRangeError::FirstTooLow { first, ids_per_pod });
        }
        if !length.is_multiple_of(ids_per_pod) {
            return Err(IdRangeError::LengthNotAligned {
                length,
                ids_per_pod,
            });
        }
        if length / ids_per_pod < max_pods {
            return Err(IdRangeError::TooSmall {
                blocks: length / ids_per_pod,
                max_pods,
            });
        }
        if first + length > 1 << 32 {
            return Err(IdRangeError::Wraps { first, length });
        }
        Ok(Self {
            ids_per_pod,
            offset: first / ids_per_pod,
            blocks: length / ids_per_pod,
        })
    }

    /// The kubelet's default mapping: every ID from `idsPerPod` up to 2^32.
    pub fn default_for(ids_per_pod: u64, max_pods: u64) -> Result<Self, IdRangeError> {
        Self::new(
            ids_per_pod,
            (1u64 << 32).saturating_sub(ids_per_pod),
            ids_per_pod,
            max_pods,
        )
    }

    /// `parseGetSubIdsOutput`: the first ID and length from `getsubids kubelet` output (one line,
    /// four fields: `0: kubelet 65536 2147483648`).
    pub fn parse_subids(output: &str) -> Result<(u64, u64), IdRangeError> {
        let lines: Vec<&str> = output.trim_matches('\n').split('\n').collect();
        if lines.len() != 1 {
            return Err(IdRangeError::SubIds(alloc::format!(
                "error parsing line {output:?}: it must contain only one line"
            )));
        }
        let parts: Vec<&str> = lines[0].split_whitespace().collect();
        if parts.len() != 4 {
            return Err(IdRangeError::SubIds(alloc::format!(
                "invalid line {output:?}"
            )));
        }
        let number = |s: &str| {
            s.parse::<u32>().map(u64::from).map_err(|_| {
                IdRangeError::SubIds(alloc::format!(
                    "error parsing line {output:?}: {s:?} is not a 32-bit number"
                ))
            })
        };
        Ok((number(parts[2])?, number(parts[3])?))
    }

    /// How many pods fit.
    pub fn total(&self) -> u64 {
        self.blocks
    }

    /// `idsPerPod`.
    pub fn ids_per_pod(&self) -> u64 {
        self.ids_per_pod
    }
}

/// One pod's mapping: host IDs `host_id .. host_id + length` are the pod's 0 .. length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PodIdMapping {
    /// The first host ID.
    pub host_id: u64,
    /// How many IDs.
    pub length: u64,
}

impl PodIdMapping {
    /// The pod's `userns` file as the kubelet writes it (`json.Marshal`, no newline).
    pub fn file(&self) -> String {
        let one = alloc::format!(
            r#"[{{"hostId":{},"containerId":0,"length":{}}}]"#,
            self.host_id,
            self.length
        );
        alloc::format!(r#"{{"uidMappings":{one},"gidMappings":{one}}}"#)
    }
}

/// The allocations on a node: which block each pod holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdAllocator {
    ranges: IdRanges,
    by_pod: BTreeMap<String, u64>,
    taken: BTreeSet<u64>,
}

/// Reads one `idMapping` as Go's `json.Unmarshal` fills the struct (keys in any case, the last
/// of repeated ones, unknown keys ignored, numbers as `uint32`).
fn mapping(node: &gojson::Node) -> Result<[u64; 3], String> {
    let Value::Object(members) = &node.value else {
        return Err(alloc::format!(
            "json: cannot unmarshal {} into Go value of type userns.idMapping",
            node.value.go_kind()
        ));
    };
    let mut out = [0u64; 3];
    for (i, field) in ["hostid", "containerid", "length"].iter().enumerate() {
        for m in members
            .iter()
            .filter(|m| gojson::go_field_matches(&m.key, field))
        {
            match &m.value.value {
                Value::Null => {}
                Value::Number(text) => {
                    out[i] = text
                        .parse::<u32>()
                        .map(u64::from)
                        .map_err(|_| alloc::format!("json: cannot unmarshal number {text} into Go struct field of type uint32"))?;
                }
                other => {
                    return Err(alloc::format!(
                        "json: cannot unmarshal {} into Go struct field of type uint32",
                        other.go_kind()
                    ));
                }
            }
        }
    }
    Ok(out)
}

fn mappings(members: &[gojson::Member], field: &str) -> Result<Vec<[u64; 3]>, String> {
    let mut out = Vec::new();
    for m in members
        .iter()
        .filter(|m| gojson::go_field_matches(&m.key, field))
    {
        out = match &m.value.value {
            Value::Null => Vec::new(),
            Value::Array(items) => items.iter().map(mapping).collect::<Result<_, _>>()?,
            other => {
                return Err(alloc::format!(
                    "json: cannot unmarshal {} into Go struct field of type []userns.idMapping",
                    other.go_kind()
                ));
            }
        };
    }
    Ok(out)
}

impl IdAllocator {
    /// No pod allocated yet.
    pub fn new(ranges: IdRanges) -> Self {
        Self {
            ranges,
            by_pod: BTreeMap::new(),
            taken: BTreeSet::new(),
        }
    }

    /// The state the kubelet rebuilds when it starts: every pod's `userns` file (pods whose file
    /// is empty or absent hold nothing). Any file that does not read, or records a range that is
    /// not one whole free block of the configured range, fails the load, as it fails the kubelet.
    pub fn load(ranges: IdRanges, files: &[(&str, &[u8])]) -> Result<Self, IdRangeError> {
        let mut out = Self::new(ranges);
        for (pod, bytes) in files {
            if bytes.is_empty() {
                continue;
            }
            let fail = |why: String| IdRangeError::File {
                pod: (*pod).into(),
                why,
            };
            let root = gojson::parse(bytes).map_err(|e| {
                fail(alloc::format!(
                    "invalid user namespace mappings file: {} (byte {})",
                    e.message,
                    e.offset
                ))
            })?;
            let Value::Object(members) = &root.value else {
                return Err(fail(String::from(
                    "invalid user namespace mappings file: not a JSON object",
                )));
            };
            let uids = mappings(members, "uidmappings")
                .map_err(|e| fail(alloc::format!("invalid user namespace mappings file: {e}")))?;
            let gids = mappings(members, "gidmappings")
                .map_err(|e| fail(alloc::format!("invalid user namespace mappings file: {e}")))?;
            if uids.len() != 1 {
                return Err(fail(
                    "invalid user namespace configuration: no more than one mapping allowed."
                        .into(),
                ));
            }
            if gids.len() != 1 {
                return Err(fail("invalid user namespace configuration: GID and UID mappings should be identical.".into()));
            }
            if uids[0] != gids[0] {
                return Err(fail(
                    "invalid user namespace configuration: GID and UID mapping should be identical"
                        .into(),
                ));
            }
            let [host_id, container_id, length] = uids[0];
            if container_id != 0 {
                return Err(fail(
                    "invalid user namespace configuration: UID 0 must be mapped".into(),
                ));
            }
            out.record(pod, host_id, length).map_err(fail)?;
        }
        Ok(out)
    }

    /// `record`: marks a persisted range as the pod's.
    fn record(&mut self, pod: &str, from: u64, length: u64) -> Result<(), String> {
        let ids = self.ranges.ids_per_pod;
        if length != ids {
            return Err(alloc::format!("wrong user namespace length {length}"));
        }
        if !from.is_multiple_of(ids) {
            return Err(alloc::format!(
                "wrong user namespace offset specified {from}"
            ));
        }
        let block = from / ids;
        if let Some(&previous) = self.by_pod.get(pod) {
            return if previous == block {
                Ok(())
            } else {
                Err(alloc::format!(
                    "different user namespace range already used by pod {pod:?}"
                ))
            };
        }
        if block < self.ranges.offset || block >= self.ranges.offset + self.ranges.blocks {
            return Err(alloc::format!("id {from} is out of range"));
        }
        if !self.taken.insert(block) {
            return Err(alloc::format!("range picked for pod {pod:?} already taken"));
        }
        self.by_pod.insert(pod.into(), block);
        Ok(())
    }

    /// The pod's mapping: the one it holds, else the lowest free block.
    pub fn allocate(&mut self, pod: &str) -> Result<PodIdMapping, IdRangeError> {
        if let Some(mapping) = self.mapping(pod) {
            return Ok(mapping);
        }
        let (start, end) = (self.ranges.offset, self.ranges.offset + self.ranges.blocks);
        // The lowest block not taken: walk the taken blocks in order until a gap.
        let mut candidate = start;
        for &block in self.taken.range(start..end) {
            if block != candidate {
                break;
            }
            candidate += 1;
        }
        if candidate >= end {
            return Err(IdRangeError::Exhausted);
        }
        self.taken.insert(candidate);
        self.by_pod.insert(pod.into(), candidate);
        Ok(PodIdMapping {
            host_id: candidate * self.ranges.ids_per_pod,
            length: self.ranges.ids_per_pod,
        })
    }

    /// Frees the pod's block (its `userns` file is removed); nothing if it holds none.
    pub fn release(&mut self, pod: &str) -> bool {
        match self.by_pod.remove(pod) {
            Some(block) => self.taken.remove(&block),
            None => false,
        }
    }

    /// The pod's mapping, if it holds one.
    pub fn mapping(&self, pod: &str) -> Option<PodIdMapping> {
        self.by_pod.get(pod).map(|&block| PodIdMapping {
            host_id: block * self.ranges.ids_per_pod,
            length: self.ranges.ids_per_pod,
        })
    }

    /// Every pod's mapping, by pod UID.
    pub fn mappings(&self) -> impl Iterator<Item = (&str, PodIdMapping)> {
        self.by_pod
            .keys()
            .filter_map(|pod| Some((pod.as_str(), self.mapping(pod)?)))
    }

    /// Blocks in use.
    pub fn allocated(&self) -> u64 {
        self.taken.len() as u64
    }

    /// Blocks free.
    pub fn free(&self) -> u64 {
        self.ranges.blocks - self.allocated()
    }

    /// The configured range.
    pub fn ranges(&self) -> IdRanges {
        self.ranges
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::ToString;
    use proptest::prelude::*;

    #[test]
    fn checks_the_configuration_as_the_kubelet_does() {
        assert!(IdRanges::default_for(65536, 110).is_ok());
        assert_eq!(IdRanges::default_for(65536, 110).unwrap().total(), 65535);
        assert!(matches!(
            IdRanges::new(65536, 65536 * 10, 1000, 1),
            Err(IdRangeError::IdsPerPod(1000))
        ));
        assert!(matches!(
            IdRanges::new(65536 * 3, 65536 * 10, 65536 * 2, 1),
            Err(IdRangeError::FirstNotAligned { .. })
        ));
        assert!(matches!(
            IdRanges::new(0, 65536 * 10, 65536, 1),
            Err(IdRangeError::FirstTooLow { .. })
        ));
        assert!(matches!(
            IdRanges::new(65536, 65536 * 10 + 1, 65536, 1),
            Err(IdRangeError::LengthNotAligned { .. })
        ));
        assert!(matches!(
            IdRanges::new(65536, 65536 * 10, 65536, 11),
            Err(IdRangeError::TooSmall { .. })
        ));
        let wraps = IdRanges::new(1 << 31, 1 << 32, 65536, 110).unwrap_err();
        assert!(matches!(wraps, IdRangeError::Wraps { .. }));
        assert!(wraps.to_string().contains("runs past 2^32"));
        assert_eq!(
            IdRanges::parse_subids("0: kubelet 65536 2147483648\n"),
            Ok((65536, 2147483648))
        );
        assert!(IdRanges::parse_subids("0: kubelet 65536\n").is_err());
        assert!(IdRanges::parse_subids("a\nb").is_err());
    }

    #[test]
    fn allocates_reloads_and_exhausts() {
        let ranges = IdRanges::new(65536, 65536 * 3, 65536, 3).unwrap();
        let mut a = IdAllocator::new(ranges);
        let first = a.allocate("p1").unwrap();
        assert_eq!(first.host_id, 65536);
        assert_eq!(
            first.file(),
            r#"{"uidMappings":[{"hostId":65536,"containerId":0,"length":65536}],"gidMappings":[{"hostId":65536,"containerId":0,"length":65536}]}"#
        );
        assert_eq!(a.allocate("p1").unwrap(), first);
        a.allocate("p2").unwrap();
        a.allocate("p3").unwrap();
        assert_eq!(a.allocate("p4"), Err(IdRangeError::Exhausted));
        assert!(a.release("p2"));
        assert_eq!(a.allocate("p4").unwrap().host_id, 2 * 65536);
        let files: Vec<(String, String)> =
            a.mappings().map(|(p, m)| (p.into(), m.file())).collect();
        let view: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(p, f)| (p.as_str(), f.as_bytes()))
            .collect();
        assert_eq!(IdAllocator::load(ranges, &view).unwrap(), a);
        // A file for a taken block, outside the range, or malformed, fails the load.
        let clash = [("x", first.file()), ("y", first.file())];
        let view: Vec<(&str, &[u8])> = clash.iter().map(|(p, f)| (*p, f.as_bytes())).collect();
        assert!(IdAllocator::load(ranges, &view).is_err());
        for bad in [
            r#"{"uidMappings":[{"hostId":0,"containerId":0,"length":65536}],"gidMappings":[{"hostId":0,"containerId":0,"length":65536}]}"#,
            r#"{"uidMappings":[{"hostId":65536,"containerId":1,"length":65536}],"gidMappings":[{"hostId":65536,"containerId":1,"length":65536}]}"#,
            r#"{"uidMappings":[{"hostId":65536,"containerId":0,"length":65536}],"gidMappings":[]}"#,
            r#"{"uidMappings":[{"hostId":-1}]}"#,
            "{",
        ] {
            assert!(
                IdAllocator::load(ranges, &[("z", bad.as_bytes())]).is_err(),
                "{bad}"
            );
        }
        // Go reads keys in any case.
        let upper = r#"{"UIDMAPPINGS":[{"HostId":131072,"containerId":0,"length":65536}],"gidMappings":[{"hostId":131072,"containerid":0,"Length":65536}]}"#;
        assert_eq!(
            IdAllocator::load(ranges, &[("u", upper.as_bytes())])
                .unwrap()
                .allocated(),
            1
        );
    }

    proptest! {
        #[test]
        fn live_pods_never_overlap_and_reload(ops in proptest::collection::vec((0u8..3, 0u8..12), 1..80), blocks in 1u64..10) {
            let ranges = IdRanges::new(65536 * 2, 65536 * blocks, 65536, 0).unwrap();
            let mut a = IdAllocator::new(ranges);
            for (op, pod) in ops {
                let pod = format!("pod-{pod}");
                match op {
                    0 | 1 => { let _ = a.allocate(&pod); }
                    _ => { a.release(&pod); }
                }
                // Live pods never overlap, and stay inside the range.
                let mut spans: Vec<(u64, u64)> = a.mappings().map(|(_, m)| (m.host_id, m.host_id + m.length)).collect();
                spans.sort_unstable();
                for pair in spans.windows(2) {
                    prop_assert!(pair[0].1 <= pair[1].0);
                }
                for (start, end) in &spans {
                    prop_assert!(*start >= 65536 * 2 && *end <= 65536 * (2 + blocks) && *end <= 1 << 32);
                }
                // Free + allocated = total.
                prop_assert_eq!(a.free() + a.allocated(), ranges.total());
                // Loading what was saved gives the same state.
                let files: Vec<(String, String)> = a.mappings().map(|(p, m)| (p.into(), m.file())).collect();
                let view: Vec<(&str, &[u8])> = files.iter().map(|(p, f)| (p.as_str(), f.as_bytes())).collect();
                prop_assert_eq!(IdAllocator::load(ranges, &view).unwrap(), a.clone());
            }
        }
    }
}
