//! Go's `regexp` as cosign and sigstore-go use it for identity rules
//! (`--certificate-identity-regexp`, `SubjectRegExp`): RE2 syntax, matched unanchored
//! (`MatchString`).
//!
//! Matching is regex-lite's (the regex authors' small engine: linear time, code point by code
//! point, Perl classes and word boundaries in ASCII as Go has them). A pattern is first read
//! as Go reads it, and refused where the two engines would give it different meanings, so an
//! accepted pattern matches exactly what Go's matches, with two documented exceptions where
//! vouch is stricter: `(?i)` folds ASCII letters only (Go also folds `ſ` with `s`, `K` with
//! `k`, and non-ASCII letters), and the constructs regex-lite lacks (`\p{…}`, `\Q…\E`, octal
//! escapes) are refused rather than matched.
//!
//! Without the `std` feature there is no engine, and every pattern is refused.

use alloc::string::String;
use core::fmt;

/// Go's limit on a counted repetition (`{n,m}`).
const MAX_REPEAT: u32 = 1000;

/// A compiled pattern. Equality is the pattern text's.
#[derive(Clone)]
pub struct Regexp {
    pattern: String,
    #[cfg(feature = "std")]
    engine: regex_lite::Regex,
}

impl PartialEq for Regexp {
    fn eq(&self, other: &Self) -> bool {
        self.pattern == other.pattern
    }
}

impl Eq for Regexp {}

impl fmt::Debug for Regexp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Regexp").field(&self.pattern).finish()
    }
}

/// Why a pattern is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RegexpError {
    /// For a person: what is wrong, and where.
    pub message: String,
}

impl fmt::Display for RegexpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl core::error::Error for RegexpError {}

impl Regexp {
    /// Compiles `pattern` as Go's `regexp.Compile` would, refusing what vouch cannot match
    /// exactly as Go does.
    ///
    /// ```
    /// let re = vouch::Regexp::new(r"^https://github\.com/org/[a-z]+/\.github/workflows/").unwrap();
    /// assert!(re.is_match("https://github.com/org/app/.github/workflows/release.yml@refs/heads/main"));
    /// assert!(!re.is_match("https://github.com/other/app/.github/workflows/release.yml"));
    /// assert!(vouch::Regexp::new(r"(?x) a b").is_err()); // Go has no `x` flag
    /// ```
    pub fn new(pattern: &str) -> Result<Self, RegexpError> {
        let translated = translate(pattern).map_err(|message| RegexpError { message })?;
        Self::compile(pattern, &translated)
    }

    #[cfg(feature = "std")]
    fn compile(pattern: &str, translated: &str) -> Result<Self, RegexpError> {
        let engine = regex_lite::RegexBuilder::new(translated)
            .build()
            .map_err(|e| RegexpError {
                message: alloc::format!(
                    "error parsing regexp {pattern:?}: {}",
                    alloc::string::ToString::to_string(&e)
                        .lines()
                        .last()
                        .unwrap_or("invalid")
                ),
            })?;
        Ok(Self {
            pattern: pattern.into(),
            engine,
        })
    }

    #[cfg(not(feature = "std"))]
    fn compile(pattern: &str, _: &str) -> Result<Self, RegexpError> {
        Err(RegexpError {
            message: alloc::format!(
                "regular expression {pattern:?}: this build of vouch has no regular expressions (the std feature is off)"
            ),
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether the pattern matches anywhere in `text` (Go's `MatchString`).
    pub fn is_match(&self, text: &str) -> bool {
        #[cfg(feature = "std")]
        {
            self.engine.is_match(text)
        }
        #[cfg(not(feature = "std"))]
        {
            let _ = text;
            false
        }
    }
}

/// Reads `pattern` as Go's `regexp/syntax` would and gives the same pattern for regex-lite,
/// or why the two would disagree on it (or Go would refuse it).
fn translate(pattern: &str) -> Result<String, String> {
    let refuse = |at: usize, what: &str| {
        Err(alloc::format!(
            "regexp {pattern:?} at byte {at}: {what} (vouch accepts the RE2 syntax that Go and vouch match alike)"
        ))
    };
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.char_indices().peekable();
    let mut in_class = false;
    // Just after `[` or `[^`, where `]` is a literal.
    let mut class_start = false;
    // Just after a repetition operator (and its `?`): Go refuses another one there.
    let mut after_repeat = false;
    // Just after a flag group such as `(?i)`: Go repeats the atom before it, regex-lite not.
    let mut after_flags = false;
    // Go's `repeatIsValid`: along nested counted repetitions, the counts multiply to at most
    // 1,000. Per open group, the largest product inside it; and the last atom's.
    let mut groups: alloc::vec::Vec<u64> = alloc::vec![1];
    let mut last_atom: u64 = 1;
    while let Some((at, c)) = chars.next() {
        let at_class_start = core::mem::take(&mut class_start);
        let repeated = core::mem::take(&mut after_repeat);
        let flagged = core::mem::take(&mut after_flags);
        let count = if in_class || c != '{' {
            None
        } else {
            counted(&pattern[at + 1..])
        };
        if !in_class && (matches!(c, '*' | '+' | '?') || matches!(count, Some(Ok(_)))) {
            if repeated {
                return refuse(at, "a nested repetition operator");
            }
            if flagged {
                return refuse(at, "a repetition right after a flag group");
            }
            after_repeat = true;
        } else if !in_class && c != ')' {
            // A new atom (a group's atom is set when it closes).
            last_atom = 1;
        }
        match c {
            '*' | '+' | '?' if !in_class => {
                out.push(c);
                // `*?`, `+?`, `??`: the non-greedy form is part of the operator.
                if chars.peek().is_some_and(|(_, n)| *n == '?') {
                    chars.next();
                    out.push('?');
                }
            }
            '\\' => {
                let Some((_, e)) = chars.next() else {
                    return refuse(at, "trailing backslash");
                };
                match e {
                    // regex-lite's word-start and word-end assertions; literals in Go.
                    '<' | '>' => return refuse(at, &alloc::format!("the escape `\\{e}`")),
                    // Go: an escaped ASCII character that is not a letter or digit is itself;
                    // the same in regex-lite.
                    _ if e.is_ascii() && !e.is_ascii_alphanumeric() => {
                        out.push('\\');
                        out.push(e);
                    }
                    'a' | 'f' | 't' | 'n' | 'r' | 'v' | 'd' | 'D' | 'w' | 'W' => {
                        out.push('\\');
                        out.push(e);
                    }
                    // `\x7F` or `\x{10FFFF}`: the engine checks the digits.
                    'x' => {
                        out.push_str("\\x");
                        if chars.peek().is_some_and(|(_, n)| *n == '{') {
                            for (_, h) in chars.by_ref() {
                                out.push(h);
                                if h == '}' {
                                    break;
                                }
                            }
                        }
                    }
                    // Go's `\s` is `[\t\n\f\r ]`: no vertical tab, unlike regex-lite's.
                    's' if in_class => out.push_str(r"\t\n\x0C\r "),
                    's' => out.push_str(r"[\t\n\x0C\r ]"),
                    'S' if in_class => return refuse(at, r"`\S` inside a class"),
                    'S' => out.push_str(r"[^\t\n\x0C\r ]"),
                    'b' | 'B' | 'A' | 'z' if in_class => {
                        return refuse(at, "an assertion inside a class");
                    }
                    // Go reads `\b{` as a boundary and a literal brace; regex-lite as a
                    // special boundary.
                    'b' | 'B' if chars.peek().is_some_and(|(_, n)| *n == '{') => {
                        return refuse(at, "a word boundary followed by `{`");
                    }
                    'b' | 'B' | 'A' | 'z' => {
                        out.push('\\');
                        out.push(e);
                    }
                    _ => return refuse(at, &alloc::format!("the escape `\\{e}`")),
                }
            }
            '[' if in_class => {
                // `[:alpha:]` and the other ASCII classes read the same; any other `[` in a
                // class is a literal in Go and a nested class in regex-lite.
                if chars.peek().is_some_and(|(_, n)| *n == ':') {
                    out.push('[');
                } else {
                    return refuse(at, "`[` inside a class");
                }
            }
            '[' => {
                in_class = true;
                class_start = true;
                out.push('[');
                if chars.peek().is_some_and(|(_, n)| *n == '^') {
                    chars.next();
                    out.push('^');
                }
            }
            ']' if in_class && !at_class_start => {
                in_class = false;
                out.push(']');
            }
            '&' | '~' | '-' if in_class => {
                if chars.peek().is_some_and(|(_, n)| *n == c) {
                    return refuse(at, "a class operator (`&&`, `~~`, `--`)");
                }
                out.push(c);
            }
            '(' if !in_class => {
                out.push('(');
                if chars.peek().is_some_and(|(_, n)| *n == '?') {
                    chars.next();
                    out.push('?');
                    let named = match chars.peek() {
                        Some((_, 'P')) => {
                            chars.next();
                            out.push('P');
                            true
                        }
                        Some((_, '<')) => true,
                        _ => false,
                    };
                    if !named {
                        // Flags: Go knows i, m, s and U.
                        while let Some(&(fat, f)) = chars.peek() {
                            match f {
                                'i' | 'm' | 's' | 'U' | '-' => {
                                    out.push(f);
                                    chars.next();
                                }
                                ')' => {
                                    // A flag group: no group, no atom.
                                    chars.next();
                                    out.push(')');
                                    after_flags = true;
                                    break;
                                }
                                ':' => break,
                                _ => return refuse(fat, &alloc::format!("the flag `{f}`")),
                            }
                        }
                        if after_flags {
                            continue;
                        }
                    }
                }
                groups.push(1);
            }
            ')' if !in_class => {
                out.push(')');
                if groups.len() > 1 {
                    let inner = groups.pop().unwrap_or(1);
                    last_atom = inner;
                    if let Some(outer) = groups.last_mut() {
                        *outer = (*outer).max(inner);
                    }
                }
            }
            '{' if !in_class => match count {
                Some(Ok((len, min, max))) => {
                    out.push_str(&pattern[at..at + 1 + len]);
                    for _ in 0..len {
                        chars.next();
                    }
                    if chars.peek().is_some_and(|(_, n)| *n == '?') {
                        chars.next();
                        out.push('?');
                    }
                    // `repeatIsValid`: a count of 0 ends the chain; an unbounded one counts
                    // its minimum.
                    let m = u64::from(max.unwrap_or(min));
                    let product = if m == 0 {
                        1
                    } else {
                        last_atom.saturating_mul(m)
                    };
                    if (min >= 2 || max.is_some_and(|m| m >= 2)) && product > u64::from(MAX_REPEAT)
                    {
                        return refuse(at, "nested repetition counts over 1000 together");
                    }
                    last_atom = product;
                    if let Some(group) = groups.last_mut() {
                        *group = (*group).max(product);
                    }
                }
                Some(Err(())) => {
                    return refuse(at, "a repetition count over 1000");
                }
                None => out.push_str(r"\{"),
            },
            _ => out.push(c),
        }
    }
    Ok(out)
}

/// A counted repetition after its `{`: how many bytes it takes, its minimum and its maximum
/// (`None`: unbounded).
type Count = (usize, u32, Option<u32>);

/// A counted repetition's `n}`, `n,}` or `n,m}` at the start of `rest`: its length and counts,
/// an error when a count passes Go's limit, or `None` when Go reads the brace as a literal.
fn counted(rest: &str) -> Option<Result<Count, ()>> {
    let bytes = rest.as_bytes();
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let number = |from: usize, len: usize| -> Option<u32> {
        // Go: at most 1000, and "1000" longer than 4 digits is already too big.
        if len > 4 {
            return Some(u32::MAX);
        }
        rest[from..from + len].parse().ok()
    };
    let n_len = digits(0);
    if n_len == 0 {
        return None;
    }
    let n = number(0, n_len)?;
    let mut i = n_len;
    let mut m = Some(n);
    match bytes.get(i) {
        Some(b'}') => {}
        Some(b',') => {
            i += 1;
            let m_len = digits(i);
            m = None;
            if m_len > 0 {
                m = Some(number(i, m_len)?);
                i += m_len;
            }
            if bytes.get(i) != Some(&b'}') {
                return None;
            }
        }
        _ => return None,
    }
    if n > MAX_REPEAT || m.is_some_and(|m| m > MAX_REPEAT) {
        return Some(Err(()));
    }
    Some(Ok((i + 1, n, m)))
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    #[test]
    fn matches_unanchored_as_go() {
        let re = Regexp::new("github.com/org").unwrap();
        assert!(re.is_match("https://github.com/org/app"));
        assert!(
            !Regexp::new("^github")
                .unwrap()
                .is_match("https://github.com")
        );
        // Perl classes are ASCII, and `\s` has no vertical tab.
        assert!(!Regexp::new(r"\d").unwrap().is_match("٣"));
        assert!(!Regexp::new(r"\s").unwrap().is_match("\x0b"));
        assert!(Regexp::new(r"\S").unwrap().is_match("\x0b"));
        assert!(Regexp::new(r"[\s]").unwrap().is_match("\x0c"));
        assert!(!Regexp::new(r"\w").unwrap().is_match("δ"));
        // `.` is a code point.
        assert!(Regexp::new("^.$").unwrap().is_match("δ"));
        // A brace that is not a repetition is a literal, as in Go.
        assert!(Regexp::new("a{x}").unwrap().is_match("a{x}"));
        assert!(Regexp::new("a{,3}").unwrap().is_match("a{,3}"));
        assert!(Regexp::new("^a{2,3}$").unwrap().is_match("aaa"));
        assert!(Regexp::new("^a{2,3}?b*?c??$").unwrap().is_match("aac"));
        assert!(Regexp::new("^(?:a*)*$").unwrap().is_match("aa"));
        assert!(Regexp::new("^(a{10}){100}$").is_ok());
        assert!(Regexp::new("(a{0}){1000}b{1000}").is_ok());
        assert!(Regexp::new("^a(?i)B$").unwrap().is_match("ab"));
        assert!(Regexp::new("[]a]").unwrap().is_match("]"));
        assert!(Regexp::new("[[:alpha:]]").unwrap().is_match("q"));
        assert!(Regexp::new("(?i)GITHUB").unwrap().is_match("github"));
        assert!(Regexp::new("(?P<n>a)(?<m>b)").unwrap().is_match("ab"));
        assert!(Regexp::new(r"^\x{41}\x42$").unwrap().is_match("AB"));
        assert!(Regexp::new(r"a\ b\-\_").unwrap().is_match("a b-_"));
    }

    #[test]
    fn refuses_what_the_engines_read_differently() {
        for pattern in [
            "(?x)a b",
            "(?u)a",
            "(?R)a",
            r"\b{start}",
            r"\<",
            r"\pL",
            r"\Qa\E",
            r"\0",
            r"\1",
            "a{1001}",
            "a**",
            "a*+",
            "a???",
            "a{2}{3}",
            "a{2}*",
            "a*{2}",
            "(a{30}){40}",
            "((a{10}){10}){11}",
            "ab(?i){2}",
            "ab(?i)*",
            "a{1,1001}",
            "a{99999}",
            "[[a]]",
            "[a&&b]",
            "[a--b]",
            "[a~~b]",
            r"[\S]",
            r"[\b]",
            r"\>",
            "\\",
            "(",
        ] {
            assert!(Regexp::new(pattern).is_err(), "{pattern:?} must be refused");
        }
        assert_eq!(
            Regexp::new("a{1000}").unwrap().as_str(),
            "a{1000}",
            "Go's limit itself is allowed"
        );
    }
}
