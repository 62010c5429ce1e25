//! Command-line flags that take a password: a long flag with a
//! secret-looking name (`--api-key X`), and the short flags of
//! [`GATED_FLAGS`] after their command (`mysql -pX`, `curl -u user:pass`).

use super::*;

/// A flag that takes a password only after a given command: the value
/// attached (`-pX`) or as the next argument (`-p X`).
pub struct GatedFlag {
    /// The commands (any one named before the flag in the same text).
    pub commands: &'static [&'static str],
    /// The flag.
    pub flag: &'static str,
    /// Whether the value may be attached to the flag.
    pub attached: bool,
    /// Whether the value may be the next argument.
    pub separate: bool,
    /// Whether the value is `user:password`, of which only the password is cut.
    pub user_colon: bool,
}

/// The MySQL family's commands, whose `-p` takes the password attached
/// (`-p X` asks for it and names a database).
pub(super) const MYSQL: &[&str] = &[
    "mysql",
    "mysqldump",
    "mysqladmin",
    "mysqlimport",
    "mysqlcheck",
    "mysqlsh",
    "mariadb",
    "mariadb-dump",
];

/// Short flags that take a password after the commands that define them so:
/// elsewhere `-p` is a port and `-u` a user.
pub const GATED_FLAGS: &[GatedFlag] = &[
    GatedFlag {
        commands: MYSQL,
        flag: "-p",
        attached: true,
        separate: false,
        user_colon: false,
    },
    GatedFlag {
        commands: &["sshpass"],
        flag: "-p",
        attached: true,
        separate: true,
        user_colon: false,
    },
    GatedFlag {
        commands: &["login"],
        flag: "-p",
        attached: true,
        separate: true,
        user_colon: false,
    },
    GatedFlag {
        commands: &["redis-cli"],
        flag: "-a",
        attached: false,
        separate: true,
        user_colon: false,
    },
    GatedFlag {
        commands: &["curl"],
        flag: "-u",
        attached: true,
        separate: true,
        user_colon: true,
    },
    GatedFlag {
        commands: &["curl"],
        flag: "-U",
        attached: true,
        separate: true,
        user_colon: true,
    },
    GatedFlag {
        commands: &["curl", "wget"],
        flag: "--user",
        attached: false,
        separate: true,
        user_colon: true,
    },
    GatedFlag {
        commands: &["curl"],
        flag: "--proxy-user",
        attached: false,
        separate: true,
        user_colon: true,
    },
];

/// Endings of a secret-looking long flag that take no secret: a file,
/// a descriptor, a prompt (`--password-file PATH`, `--password-stdin`).
pub(super) const FLAG_NOT_A_VALUE: [&str; 9] = [
    "file", "path", "dir", "stdin", "env", "fd", "prompt", "command", "cmd",
];

impl Scan<'_> {
    /// A word starting with `-`: a PEM block, a gated flag or a long flag
    /// whose value follows after spaces.
    #[inline(never)]
    pub(super) fn flag(&mut self, start: usize, end: usize) -> Option<usize> {
        let word = &self.text[start..end];
        if word == "-----BEGIN" && self.bytes.get(end) == Some(&b' ') {
            let past = formats::pem_block(self.text, start)?;
            return Some(self.cut(start, past));
        }
        for gate in GATED_FLAGS {
            if !word.starts_with(gate.flag) {
                continue;
            }
            let from = if word.len() > gate.flag.len() {
                if !gate.attached {
                    continue;
                }
                start + gate.flag.len()
            } else {
                match self.bytes.get(end) {
                    // `--user=alice:pw`, `-p'x y'`
                    Some(b'=') => end + 1,
                    Some(b'"' | b'\'') if gate.attached => end,
                    _ if gate.separate => match self.next_argument(end) {
                        Some(at) => at,
                        None => continue,
                    },
                    _ => continue,
                }
            };
            if !self.mentions_before(start, gate.commands) {
                continue;
            }
            let Some((from, to)) = value_span(self.bytes, from, false, None) else {
                continue;
            };
            let from = match gate.user_colon {
                false => from,
                true => match self.text[from..to].find(':') {
                    Some(colon) => from + colon + 1,
                    None => continue,
                },
            };
            return Some(self.cut(from, to));
        }
        let name = word.strip_prefix("--")?;
        // `--password = x` and `--password 'x y'` are read as key and value.
        if separator(self.bytes, end).is_some()
            || !self.bytes.get(end).copied().is_some_and(is_space)
            || !self.redactor.is_secret_key(name)
            || name.starts_with("no-")
            || FLAG_NOT_A_VALUE.iter().any(|w| {
                name.len() > w.len() && name[name.len() - w.len()..].eq_ignore_ascii_case(w)
            })
        {
            return None;
        }
        let from = self.next_argument(end)?;
        let (value, to) = value_span(self.bytes, from, false, None)?;
        Some(self.cut_value(value, to, value > from))
    }

    /// Where the argument after a flag ending at `end` starts, if one does
    /// (spaces, then something that is not another flag).
    pub(super) fn next_argument(&self, end: usize) -> Option<usize> {
        let at = skip(self.bytes, end, |b| b == b' ' || b == b'\t');
        match self.bytes.get(at) {
            Some(b) if at > end && *b != b'-' && !is_space(*b) => Some(at),
            _ => None,
        }
    }

    /// Whether one of `commands` is named as a word before `at`.
    pub(super) fn mentions_before(&self, at: usize, commands: &[&str]) -> bool {
        let before = &self.text[..at];
        commands.iter().any(|command| {
            before.match_indices(command).any(|(i, _)| {
                let edge = |b: Option<&u8>| b.is_none_or(|b| CLASS[usize::from(*b)] & WORD == 0);
                edge(i.checked_sub(1).and_then(|p| self.bytes.get(p)))
                    && edge(self.bytes.get(i + command.len()))
            })
        })
    }
}
