//! Passwords given as a bare argument, where the command says which
//! argument is one: `htpasswd -b FILE USER PASSWORD`, `net user NAME
//! PASSWORD` and the others of [`BARE`]; Oracle's `sqlplus USER/PASSWORD@DB`
//! ([`CONNECT_STRINGS`]); what `echo` or `printf` pipes into a command that
//! reads a password from its input ([`READERS`]: `echo X | passwd --stdin`);
//! and Windows-style `/p:X` flags ([`SLASH_FLAGS`]: `xfreerdp /p:X`).
//!
//! Every look is bounded ([`REACH`] bytes, [`MOST_ARGUMENTS`] arguments), so
//! a text that repeats a command word costs no more than a pass.

use super::*;

/// How far past a command word its arguments are looked for.
const REACH: usize = 1024;

/// The most arguments of one command looked at.
const MOST_ARGUMENTS: usize = 12;

/// Which argument of a [`Bare`] command is the password.
#[derive(Clone, Copy)]
pub enum Which {
    /// The one after this many others.
    After(usize),
    /// The last of one or two (redis' `AUTH [USER] PASSWORD`).
    LastOfTwo,
    /// The one after a share (`\\host\share`), as `net use` takes it.
    AfterShare,
}

/// A command whose password is a bare argument.
pub struct Bare {
    /// The command's words, in order, each a word of its own (`net user`).
    pub words: &'static [&'static str],
    /// Which argument is the password; flags are not counted.
    pub which: Which,
    /// A short flag letter without which no password is on the line
    /// (`htpasswd -b`), and one that takes an argument off (`-n`: no file).
    pub batch: Option<(u8, u8)>,
    /// Flags whose value is the next argument (`htpasswd -C 10`).
    pub valued: &'static [&'static str],
    /// Whether flags start with `/` (Windows), not `-`, and the words are
    /// compared in any case (`NET USER`).
    pub windows: bool,
    /// Whether the last word alone at the start of a line counts, as
    /// redis' protocol sends `AUTH`.
    pub alone: bool,
}

/// A command whose password is the argument `which`, with no flag needed,
/// `-` flags, compared in the case written.
const fn command(words: &'static [&'static str], which: Which) -> Bare {
    Bare {
        words,
        which,
        batch: None,
        valued: &[],
        windows: false,
        alone: false,
    }
}

/// Every command whose password is a bare argument.
pub const BARE: &[Bare] = &[
    Bare {
        batch: Some((b'b', b'n')),
        valued: &["-C", "-r"],
        ..command(&["htpasswd"], Which::After(2))
    },
    Bare {
        windows: true,
        ..command(&["net", "user"], Which::After(1))
    },
    Bare {
        windows: true,
        ..command(&["net", "use"], Which::AfterShare)
    },
    command(&["rabbitmqctl", "add_user"], Which::After(1)),
    command(&["rabbitmqctl", "change_password"], Which::After(1)),
    command(&["wpa_passphrase"], Which::After(1)),
    command(&["vault", "login"], Which::After(0)),
    Bare {
        alone: true,
        ..command(&["redis-cli", "AUTH"], Which::LastOfTwo)
    },
    Bare {
        alone: true,
        ..command(&["valkey-cli", "AUTH"], Which::LastOfTwo)
    },
    Bare {
        alone: true,
        ..command(&["keydb-cli", "AUTH"], Which::LastOfTwo)
    },
    // SQL's `CREATE USER bob IDENTIFIED BY 'x'` (Oracle, MySQL), in any case.
    Bare {
        windows: true,
        ..command(&["IDENTIFIED", "BY"], Which::After(0))
    },
];

/// Oracle's tools, whose `USER/PASSWORD@DB` argument (also after
/// `userid=`) holds the password.
pub const CONNECT_STRINGS: [&str; 9] = [
    "sqlplus", "rman", "expdp", "impdp", "exp", "imp", "sqlldr", "dgmgrl", "tkprof",
];

/// Commands that read a password from their input, each with the flag that
/// makes it do so (or none): what `echo` or `printf` pipes into them is one.
pub const READERS: [(&str, Option<&str>); 10] = [
    ("chpasswd", None),
    ("chgpasswd", None),
    ("vncpasswd", None),
    ("kinit", None),
    ("passwd", None),
    ("sudo", Some("-S")),
    ("smbpasswd", Some("-s")),
    ("htpasswd", Some("-i")),
    ("login", Some("--password-stdin")),
    ("login", Some("--with-token")),
];

/// Commands whose arguments are looked at when piped into [`READERS`].
const PIPING: [&str; 2] = ["echo", "printf"];

/// For each letter (`& 31`: in any case), a bit for the length of each
/// command word of [`BARE`], [`CONNECT_STRINGS`] and [`PIPING`] that starts
/// with it: most words are ruled out in a load.
const STARTS: [u16; 32] = starts();

const fn starts() -> [u16; 32] {
    const fn mark(table: &mut [u16; 32], word: &str) {
        let bytes = word.as_bytes();
        assert!(bytes.len() < 16, "a command word is shorter than 16 bytes");
        table[(bytes[0] & 31) as usize] |= 1 << bytes.len();
    }
    let mut table = [0; 32];
    let mut i = 0;
    while i < BARE.len() {
        let words = BARE[i].words;
        mark(&mut table, words[words.len() - 1]);
        i += 1;
    }
    i = 0;
    while i < CONNECT_STRINGS.len() {
        mark(&mut table, CONNECT_STRINGS[i]);
        i += 1;
    }
    i = 0;
    while i < PIPING.len() {
        mark(&mut table, PIPING[i]);
        i += 1;
    }
    table
}

/// Windows-style flags that take a password after `:`, after their
/// commands only.
pub const SLASH_FLAGS: [(&[&str], &[&str]); 2] = [
    (
        &[
            "xfreerdp",
            "xfreerdp3",
            "wlfreerdp",
            "sdl-freerdp",
            "sdl-freerdp3",
        ],
        &["p", "password"],
    ),
    (&["cmdkey"], &["pass"]),
];

/// One argument of a command: its value (inside quotes, if quoted) and
/// where the next one may start.
#[derive(Clone, Copy)]
struct Argument {
    from: usize,
    to: usize,
    past: usize,
    quoted: bool,
}

impl Scan<'_> {
    /// The word `start..end`, followed by a space, as the last word of a
    /// [`BARE`] command, a [`CONNECT_STRINGS`] tool, or `echo` / `printf`
    /// piped into a [`READERS`] command; returns where to go on if a
    /// password was cut.
    #[inline(always)]
    pub(super) fn bare(&mut self, start: usize, end: usize) -> Option<usize> {
        let len = end - start;
        if len >= 16 || STARTS[usize::from(self.bytes[start] & 31)] & (1 << len) == 0 {
            return None;
        }
        self.command_word(start, end)
    }

    /// [`Scan::bare`] past its filter.
    #[inline(never)]
    fn command_word(&mut self, start: usize, end: usize) -> Option<usize> {
        let word = &self.text[start..end];
        if PIPING.contains(&word) {
            return self.piped(end);
        }
        if CONNECT_STRINGS.contains(&word) {
            return self.connect_strings(end);
        }
        BARE.iter()
            .filter(|command| {
                let last = command.words[command.words.len() - 1];
                last.len() == word.len() && (last == word || last.eq_ignore_ascii_case(word))
            })
            .find_map(|command| self.bare_argument(command, start, end))
    }

    /// The password of `command`, whose last word is `start..end`.
    #[inline(never)]
    fn bare_argument(&mut self, command: &Bare, start: usize, end: usize) -> Option<usize> {
        let last = command.words[command.words.len() - 1];
        let named = match command.words {
            [_] => self.text[start..end] == *last,
            [first, _] if command.windows => self.word_before(start, first),
            // `redis-cli AUTH x`, and `AUTH x` typed into it or sent as a
            // line of its protocol.
            [first, _] => {
                self.mentions_before(start, &[*first])
                    || command.alone && self.text[start..end] == *last && self.starts_line(start)
            }
            _ => false,
        };
        if !named {
            return None;
        }
        let flag = if command.windows { '/' } else { '-' };
        let mut flags = Vec::new();
        let mut arguments = Vec::new();
        let mut valued = false;
        for argument in self.arguments(end, end).0 {
            let value = &self.text[argument.from..argument.to];
            if valued {
                valued = false;
            } else if value.starts_with(flag) && !argument.quoted {
                valued = command.valued.contains(&value);
                flags.push(value);
            } else {
                arguments.push(argument);
            }
        }
        let password = match command.which {
            Which::After(n) => match command.batch {
                None => arguments.get(n),
                Some((batch, fewer)) => {
                    let letters = |letter: u8| {
                        flags
                            .iter()
                            .any(|f| !f.starts_with("--") && f.bytes().skip(1).any(|b| b == letter))
                    };
                    if !letters(batch) {
                        return None;
                    }
                    arguments.get(n - usize::from(letters(fewer)))
                }
            },
            Which::LastOfTwo => match arguments.len() {
                1 | 2 => arguments.last(),
                _ => None,
            },
            Which::AfterShare => {
                let share = arguments
                    .iter()
                    .position(|a| self.text[a.from..a.to].starts_with("\\\\"))?;
                arguments.get(share + 1)
            }
        }?;
        let value = &self.text[password.from..password.to];
        if value == "*" || !password.quoted && value.contains('=') {
            // Asked for at the prompt; a setting (`vault login
            // username=bob`), whose value is judged by its name.
            return None;
        }
        Some(self.cut(password.from, password.to))
    }

    /// The passwords of every `USER/PASSWORD[@DB]` argument after one of
    /// [`CONNECT_STRINGS`] ending at `end`.
    #[inline(never)]
    fn connect_strings(&mut self, end: usize) -> Option<usize> {
        let mut past = None;
        for argument in self.arguments(end, end).0 {
            let value = &self.text[argument.from..argument.to];
            let value_at = argument.from + value.find("userid=").map_or(0, |i| i + 7);
            let login = &self.bytes[value_at..argument.to];
            let user = skip(login, 0, |b| {
                b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'#')
            });
            let password = value_at + user + 1;
            if user == 0 || login.get(user) != Some(&b'/') || password >= argument.to {
                continue;
            }
            let to = self.bytes[password..argument.to]
                .iter()
                .position(|b| *b == b'@')
                .map_or(argument.to, |i| password + i);
            if to > password && self.bytes[password] != b'/' {
                past = Some(self.cut(password, to));
            }
        }
        past
    }

    /// The arguments of `echo` or `printf` (ending at `end`) when they are
    /// piped into one of [`READERS`].
    #[inline(never)]
    fn piped(&mut self, end: usize) -> Option<usize> {
        let (mut arguments, at) = self.arguments(end, end);
        let flags = arguments
            .iter()
            .take_while(|a| !a.quoted && self.bytes[a.from] == b'-')
            .count();
        arguments.drain(..flags);
        let pipe = skip(self.bytes, at, |b| b == b' ' || b == b'\t');
        if self.bytes.get(pipe) != Some(&b'|')
            || self.bytes.get(pipe + 1) == Some(&b'|')
            || arguments
                .iter()
                .all(|a| is_placeholder(&self.bytes[a.from..a.to]))
        {
            return None;
        }
        let words: Vec<&str> = (self.arguments(pipe + 1, end).0)
            .iter()
            .map(|a| &self.text[a.from..a.to])
            .collect();
        let reads = READERS.iter().any(|(reader, flag)| {
            words.iter().any(|w| w.rsplit('/').next() == Some(*reader))
                && flag.is_none_or(|flag| words.contains(&flag))
        });
        if !reads {
            return None;
        }
        arguments.iter().map(|a| self.cut(a.from, a.to)).last()
    }

    /// The value of a Windows-style flag of [`SLASH_FLAGS`], the word
    /// `start..end` after a `/` and before a `:`, after its command.
    #[inline(never)]
    pub(super) fn slash_flag(&mut self, start: usize, end: usize) -> Option<usize> {
        let word = &self.text[start..end];
        let (commands, _) = SLASH_FLAGS
            .iter()
            .find(|(_, flags)| flags.iter().any(|f| f.eq_ignore_ascii_case(word)))?;
        if !self.mentions_before(start, commands) {
            return None;
        }
        let argument = self.argument(end + 1, end)?;
        (argument.from == end + 1 || argument.from == end + 2)
            .then(|| self.cut(argument.from, argument.to))
    }

    /// Whether `word` (or `word.exe`) stands right before `at`, only spaces
    /// between, in any case, after the start of a line or a space.
    fn word_before(&self, at: usize, word: &str) -> bool {
        let mut before = self.text[..at].trim_end_matches([' ', '\t']).as_bytes();
        if before.len() == at {
            return false;
        }
        if before.len() > 4 && before[before.len() - 4..].eq_ignore_ascii_case(b".exe") {
            before = &before[..before.len() - 4];
        }
        let Some(stem) = before.len().checked_sub(word.len()) else {
            return false;
        };
        before[stem..].eq_ignore_ascii_case(word.as_bytes())
            && before[..stem].last().is_none_or(|b| {
                is_space(*b) || matches!(b, b';' | b'|' | b'&' | b'(' | b'"' | b'\'')
            })
    }

    /// Whether only spaces stand between the start of a line and `at`.
    fn starts_line(&self, at: usize) -> bool {
        self.text[..at]
            .bytes()
            .rev()
            .find(|b| !matches!(b, b' ' | b'\t'))
            .is_none_or(|b| b == b'\n' || b == b'\r')
    }

    /// The arguments starting at `at` (after spaces) of the command whose
    /// word ends at `command`, at most [`MOST_ARGUMENTS`], and where the
    /// last ends.
    fn arguments(&self, mut at: usize, command: usize) -> (Vec<Argument>, usize) {
        let mut arguments = Vec::new();
        while arguments.len() < MOST_ARGUMENTS
            && let Some(argument) = self.argument(at, command)
        {
            at = argument.past;
            arguments.push(argument);
        }
        (arguments, at)
    }

    /// The argument starting after spaces at `at`, within [`REACH`] of the
    /// command word ending at `command` and among its first
    /// [`MOST_ARGUMENTS`]; none at the end of the command (a line end, `|`,
    /// `;`, `&`, `<`, `>`, `)`, a backquote, or an escaped `\n` of JSON).
    fn argument(&self, at: usize, command: usize) -> Option<Argument> {
        let limit = self.bytes.len().min(command + REACH);
        let at = skip(&self.bytes[..limit], at, |b| b == b' ' || b == b'\t');
        let first = *self.bytes[..limit].get(at)?;
        match first {
            b'\n' | b'\r' | b'|' | b';' | b'&' | b'<' | b'>' | b'(' | b')' | b'`' => None,
            b'\\' if matches!(self.bytes.get(at + 1), Some(b'n' | b'r' | b'"' | b'\'')) => None,
            b'"' | b'\'' => {
                let close = self.bytes[at + 1..limit].iter().position(|b| *b == first)?;
                let to = at + 1 + close;
                Some(Argument {
                    from: at + 1,
                    to,
                    past: to + 1,
                    quoted: true,
                })
            }
            _ => {
                let to = skip(&self.bytes[..limit], at, |b| {
                    !(is_space(b)
                        || matches!(
                            b,
                            b'|' | b';' | b'&' | b'<' | b'>' | b')' | b'`' | b'"' | b'\''
                        ))
                });
                Some(Argument {
                    from: at,
                    to,
                    past: to,
                    quoted: false,
                })
            }
        }
    }
}
