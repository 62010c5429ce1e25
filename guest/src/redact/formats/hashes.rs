//! Password hashes, which crack offline into the password: the modular
//! crypt format of `/etc/shadow`, htpasswd and most user tables (`$6$salt$…`,
//! `$2b$12$…`, `$argon2id$v=19$…`), and the LM and NT hashes of a pwdump
//! line (`user:500:<32 hex>:<32 hex>:::`, as secretsdump prints them).

/// The hashes recognised, as docs/security.md names them.
#[cfg(test)]
pub const HASHES: [&str; 2] = ["crypt format", "pwdump line"];

/// The schemes of the modular crypt format: the id between the first two `$`.
const CRYPT_IDS: [&str; 16] = [
    "1", "2", "2a", "2b", "2x", "2y", "5", "6", "7", "y", "gy", "sha1", "argon2i", "argon2d",
    "argon2id", "scrypt",
];

/// The fewest characters after the id: a salt and a hash both.
const CRYPT_MIN: usize = 20;

/// Where the salt and hash of a crypt-format hash end, the id being the
/// word `start..end` between two `$`: at least [`CRYPT_MIN`] characters of
/// its alphabet (`A-Z a-z 0-9 . / + = , -` and `$`), a `$` among them.
#[inline(never)]
pub fn crypt(bytes: &[u8], start: usize, end: usize) -> Option<usize> {
    let id = &bytes[start..end];
    if start == 0
        || bytes[start - 1] != b'$'
        || bytes.get(end) != Some(&b'$')
        || !CRYPT_IDS.iter().any(|known| known.as_bytes() == id)
    {
        return None;
    }
    let from = end + 1;
    let to = from
        + bytes[from..]
            .iter()
            .take_while(|b| {
                b.is_ascii_alphanumeric()
                    || matches!(b, b'.' | b'/' | b'+' | b'=' | b',' | b'-' | b'$')
            })
            .count();
    let rest = &bytes[from..to];
    (rest.len() >= CRYPT_MIN && rest.contains(&b'$')).then_some(to)
}

/// Where the NT hash of a pwdump line ends, the LM hash being the word
/// `start..end`: 32 hex digits, `:`, 32 more, `:`.
#[inline(never)]
pub fn pwdump(bytes: &[u8], start: usize, end: usize) -> Option<usize> {
    let hex = |from: usize| {
        bytes
            .get(from..from + 32)
            .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
            && bytes.get(from + 32) == Some(&b':')
    };
    (end - start == 32 && start > 0 && bytes[start - 1] == b':' && hex(start) && hex(end + 1))
        .then_some(end + 33)
}

#[cfg(test)]
mod tests {
    use super::super::super::{clean, expect};

    #[test]
    fn crypt_hashes_and_pwdump_lines() {
        expect(&[
            (
                "root:$6$rounds=5000$saltsalt$Hu9jK2mN3pQ4rS5tU6vW7xY8zA:19000:0:99999:7:::",
                "root:$6$#:19000:0:99999:7:::",
            ),
            (
                "admin:$2y$10$abcdefghijklmnopqrstuuG0oQ3d1ETh6WhJY6ZbM3p7vDk1a5aW",
                "admin:$2y$#",
            ),
            (
                "{\"hash\": \"$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo\"}",
                "{\"hash\": \"$argon2id$#\"}",
            ),
            (
                "bob:$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7",
                "bob:$y$#",
            ),
            (
                "Administrator:500:aad3b435b51404eeaad3b435b51404ee:31d6cfe0d16ae931b73c59d7e0c089c0:::",
                "Administrator:500:#:::",
            ),
        ]);
        for kept in [
            "costs $5$10 and $6 each",
            "echo $1$2 ${HOME}",
            "export PATH=$HOME/bin:$PATH",
            "$2$ of 2 files",
            "9fceb02d0ae598e95dc970b74767f193:d41d8cd98f00b204e9800998ecf8427e",
            "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ] {
            assert_eq!(clean(kept), kept);
        }
    }
}
