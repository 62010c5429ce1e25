//! Command-line flags that take a password: a long flag with a
//! secret-looking name (`--api-key X`), and the short flags of
//! [`GATED_FLAGS`] after their command (`mysql -pX`, `curl -u user:pass`).

use super::*;

/// Flags that take a password only after a given command: the value
/// attached (`-pX`) or as the next argument (`-p X`).
pub struct GatedFlag {
    /// The commands (any one named before the flag in the same text).
    pub commands: &'static [&'static str],
    /// The flags, each spelled as the command spells it.
    pub flags: &'static [&'static str],
    /// Whether the value may be attached to the flag.
    pub attached: bool,
    /// Whether the value may be the next argument.
    pub separate: bool,
    /// What comes before the password in the value, ending in this byte
    /// (`user:password`, `user%password`, `name=value`), kept; `None` when
    /// the value is the password.
    pub after: Option<u8>,
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

/// The OpenLDAP clients, whose `-w` takes the bind password.
const LDAP: &[&str] = &[
    "ldapsearch",
    "ldapmodify",
    "ldapadd",
    "ldapdelete",
    "ldapwhoami",
    "ldappasswd",
    "ldapcompare",
    "ldapmodrdn",
];

/// A gated flag whose value is the password, attached or not.
const fn password(commands: &'static [&'static str], flags: &'static [&'static str]) -> GatedFlag {
    GatedFlag {
        commands,
        flags,
        attached: true,
        separate: true,
        after: None,
    }
}

/// A gated flag whose value, the next argument, is a name, `separator` and
/// the password (`--user bob:pw`); the name is kept.
const fn after_name(
    commands: &'static [&'static str],
    flags: &'static [&'static str],
    separator: u8,
) -> GatedFlag {
    GatedFlag {
        commands,
        flags,
        attached: false,
        separate: true,
        after: Some(separator),
    }
}

/// Short flags (and a few long ones) that take a password after the
/// commands that define them so: elsewhere `-p` is a port and `-u` a user.
pub const GATED_FLAGS: &[GatedFlag] = &[
    GatedFlag {
        commands: MYSQL,
        flags: &["-p"],
        attached: true,
        separate: false,
        after: None,
    },
    GatedFlag {
        commands: &["7z", "7za", "7zz", "7zr"],
        flags: &["-p"],
        attached: true,
        separate: false,
        after: None,
    },
    password(&["sshpass", "login"], &["-p"]),
    password(
        &[
            "twine",
            "mongo",
            "mongosh",
            "mongodump",
            "mongorestore",
            "mongoexport",
            "mongoimport",
            "crackmapexec",
            "nxc",
            "netexec",
            "evil-winrm",
            "psexec",
            "rdesktop",
            "hydra",
            "medusa",
            "ncrack",
            "useradd",
            "usermod",
        ],
        &["-p"],
    ),
    password(
        &[
            "sqlcmd",
            "bcp",
            "zip",
            "unzip",
            "mosquitto_pub",
            "mosquitto_sub",
        ],
        &["-P"],
    ),
    password(LDAP, &["-w"]),
    password(&["ssh-keygen"], &["-P", "-N"]),
    GatedFlag {
        commands: &["redis-cli", "openssl"],
        flags: &["-a", "-k"],
        attached: false,
        separate: true,
        after: None,
    },
    GatedFlag {
        commands: &["keytool", "jarsigner"],
        flags: &[
            "-storepass",
            "-keypass",
            "-srcstorepass",
            "-deststorepass",
            "-srckeypass",
            "-destkeypass",
        ],
        attached: false,
        separate: true,
        after: None,
    },
    GatedFlag {
        commands: &["secret"],
        flags: &["--body", "-b"],
        attached: false,
        separate: true,
        after: None,
    },
    GatedFlag {
        commands: &["curl"],
        flags: &["-u", "-U"],
        attached: true,
        separate: true,
        after: Some(b':'),
    },
    after_name(&["curl", "wget"], &["--user", "--proxy-user"], b':'),
    GatedFlag {
        commands: &["smbclient", "rpcclient", "smbmap"],
        flags: &["-U", "--user"],
        attached: true,
        separate: true,
        after: Some(b'%'),
    },
    after_name(&["http", "https", "httpie"], &["-a", "--auth"], b':'),
    after_name(&["lftp"], &["-u", "--user"], b','),
    after_name(&["secret"], &["--from-literal"], b'='),
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
            let past = blocks::pem_block(self.text, start)?;
            return Some(self.cut(start, past));
        }
        for gate in GATED_FLAGS {
            for flag in gate.flags {
                if let Some(past) = self.gated(gate, flag, start, end) {
                    return Some(past);
                }
            }
        }
        // `--password`, and the single dash of Go's and Java's long flags
        // (`-password`); `-p` and the like are gated above.
        let name = word
            .strip_prefix("--")
            .or_else(|| word.strip_prefix('-').filter(|name| name.len() > 2))?;
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

    /// The value of `flag` of `gate` if the word `start..end` is that flag
    /// after one of the gate's commands; returns where to go on.
    fn gated(&mut self, gate: &GatedFlag, flag: &str, start: usize, end: usize) -> Option<usize> {
        let word = &self.text[start..end];
        if !word.starts_with(flag) {
            return None;
        }
        let from = if word.len() > flag.len() {
            if !gate.attached {
                return None;
            }
            start + flag.len()
        } else {
            match self.bytes.get(end) {
                // `--user=alice:pw`, `-p'x y'`
                Some(b'=') => end + 1,
                Some(b'"' | b'\'') if gate.attached => end,
                _ if gate.separate => self.next_argument(end)?,
                _ => return None,
            }
        };
        if !self.mentions_before(start, gate.commands) {
            return None;
        }
        let (from, mut to) = value_span(self.bytes, from, false, None)?;
        if let Some(after) = gate.after
            && self.bytes.get(to) == Some(&after)
        {
            // A token ends at `,`: `lftp -u user,password`.
            to = token_end(self.bytes, to + 1);
        }
        let from = match gate.after {
            None => from,
            Some(b) => from + self.bytes[from..to].iter().position(|c| *c == b)? + 1,
        };
        Some(self.cut(from, to))
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
    pub(super) fn mentions_before(&mut self, at: usize, commands: &[&'static str]) -> bool {
        commands.iter().any(|command| {
            self.first_word(command)
                .is_some_and(|i| i + command.len() <= at)
        })
    }

    /// Where `command` first stands as a word in the text, found once per
    /// text: a text of many flags costs one search per command, not one each.
    fn first_word(&mut self, command: &'static str) -> Option<usize> {
        if let Some((_, first)) = self.commands.iter().find(|(c, _)| *c == command) {
            return *first;
        }
        let edge = |b: Option<&u8>| b.is_none_or(|b| CLASS[usize::from(*b)] & WORD == 0);
        let first = self.text.match_indices(command).map(|(i, _)| i).find(|&i| {
            edge(i.checked_sub(1).and_then(|p| self.bytes.get(p)))
                && edge(self.bytes.get(i + command.len()))
        });
        self.commands.push((command, first));
        first
    }
}
