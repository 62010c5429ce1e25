//! `auditlog generate` (hidden): the man page, the shell completions and the
//! Markdown CLI reference, rendered from the clap definitions, as ripgrep's
//! `rg --generate` does. A flag is documented where it is defined; the copies
//! committed under `docs/` are checked against this output by
//! `tests/generated_docs.rs`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::{Arg, CommandFactory, ValueEnum};
use clap_complete::{Generator, Shell};
use clap_mangen::Man;

use super::{Cli, Failure};

/// The one-line command that rewrites every generated file in a checkout.
const REGENERATE: &str = "cargo run -q -p auditlog -- generate --out-dir docs";

const AFTER_HELP: &str = "\
Examples:
  auditlog generate man | man -l -
  auditlog generate complete-bash > /etc/bash_completion.d/auditlog
  auditlog generate --out-dir docs";

/// Print documentation generated from the command line's own definitions.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
#[command(group(clap::ArgGroup::new("output").required(true).args(["kind", "out_dir"])))]
pub struct Args {
    /// What to print.
    #[arg(value_enum)]
    kind: Option<Kind>,
    /// Write every kind instead, each to its place under DIR (`docs/` in the
    /// repository): cli-reference.md, man/auditlog.1, completions/.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
}

/// The kinds of generated documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Kind {
    /// The man page, auditlog(1), in roff.
    Man,
    /// Completions for bash.
    CompleteBash,
    /// Completions for zsh.
    CompleteZsh,
    /// Completions for fish.
    CompleteFish,
    /// Completions for PowerShell.
    CompletePowershell,
    /// The command-line reference in Markdown.
    Reference,
}

impl Kind {
    /// Where this kind lives under the docs directory.
    fn path(self) -> PathBuf {
        match self.shell() {
            Some(shell) => Path::new("completions").join(shell.file_name(BIN)),
            None if self == Kind::Man => PathBuf::from("man/auditlog.1"),
            None => PathBuf::from("cli-reference.md"),
        }
    }

    /// The shell this kind completes for, if it is a completion script.
    fn shell(self) -> Option<Shell> {
        match self {
            Kind::CompleteBash => Some(Shell::Bash),
            Kind::CompleteZsh => Some(Shell::Zsh),
            Kind::CompleteFish => Some(Shell::Fish),
            Kind::CompletePowershell => Some(Shell::PowerShell),
            Kind::Man | Kind::Reference => None,
        }
    }

    /// This kind of documentation for the command line `cmd`.
    fn render(self, mut cmd: clap::Command) -> Result<Vec<u8>, Failure> {
        let mut out = Vec::new();
        match self.shell() {
            Some(shell) => clap_complete::generate(shell, &mut cmd, BIN, &mut out),
            None if self == Kind::Man => man(cmd, &mut out)
                .map_err(|e| Failure::other(format!("cannot render the man page: {e}")))?,
            None => out = reference(cmd).into_bytes(),
        }
        Ok(out)
    }
}

/// The binary's name, as completions and the man page call it.
const BIN: &str = "auditlog";

/// Prints one kind, or writes them all under `--out-dir`.
pub fn run(args: &Args) -> Result<(), Failure> {
    let cmd = Cli::command();
    let Some(dir) = &args.out_dir else {
        let kind = args.kind.expect("clap requires a kind or --out-dir");
        return std::io::stdout()
            .write_all(&kind.render(cmd)?)
            .map_err(|e| Failure::other(format!("cannot write to stdout: {e}")));
    };
    for &kind in Kind::value_variants() {
        let path = dir.join(kind.path());
        let cannot = |e: std::io::Error| Failure::other(format!("{}: {e}", path.display()));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(cannot)?;
        }
        std::fs::write(&path, kind.render(cmd.clone())?).map_err(cannot)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// The subcommands documented: every visible one, at any depth, with clap's
/// `help` left out (the man page and the reference are that help).
fn documented(cmd: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    cmd.get_subcommands()
        .filter(|sub| !sub.is_hide_set() && sub.get_name() != "help")
}

/// `cmd` built, so that subcommands carry the global options and full names.
fn built(cmd: clap::Command) -> clap::Command {
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// One man page for the whole command line: the program's sections as
/// clap_mangen renders them, then a section per subcommand whose own
/// sections become subsections. The global options are documented once, at
/// the top, not again under every subcommand.
fn man(cmd: clap::Command, out: &mut Vec<u8>) -> std::io::Result<()> {
    let cmd = built(cmd);
    let page = Man::new(cmd.clone());
    let mut roff = Vec::new();
    page.render_title(&mut roff)?;
    page.render_name_section(&mut roff)?;
    page.render_synopsis_section(&mut roff)?;
    page.render_description_section(&mut roff)?;
    page.render_options_section(&mut roff)?;
    page.render_extra_section(&mut roff)?;
    man_subcommands(&cmd, &mut roff)?;
    page.render_version_section(&mut roff)?;
    out.extend_from_slice(tidy(&String::from_utf8_lossy(&roff)).as_bytes());
    Ok(())
}

/// A section for each subcommand of `cmd`, then for theirs.
fn man_subcommands(cmd: &clap::Command, out: &mut Vec<u8>) -> std::io::Result<()> {
    for sub in documented(cmd) {
        let name = sub.get_bin_name().unwrap_or(sub.get_name());
        let mut section = clap_mangen::roff::Roff::default();
        section.control("SH", [name.to_uppercase().as_str()]);
        section.to_writer(out)?;
        let own = sub.clone().mut_args(|arg| {
            let hide = hidden_here(&arg);
            arg.hide(hide)
        });
        let page = Man::new(own);
        let mut body = Vec::new();
        page.render_synopsis_section(&mut body)?;
        page.render_description_section(&mut body)?;
        if sub.get_arguments().any(|arg| !hidden_here(arg)) {
            page.render_options_section(&mut body)?;
        }
        if sub.get_after_help().is_some() || sub.get_after_long_help().is_some() {
            page.render_extra_section(&mut body)?;
        }
        for line in String::from_utf8_lossy(&body).lines() {
            // roff escapes a text line's leading dot, so only headings match.
            match line.strip_prefix(".SH ") {
                Some(heading) => writeln!(out, ".SS {heading}")?,
                None => writeln!(out, "{line}")?,
            }
        }
        man_subcommands(sub, out)?;
    }
    Ok(())
}

/// The page as a reader wants it from the pieces clap_mangen renders: its
/// preamble once, `EXTRA` (the help's closing notes and examples) called
/// `NOTES`, and text written in lines and columns (descriptions, notes,
/// examples) kept as written rather than filled into paragraphs.
fn tidy(roff: &str) -> String {
    let mut preamble: Vec<&str> = Vec::new();
    let mut sections: Vec<(String, Vec<&str>)> = Vec::new();
    for line in roff.lines() {
        if line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq") {
            if !preamble.contains(&line) {
                preamble.push(line);
            }
        } else if line.starts_with(".SH ") || line.starts_with(".SS ") {
            let heading = line.replace(" EXTRA", " NOTES");
            sections.push((heading, Vec::new()));
        } else if let Some((_, body)) = sections.last_mut() {
            body.push(line);
        } else {
            preamble.push(line);
        }
    }
    let mut page: String = preamble.iter().map(|line| format!("{line}\n")).collect();
    for (heading, body) in sections {
        let as_written = [" DESCRIPTION", " NOTES"]
            .iter()
            .any(|h| heading.ends_with(h))
            && body.iter().filter(|line| !line.starts_with('.')).count() > 1;
        page.push_str(&heading);
        page.push('\n');
        if as_written {
            page.push_str(".nf\n");
        }
        for line in body {
            page.push_str(line);
            page.push('\n');
        }
        if as_written {
            page.push_str(".fi\n");
        }
    }
    page
}

/// Whether a subcommand's section leaves `arg` out: hidden, a global option
/// documented at the top, or `--help`, which every subcommand has.
fn hidden_here(arg: &Arg) -> bool {
    arg.is_hide_set() || arg.is_global_set() || arg.get_id() == "help"
}

/// The command-line reference in Markdown: the program, its global options,
/// then each subcommand with its usage, arguments, options and examples.
fn reference(cmd: clap::Command) -> String {
    let mut cmd = built(cmd);
    let mut md = String::new();
    let _ = write!(
        md,
        "# The `auditlog` command line\n\n\
         Generated from the clap definitions by `auditlog generate reference`: do not\n\
         edit it by hand. After changing a command or a flag, regenerate every\n\
         generated file (this one, the man page, the completions) with\n\
         `{REGENERATE}`.\n\n"
    );
    about_and_usage(&mut md, &mut cmd);
    md.push_str("| command | what it does |\n|---|---|\n");
    for sub in documented(&cmd) {
        let name = sub.get_bin_name().unwrap_or(sub.get_name());
        let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
        let _ = writeln!(
            md,
            "| [`{}`](#{}) | {} |",
            sub.get_name(),
            name.replace(' ', "-"),
            inline(&about)
        );
    }
    md.push('\n');
    arguments(&mut md, &cmd, "Options", &|arg| !arg.is_hide_set());
    after_help(&mut md, &cmd);
    for sub in cmd.get_subcommands_mut() {
        if !sub.is_hide_set() && sub.get_name() != "help" {
            subcommand(&mut md, sub, "##");
        }
    }
    md.truncate(md.trim_end().len());
    md.push('\n');
    md
}

/// A subcommand's section (and its subcommands', one level deeper).
fn subcommand(md: &mut String, sub: &mut clap::Command, level: &str) {
    let name = sub.get_bin_name().unwrap_or(sub.get_name()).to_owned();
    let _ = write!(md, "{level} `{name}`\n\n");
    about_and_usage(md, sub);
    arguments(md, sub, "Arguments", &|arg| {
        arg.is_positional() && !hidden_here(arg)
    });
    arguments(md, sub, "Options", &|arg| {
        !arg.is_positional() && !hidden_here(arg)
    });
    after_help(md, sub);
    let deeper = format!("{level}#");
    for inner in sub.get_subcommands_mut() {
        if !inner.is_hide_set() && inner.get_name() != "help" {
            subcommand(md, inner, &deeper);
        }
    }
}

/// The long description, as written (its columns line up), and the usage line.
fn about_and_usage(md: &mut String, cmd: &mut clap::Command) {
    if let Some(about) = cmd.get_long_about().or_else(|| cmd.get_about()) {
        let about = about.to_string();
        if about.lines().count() > 1 {
            let _ = write!(md, "```text\n{}\n```\n\n", about.trim_end());
        } else {
            let _ = write!(md, "{}\n\n", inline(&about));
        }
    }
    let usage = cmd.render_usage().to_string();
    let _ = write!(md, "```text\n{}\n```\n\n", usage.trim_end());
}

/// The examples and notes after the options, as written.
fn after_help(md: &mut String, cmd: &clap::Command) {
    if let Some(text) = cmd.get_after_long_help().or_else(|| cmd.get_after_help()) {
        let _ = write!(md, "```text\n{}\n```\n\n", text.to_string().trim_end());
    }
}

/// The arguments of `cmd` that `which` picks, grouped under their help
/// headings (`default` for those without one).
fn arguments(md: &mut String, cmd: &clap::Command, default: &str, which: &dyn Fn(&Arg) -> bool) {
    let shown: Vec<&Arg> = cmd.get_arguments().filter(|arg| which(arg)).collect();
    let mut headings: Vec<Option<&str>> = Vec::new();
    for arg in &shown {
        if !headings.contains(&arg.get_help_heading()) {
            headings.push(arg.get_help_heading());
        }
    }
    for heading in headings {
        let _ = write!(md, "**{}**\n\n", heading.unwrap_or(default));
        for arg in shown.iter().filter(|a| a.get_help_heading() == heading) {
            argument(md, arg);
        }
        md.push('\n');
    }
}

/// One argument as a list item: its spelling, its help, then what clap
/// knows besides (values, default, environment variable).
fn argument(md: &mut String, arg: &Arg) {
    let _ = write!(md, "- `{}`", spelling(arg));
    let help = arg
        .get_long_help()
        .or_else(|| arg.get_help())
        .map(ToString::to_string)
        .unwrap_or_default();
    for (i, paragraph) in help.split("\n\n").enumerate() {
        let text = inline(paragraph);
        if i == 0 {
            let _ = write!(md, ": {text}");
        } else {
            let _ = write!(md, "\n\n  {text}");
        }
    }
    md.push('\n');
    let values: Vec<_> = arg
        .get_possible_values()
        .into_iter()
        .filter(|value| !value.is_hide_set())
        .collect();
    if !arg.is_hide_possible_values_set() && !values.is_empty() {
        if values.iter().any(|value| value.get_help().is_some()) {
            for value in &values {
                let help = value
                    .get_help()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                let _ = writeln!(md, "  - `{}`: {}", value.get_name(), inline(&help));
            }
        } else {
            let names: Vec<String> = values
                .iter()
                .map(|value| format!("`{}`", value.get_name()))
                .collect();
            let _ = writeln!(md, "  - values: {}", names.join(", "));
        }
    }
    let defaults = arg.get_default_values();
    let flag = !arg.get_action().takes_values();
    if !flag && !arg.is_hide_default_value_set() && !defaults.is_empty() {
        let defaults: Vec<String> = defaults
            .iter()
            .map(|value| format!("`{}`", value.to_string_lossy()))
            .collect();
        let _ = writeln!(md, "  - default: {}", defaults.join(", "));
    }
    if let Some(env) = arg.get_env().filter(|_| !arg.is_hide_env_set()) {
        let _ = writeln!(md, "  - environment: `{}`", env.to_string_lossy());
    }
}

/// How an argument is written on the command line: `--user <USER>`,
/// `-h, --help`, `<SKILL>`, `[DURATION_MS]`, with `...` when it repeats.
fn spelling(arg: &Arg) -> String {
    let value_names: Vec<String> = match arg.get_value_names() {
        Some(names) => names.iter().map(ToString::to_string).collect(),
        None => vec![arg.get_id().as_str().to_uppercase()],
    };
    let repeats = matches!(
        arg.get_action(),
        clap::ArgAction::Append | clap::ArgAction::Count
    );
    let mut text = if arg.is_positional() {
        let names = value_names.join(" ");
        if arg.is_required_set() {
            format!("<{names}>")
        } else {
            format!("[{names}]")
        }
    } else {
        let mut names = Vec::new();
        if let Some(short) = arg.get_short() {
            names.push(format!("-{short}"));
        }
        if let Some(long) = arg.get_long() {
            names.push(format!("--{long}"));
        }
        let mut text = names.join(", ");
        if arg.get_action().takes_values() {
            for name in &value_names {
                let _ = write!(text, " <{name}>");
            }
        }
        text
    };
    if repeats {
        text.push_str("...");
    }
    text
}

/// Help text for one line of Markdown: clap's line breaks joined, and the
/// characters Markdown would act on escaped outside `code` spans.
fn inline(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        if c == '`' {
            in_code = !in_code;
        } else if !in_code && matches!(c, '\\' | '<' | '>' | '*' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
