//! Credentials of well-known shapes, found wherever they appear: a prefix
//! the issuer puts on every one, then a body of a known alphabet and length
//! ([`FORMATS`]); and a few without a prefix, known by their shape alone
//! ([`SHAPES`]).

mod hashes;
mod shapes;

#[cfg(test)]
pub use hashes::HASHES;
pub use hashes::{braced, crypt, pwdump};
#[cfg(test)]
pub use shapes::SHAPES;
pub use shapes::{discord, telegram};

/// The alphabet of a format's body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    /// `A-Z`, `0-9`.
    Upper,
    /// `A-Z`, `a-z`, `0-9`.
    Alnum,
    /// `A-Z`, `a-z`, `0-9`, `_`.
    Word,
    /// `A-Z`, `a-z`, `0-9`, `_`, `-` (base64url).
    UrlSafe,
    /// `0-9`, `a-f`, `A-F`.
    Hex,
    /// base64url segments joined by dots, at least three (a JWT).
    Dotted,
}

impl Body {
    /// Whether `b` can be part of a body of this alphabet.
    fn holds(self, b: u8) -> bool {
        match self {
            Body::Upper => b.is_ascii_uppercase() || b.is_ascii_digit(),
            Body::Alnum => b.is_ascii_alphanumeric(),
            Body::Word => b.is_ascii_alphanumeric() || b == b'_',
            Body::UrlSafe => b.is_ascii_alphanumeric() || b == b'_' || b == b'-',
            Body::Hex => b.is_ascii_hexdigit(),
            Body::Dotted => b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'),
        }
    }
}

/// A credential format: what it is, the prefixes that start it, and the
/// alphabet and length (in bytes, after the prefix) of the rest.
#[derive(Debug)]
pub struct Format {
    /// What issues it, as docs/security.md lists it.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "read by the test that checks docs/security.md")
    )]
    pub name: &'static str,
    /// Every one starts with one of these (case-sensitive), after a byte that
    /// is not a letter or digit.
    pub prefixes: &'static [&'static str],
    /// The alphabet after the prefix; the byte after the body is not a letter
    /// or digit.
    pub body: Body,
    /// The fewest bytes after the prefix.
    pub min: usize,
    /// The most bytes after the prefix.
    pub max: usize,
    /// Whether the body holds a digit (every real one does; a hyphenated
    /// name such as `sk-some-long-package-name` does not).
    pub digit: bool,
}

/// Every format searched for, the one list docs/security.md's table follows.
pub const FORMATS: &[Format] = &[
    Format {
        name: "AWS access key ID",
        prefixes: &[
            "AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA", "ANVA", "APKA", "AROA",
            "ASCA",
        ],
        body: Body::Upper,
        min: 16,
        max: 16,
        digit: false,
    },
    Format {
        name: "GitHub token",
        prefixes: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        body: Body::Alnum,
        min: 30,
        max: 255,
        digit: false,
    },
    Format {
        name: "GitHub fine-grained token",
        prefixes: &["github_pat_"],
        body: Body::Word,
        min: 30,
        max: 255,
        digit: false,
    },
    Format {
        name: "GitLab token",
        prefixes: &[
            "glpat-", "gldt-", "glrt-", "glptt-", "glft-", "gloas-", "glsoat-", "glcbt-",
        ],
        body: Body::UrlSafe,
        min: 20,
        max: 255,
        digit: false,
    },
    Format {
        name: "Slack token",
        prefixes: &[
            "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-", "xapp-",
        ],
        body: Body::UrlSafe,
        min: 10,
        max: 255,
        digit: false,
    },
    Format {
        name: "Stripe secret key",
        prefixes: &["sk_live_", "sk_test_", "rk_live_", "rk_test_", "whsec_"],
        body: Body::Alnum,
        min: 16,
        max: 255,
        digit: false,
    },
    Format {
        name: "OpenAI / Anthropic key",
        prefixes: &["sk-"],
        body: Body::UrlSafe,
        min: 20,
        max: 255,
        digit: true,
    },
    Format {
        name: "Google API key",
        prefixes: &["AIza"],
        body: Body::UrlSafe,
        min: 35,
        max: 35,
        digit: false,
    },
    Format {
        name: "Google OAuth token or client secret",
        prefixes: &["ya29.", "GOCSPX-"],
        body: Body::UrlSafe,
        min: 20,
        max: 2048,
        digit: false,
    },
    Format {
        name: "npm token",
        prefixes: &["npm_"],
        body: Body::Alnum,
        min: 36,
        max: 36,
        digit: false,
    },
    Format {
        name: "PyPI token",
        prefixes: &["pypi-"],
        body: Body::UrlSafe,
        min: 50,
        max: 1024,
        digit: false,
    },
    Format {
        name: "Hugging Face token",
        prefixes: &["hf_"],
        body: Body::Alnum,
        min: 30,
        max: 255,
        digit: false,
    },
    Format {
        name: "SendGrid key",
        prefixes: &["SG."],
        body: Body::Dotted,
        min: 40,
        max: 255,
        digit: false,
    },
    Format {
        name: "Shopify token",
        prefixes: &["shpat_", "shpss_", "shpca_", "shppa_"],
        body: Body::Hex,
        min: 32,
        max: 32,
        digit: false,
    },
    Format {
        name: "DigitalOcean token",
        prefixes: &["dop_v1_", "doo_v1_", "dor_v1_"],
        body: Body::Hex,
        min: 64,
        max: 64,
        digit: false,
    },
    Format {
        name: "HashiCorp Vault token",
        prefixes: &["hvs.", "hvb."],
        body: Body::UrlSafe,
        min: 24,
        max: 255,
        digit: false,
    },
    Format {
        name: "Linear API key",
        prefixes: &["lin_api_"],
        body: Body::Alnum,
        min: 40,
        max: 40,
        digit: false,
    },
    Format {
        name: "Databricks token",
        prefixes: &["dapi"],
        body: Body::Hex,
        min: 32,
        max: 32,
        digit: true,
    },
    Format {
        name: "age secret key",
        prefixes: &["AGE-SECRET-KEY-1"],
        body: Body::Upper,
        min: 58,
        max: 58,
        digit: false,
    },
    Format {
        name: "Square token",
        prefixes: &["sq0atp-", "sq0csp-", "sq0idp-"],
        body: Body::UrlSafe,
        min: 22,
        max: 64,
        digit: false,
    },
    Format {
        name: "Grafana token",
        prefixes: &["glsa_", "glc_"],
        body: Body::UrlSafe,
        min: 32,
        max: 255,
        digit: false,
    },
    Format {
        name: "Postman API key",
        prefixes: &["PMAK-"],
        body: Body::UrlSafe,
        min: 59,
        max: 59,
        digit: true,
    },
    Format {
        name: "Doppler token",
        prefixes: &[
            "dp.pt.",
            "dp.st.",
            "dp.ct.",
            "dp.sa.",
            "dp.scim.",
            "dp.audit.",
        ],
        body: Body::Alnum,
        min: 40,
        max: 64,
        digit: false,
    },
    Format {
        name: "Mailgun key",
        prefixes: &["key-"],
        body: Body::Hex,
        min: 32,
        max: 32,
        digit: true,
    },
    Format {
        name: "Atlassian API token",
        prefixes: &["ATATT3"],
        body: Body::UrlSafe,
        min: 100,
        max: 300,
        digit: true,
    },
    Format {
        name: "JSON Web Token",
        prefixes: &["eyJ"],
        body: Body::Dotted,
        min: 10,
        max: usize::MAX,
        digit: false,
    },
];

/// Bit `b % 64` of `PAIRS[2 * a + b / 64]` is set when some format's prefix
/// starts with the ASCII bytes `a`, `b`: a table, so that almost every word
/// costs two loads. Two `u64`s a row: wasm has no 128-bit shifts.
static PAIRS: [u64; 256] = {
    let mut pairs = [0u64; 256];
    let mut f = 0;
    while f < FORMATS.len() {
        let mut p = 0;
        while p < FORMATS[f].prefixes.len() {
            let prefix = FORMATS[f].prefixes[p].as_bytes();
            let (a, b) = (prefix[0] as usize, prefix[1] as usize);
            pairs[a << 1 | b >> 6] |= 1 << (b & 63);
            p += 1;
        }
        f += 1;
    }
    pairs
};

/// A prefix's first bytes, as a little-endian word, to [`BEGINNINGS`]' bit.
const fn bit_of(word: u32) -> usize {
    ((word ^ word >> 15).wrapping_mul(0x85eb_ca6b) >> 22) as usize
}

/// Sets [`bit_of`] `word` in `bits`.
const fn set(mut bits: [u64; 16], word: u32) -> [u64; 16] {
    let bit = bit_of(word);
    bits[bit / 64] |= 1 << (bit % 64);
    bits
}

/// Whether [`bit_of`] `word` is set in `bits`.
fn has(bits: &[u64; 16], word: u32) -> bool {
    let bit = bit_of(word);
    bits[bit / 64] & 1 << (bit % 64) != 0
}

/// The second filter, for the words that pass [`PAIRS`] because they begin
/// like a prefix (`line` like `lin_api_`), before any prefix is compared in
/// full: two 1,024-bit sets, of the first three bytes of the three-byte
/// prefixes and of the first four of the longer ones, each looked up with
/// one load. (Every prefix has three bytes or more.)
static BEGINNINGS: [[u64; 16]; 2] = {
    let mut sets = [[0u64; 16]; 2];
    let mut f = 0;
    while f < FORMATS.len() {
        let mut p = 0;
        while p < FORMATS[f].prefixes.len() {
            let prefix = FORMATS[f].prefixes[p].as_bytes();
            assert!(prefix.len() >= 3, "a prefix has three bytes or more");
            let mut word = prefix[0] as u32 | (prefix[1] as u32) << 8 | (prefix[2] as u32) << 16;
            if prefix.len() == 3 {
                sets[0] = set(sets[0], word);
            } else {
                word |= (prefix[3] as u32) << 24;
                sets[1] = set(sets[1], word);
            }
            p += 1;
        }
        f += 1;
    }
    sets
};

/// The end of a credential of a known format starting at `at` in `bytes`,
/// if one does. The caller has checked that the byte before `at` is not a
/// letter or digit.
#[inline(always)]
pub fn at(bytes: &[u8], at: usize) -> Option<usize> {
    let (a, b) = (bytes[at], bytes.get(at + 1).copied().unwrap_or(0));
    let (a, b) = (usize::from(a & 127), usize::from(b & 127));
    if PAIRS[a << 1 | b >> 6] & 1 << (b & 63) != 0
        && bytes[at].is_ascii()
        && begins_a_prefix(bytes, at)
    {
        matching(bytes, at)
    } else {
        None
    }
}

/// Whether the bytes at `at` may begin one of the prefixes (see
/// [`BEGINNINGS`]); never `false` where one does.
#[inline(never)]
fn begins_a_prefix(bytes: &[u8], at: usize) -> bool {
    let mut word = [0u8; 4];
    let available = bytes.len().saturating_sub(at).min(4);
    word[..available].copy_from_slice(&bytes[at..at + available]);
    let word = u32::from_le_bytes(word);
    has(&BEGINNINGS[0], word & 0x00ff_ffff) || has(&BEGINNINGS[1], word)
}

/// Whether `bytes` starts with `prefix`: a loop the compiler keeps inline,
/// where `starts_with` calls `memcmp` for each of the dozens of prefixes.
fn starts(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes.len() >= prefix.len() && bytes.iter().zip(prefix).all(|(a, b)| a == b)
}

/// [`at`] past its two-load filter.
#[inline(never)]
fn matching(bytes: &[u8], at: usize) -> Option<usize> {
    let rest = &bytes[at..];
    FORMATS.iter().find_map(|format| {
        let prefix = format
            .prefixes
            .iter()
            .find(|p| starts(rest, p.as_bytes()))?;
        let start = at + prefix.len();
        let mut len = bytes[start..]
            .iter()
            .take_while(|b| format.body.holds(**b))
            .count();
        if format.body == Body::Dotted {
            // A sentence's full stop is not part of the token.
            while len > 0 && bytes[start + len - 1] == b'.' {
                len -= 1;
            }
        }
        let end = start + len;
        let body = &bytes[start..end];
        let fits = (format.min..=format.max).contains(&len)
            && !bytes.get(end).is_some_and(u8::is_ascii_alphanumeric)
            && (!format.digit || body.iter().any(u8::is_ascii_digit))
            && (format.body != Body::Dotted || dotted(prefix, body));
        fits.then_some(end)
    })
}

/// Whether a dotted body has its segments: a JWT's header (begun by the
/// prefix), payload and signature, or a SendGrid key's two after `SG.`.
fn dotted(prefix: &str, body: &[u8]) -> bool {
    let mut segments = body.split(|b| *b == b'.');
    let wanted = if prefix.ends_with('.') { 2 } else { 3 };
    let leading = segments
        .by_ref()
        .take(wanted - 1)
        .filter(|s| !s.is_empty())
        .count();
    leading == wanted - 1 && segments.next().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body of `n` characters of `alphabet`, from a fixed pattern.
    fn body(alphabet: &str, n: usize) -> String {
        alphabet.chars().cycle().take(n).collect()
    }

    /// A credential of every format, made from its table row.
    fn examples() -> Vec<String> {
        FORMATS
            .iter()
            .flat_map(|f| {
                let alphabet = match f.body {
                    Body::Upper => "QX7Z2K9B",
                    Body::Hex => "a3f9c0e1",
                    _ => "Tq8wZp3x",
                };
                f.prefixes.iter().map(move |p| match (f.body, *p) {
                    (Body::Dotted, "SG.") => {
                        format!("SG.{}.{}", body(alphabet, 22), body(alphabet, 43))
                    }
                    (Body::Dotted, _) => {
                        format!(
                            "{p}hbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.{}",
                            body(alphabet, 20)
                        )
                    }
                    _ => format!("{p}{}", body(alphabet, f.min)),
                })
            })
            .collect()
    }

    #[test]
    fn every_format_is_found_where_it_stands() {
        for example in examples() {
            let text = format!("x ({example}) y");
            let found = at(text.as_bytes(), 3);
            assert_eq!(found, Some(3 + example.len()), "{example}");
        }
    }

    #[test]
    fn words_that_only_begin_like_a_prefix_stop_at_the_second_filter() {
        for example in examples() {
            assert!(begins_a_prefix(example.as_bytes(), 0), "{example}");
        }
        // Each passes the first filter (its first two bytes start a prefix).
        for word in [
            "line", "linear", "skip", "ghost", "shell", "npx", "hfx", "eye", "glass",
        ] {
            let (a, b) = (
                usize::from(word.as_bytes()[0]),
                usize::from(word.as_bytes()[1]),
            );
            assert!(PAIRS[a << 1 | b >> 6] & 1 << (b & 63) != 0, "{word}");
            assert!(!begins_a_prefix(word.as_bytes(), 0), "{word}");
        }
    }

    #[test]
    fn a_body_of_the_wrong_length_or_alphabet_is_not_a_credential() {
        for text in [
            "AKIA1234",                               // too short
            "AKIAIOSFODNN7EXAMPLEXX",                 // too long
            "ghp_short",                              // too short
            "sk-some-long-package-name-here",         // no digit
            "eyJhbGciOiJIUzI1NiJ9",                   // base64 JSON, no dots
            "eyJhbGciOiJIUzI1NiJ9.json",              // one dot
            "shpat_0123456789abcdef0123456789abcdeg", // not hex
        ] {
            assert_eq!(at(text.as_bytes(), 0), None, "{text}");
        }
    }
}
