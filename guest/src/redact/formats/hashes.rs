//! Password hashes, which crack offline into the password: the modular
//! crypt format of `/etc/shadow`, htpasswd and most user tables (`$6$salt$…`,
//! `$2b$12$…`, `$apr1$…`, `$argon2id$v=19$…`) and Django's spelling of it
//! (`pbkdf2_sha256$260000$salt$hash`), the schemes in braces of LDAP's
//! `userPassword` and htpasswd (`{SSHA}…`, `{SHA}…`), and the LM and NT
//! hashes of a pwdump line (`user:500:<32 hex>:<32 hex>:::`, as secretsdump
//! prints them).

/// The hashes recognised, as docs/security.md names them.
#[cfg(test)]
pub const HASHES: [&str; 3] = ["crypt format", "scheme in braces", "pwdump line"];

/// The schemes of the modular crypt format: the id between the first two `$`.
const CRYPT_IDS: [&str; 18] = [
    "1", "2", "2a", "2b", "2x", "2y", "5", "6", "7", "y", "gy", "apr1", "md5", "sha1", "argon2i",
    "argon2d", "argon2id", "scrypt",
];

/// Django's hashers, each written before the first `$` with none before it.
const DJANGO_IDS: [&str; 6] = [
    "pbkdf2_sha256",
    "pbkdf2_sha1",
    "argon2",
    "bcrypt_sha256",
    "bcrypt",
    "scrypt",
];

/// The schemes LDAP and htpasswd write in braces before a hash.
const BRACED: [&str; 14] = [
    "SHA",
    "SSHA",
    "SHA256",
    "SSHA256",
    "SHA384",
    "SSHA384",
    "SHA512",
    "SSHA512",
    "MD5",
    "SMD5",
    "CRYPT",
    "PBKDF2",
    "PBKDF2-SHA256",
    "ARGON2",
];

/// The fewest characters after the id: a salt and a hash both.
const CRYPT_MIN: usize = 20;

/// The fewest characters of a hash after a scheme in braces (`{SHA}` of an
/// empty salt is 28).
const BRACED_MIN: usize = 16;

/// Whether `b` can be part of a hash: `A-Z a-z 0-9 . / + = , -` and `$`.
fn hash_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'+' | b'=' | b',' | b'-' | b'$')
}

/// The end of the run of [`hash_byte`]s at `from`.
fn hash_end(bytes: &[u8], from: usize) -> usize {
    from + bytes[from..].iter().take_while(|b| hash_byte(**b)).count()
}

/// Where the salt and hash of a crypt-format hash end, the id being the
/// word `start..end` between two `$` (or one of Django's, before the first
/// `$`): at least [`CRYPT_MIN`] [`hash_byte`]s, a `$` among them.
#[inline(never)]
pub fn crypt(bytes: &[u8], start: usize, end: usize) -> Option<usize> {
    let id = &bytes[start..end];
    let known = |ids: &[&str]| ids.iter().any(|known| known.as_bytes() == id);
    let after_dollar = start > 0 && bytes[start - 1] == b'$';
    if bytes.get(end) != Some(&b'$')
        || !(after_dollar && known(&CRYPT_IDS) || !after_dollar && known(&DJANGO_IDS))
    {
        return None;
    }
    let to = hash_end(bytes, end + 1);
    let rest = &bytes[end + 1..to];
    (rest.len() >= CRYPT_MIN && rest.contains(&b'$')).then_some(to)
}

/// The hash after a scheme in braces, the scheme being the word
/// `start..end` (`{SSHA}…`): at least [`BRACED_MIN`] [`hash_byte`]s.
#[inline(never)]
pub fn braced(bytes: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
    let scheme = &bytes[start..end];
    if start == 0
        || bytes[start - 1] != b'{'
        || bytes.get(end) != Some(&b'}')
        || !BRACED
            .iter()
            .any(|s| s.as_bytes().eq_ignore_ascii_case(scheme))
    {
        return None;
    }
    let to = hash_end(bytes, end + 1);
    (to - (end + 1) >= BRACED_MIN).then_some((end + 1, to))
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
            (
                "admin:$apr1$abcdefgh$Hu9jK2mN3pQ4rS5tU6vW7x\n",
                "admin:$apr1$#\n",
            ),
            (
                "pbkdf2_sha256$260000$abcdefghijklmnop$Hu9jK2mN3pQ4rS5tU6vW7xY8zA=",
                "pbkdf2_sha256$#",
            ),
            (
                "userPassword: {SSHA}SHVudDNyVHdvOXhRenpaWlo=",
                // Under a secret-looking key the whole value goes.
                "userPassword: #",
            ),
            ("admin:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", "admin:{SHA}#"),
        ]);
        for kept in [
            "costs $5$10 and $6 each",
            "echo $1$2 ${HOME}",
            "export PATH=$HOME/bin:$PATH",
            "$2$ of 2 files",
            "{SHA} is a scheme; {MD5}abc",
            "bcrypt$ is the prefix",
            "9fceb02d0ae598e95dc970b74767f193:d41d8cd98f00b204e9800998ecf8427e",
            "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ] {
            assert_eq!(clean(kept), kept);
        }
    }
}
