//! Deterministic generators of test inputs.

/// A small deterministic PRNG (SplitMix64), so every run generates the same cases.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator with the given seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One string of a non-empty list.
    pub fn pick_str<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const DOMAINS: &[&str] = &[
    "docker.io",
    "index.docker.io",
    "Docker.io",
    "registry-1.docker.io",
    "localhost",
    "localhost:5000",
    "LOCALHOST",
    "Localhost:5000",
    "quay.io",
    "Quay.IO",
    "example.com:443",
    "example.com:0",
    "example.com:",
    "example.com:99999999999",
    "sub.domain.example.com:65535",
    "127.0.0.1",
    "127.0.0.1:5000",
    "[::1]",
    "[::1]:5000",
    "[2001:db8::1]:5000",
    "[fe80::1%eth0]:5000",
    "::1",
    "a.b_c",
    "a_b:5000",
    "x-y.z",
    "-bad.com",
    "bad-.com",
    "a..b",
    ".a",
    "host:port",
    "xn--n3h.com",
    "foo",
    "Foo",
    "library",
    "ex\u{e4}mple.com",
    "gcr.io",
    "my.registry.example.com:8443",
];

const COMPONENTS: &[&str] = &[
    "library",
    "busybox",
    "ubuntu",
    "a",
    "z9",
    "foo",
    "bar",
    "ns",
    "img",
    "a.b",
    "a_b",
    "a__b",
    "a___b",
    "a-b",
    "a---b",
    "a..b",
    "a.-b",
    "-a",
    "a-",
    "_a",
    "a_",
    ".a",
    "Foo",
    "fOO",
    "BAR",
    "x1y2",
    "0",
    "00",
    "localhost",
    "docker.io",
    "sha256",
    "a b",
    "a\tb",
    "\u{212a}elvin",
    "\u{130}stanbul",
    "\u{e9}t\u{e9}",
    "caf\u{e9}",
    "\u{1f600}",
    "a%2fb",
    "a+b",
    "a~b",
    "a:b",
    "",
    "very-long-component-name-with-many-parts.and.dots_and_underscores",
];

const TAGS: &[&str] = &[
    "latest",
    "LATEST",
    "1.36",
    "v1.2.3-rc.1",
    "_",
    "a",
    "-a",
    ".a",
    "a-",
    "a.",
    "a_b",
    "sha256-0123abcd.sig",
    "5000",
    "",
    "a b",
    "t@g",
    "t/g",
    "\u{212a}",
    "\u{130}",
];

const ALGORITHMS: &[&str] = &[
    "sha256",
    "sha384",
    "sha512",
    "SHA256",
    "Sha256",
    "md5",
    "blake3",
    "sha256+b64u",
    "sha-256",
    "sha_256",
    "1sha",
    "",
    "s",
    "sha256.x",
    "a-b_c+d.e",
];

const HEX_LENGTHS: &[usize] = &[0, 1, 31, 32, 33, 63, 64, 65, 95, 96, 97, 127, 128, 129, 200];

/// A hex string of `len` characters in the given case style.
fn hex(rng: &mut Rng, len: usize, style: usize) -> String {
    const LOWER: &[u8] = b"0123456789abcdef";
    (0..len)
        .map(|_| {
            let c = LOWER[rng.below(16)] as char;
            match style {
                1 => c.to_ascii_uppercase(),
                2 if rng.chance(50) => c.to_ascii_uppercase(),
                3 if rng.chance(5) => *rng.pick(&['g', 'z', '-', '=', '_', ':']),
                _ => c,
            }
        })
        .collect()
}

/// Hand-picked inputs at the edges of the grammar.
fn edge_cases(rng: &mut Rng) -> Vec<String> {
    let mut cases: Vec<String> = [
        "",
        " ",
        "busybox",
        "busybox:latest",
        "library/busybox",
        "docker.io/busybox",
        "docker.io/library/busybox",
        "index.docker.io/busybox",
        "index.docker.io/library/busybox",
        "index.docker.io/a/b",
        "Index.docker.io/busybox",
        "localhost",
        "localhost:5000",
        "localhost/foo",
        "localhost:5000/foo",
        "LOCALHOST/foo",
        "localhost:5000/a/b:t",
        "docker.io/a.b/c",
        "docker.io/localhost/x",
        "example.com",
        "example.com/foo",
        "Example.COM/foo",
        "quay.io/Foo",
        "Foo/bar",
        "FOO/bar",
        "foo/Bar",
        "a/b/c",
        "a//b",
        "a/",
        "/a",
        "a:",
        ":t",
        "@",
        "a@",
        "a@b",
        "-a",
        "a-",
        "a..b",
        "a___b",
        "a__b",
        "a---b",
        "a.b",
        "a_b",
        "test:5000/repo",
        "test.com:5000",
        "test_com/foo",
        "a.b_c/foo",
        "a_b:5000/foo",
        "[::1]:5000/foo",
        "[::1]/foo",
        "192.168.1.1:5000",
        "192.168.1.1:5000/foo",
        "https://github.com/docker/docker",
        "docker.io/docker/Docker",
        "xn--n3h.com:18080/foo",
        "a:b/c",
        "a:5000/b:c",
        "a/b:c/d",
        "quay.io/ns/img:tag@sha256:",
        "busybox:\u{212a}",
        "quay.io/a:\u{130}",
        "\u{212a}/a",
        "k\u{212a}/a",
        "busybox\n",
        "busybox ",
        " busybox",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Image IDs and near misses.
    for (len, style) in [(64, 0), (64, 1), (64, 2), (63, 0), (65, 0), (128, 0)] {
        let h = hex(rng, len, style);
        cases.push(h.clone());
        cases.push(format!("docker.io/{h}"));
        cases.push(format!("{h}:tag"));
        cases.push(format!("sha256:{h}"));
    }
    // Lengths around the 255-character limits, with and without the added `docker.io/library/`.
    for total in 250..=260 {
        cases.push("a".repeat(total - 18));
        cases.push(format!("example.com/{}", "b".repeat(total - 12)));
        cases.push(format!("example.com/{}:tag", "b".repeat(total - 12)));
        let mut segmented = "a/".repeat(total / 2);
        segmented.truncate(total - 1);
        segmented.push('z');
        cases.push(segmented.clone());
        cases.push(format!("{segmented}:tag-puts-this-over-max"));
        cases.push(format!("localhost/{}", "c".repeat(total - 10)));
    }
    for len in [127, 128, 129] {
        cases.push(format!("busybox:{}", "t".repeat(len)));
    }
    // Every digest algorithm with every hex length.
    for algorithm in ALGORITHMS {
        for &len in HEX_LENGTHS {
            for style in 0..4 {
                if style > 0 && !matches!(len, 64 | 96 | 128) {
                    continue;
                }
                let digest = format!("{algorithm}:{}", hex(rng, len, style));
                cases.push(format!("busybox@{digest}"));
                cases.push(format!("quay.io/ns/img:tag@{digest}"));
                if rng.chance(30) {
                    cases.push(digest);
                }
            }
        }
    }
    cases
}

/// A path component the grammar accepts: alphanumeric runs joined by `.`, `_`, `__` or dashes.
fn valid_component(rng: &mut Rng) -> String {
    const ALNUM: &[char] = &['a', 'b', 'c', 'x', 'y', 'z', '0', '1', '9'];
    let mut c = String::new();
    for run in 0..1 + rng.below(3) {
        if run > 0 {
            c.push_str(rng.pick_str(&[".", "_", "__", "-", "--", "---"]));
        }
        c.extend((0..1 + rng.below(6)).map(|_| *rng.pick(ALNUM)));
    }
    c
}

/// A random reference string assembled from plausible and implausible parts.
fn random_reference(rng: &mut Rng) -> String {
    let mut s = String::new();
    if rng.chance(60) {
        s.push_str(rng.pick_str(DOMAINS));
        s.push('/');
    }
    let components = 1 + rng.below(4);
    for i in 0..components {
        if i > 0 {
            s.push('/');
        }
        match rng.below(10) {
            0..=5 => s.push_str(&valid_component(rng)),
            6..=7 => {
                // A valid-looking component, sometimes with one character swapped in.
                let mut c: String = (0..1 + rng.below(8))
                    .map(|_| *rng.pick(&['a', 'b', 'z', '0', '9', '.', '_', '-', 'x']))
                    .collect();
                if rng.chance(15) {
                    c.push(*rng.pick(&['A', 'Z', '\u{e9}', '\u{212a}', ' ', '/', ':', '@', '#']));
                }
                s.push_str(&c);
            }
            _ => s.push_str(rng.pick_str(COMPONENTS)),
        }
    }
    if rng.chance(45) {
        s.push(':');
        if rng.chance(40) {
            s.push_str(rng.pick_str(TAGS));
        } else {
            let len = *rng.pick(&[1, 5, 127, 128, 129]);
            s.extend((0..len).map(|_| *rng.pick(&['a', 'Z', '9', '_', '.', '-'])));
        }
    }
    if rng.chance(30) {
        s.push('@');
        let algorithm = *rng.pick(&["sha256", "sha256", "sha384", "sha512", "md5", "SHA256"]);
        let len = match algorithm {
            "sha384" if rng.chance(70) => 96,
            "sha512" if rng.chance(70) => 128,
            _ => *rng.pick(&[32, 64, 64, 64, 96, 128, 63]),
        };
        let style = *rng.pick(&[0, 0, 0, 1, 3]);
        s.push_str(&format!("{algorithm}:{}", hex(rng, len, style)));
    }
    s
}

/// At least `n` reference strings: every edge case, then random ones, without duplicates.
pub fn reference_strings(seed: u64, n: usize) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for case in edge_cases(&mut rng) {
        if seen.insert(case.clone()) {
            out.push(case);
        }
    }
    while out.len() < n {
        let case = random_reference(&mut rng);
        if seen.insert(case.clone()) {
            out.push(case);
        }
    }
    out
}
