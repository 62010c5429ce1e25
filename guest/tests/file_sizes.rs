//! Every source file of `guest/src`, `host/src`, `model/src` and `python/src` holds at most
//! [`LIMIT`] lines of code, so that one file holds one concern a reader can
//! take in at once (issue 17). Comments, blank lines and `#[cfg(test)]` test
//! modules do not count, nor do test-only files (`tests.rs`, or under a
//! `tests/` folder). A file may be longer if its first doc comment says why
//! in a sentence starting with [`REASON`]; this test names each file that is
//! longer without one.

use std::path::{Path, PathBuf};

/// Most lines of code in one file.
const LIMIT: usize = 400;

/// How a longer file's first doc comment starts the sentence that says why.
const REASON: &str = "Longer than 400 lines because";

/// Files over the limit that are being changed on other branches and will be
/// split once those are merged: the list only shrinks. A file that is under
/// the limit again, or gone, must leave the list (the test says so).
const OVER_THE_LIMIT_FOR_NOW: &[&str] = &[];

/// The folders checked, relative to the workspace root.
const FOLDERS: &[&str] = &["guest/src", "host/src", "model/src", "python/src"];

/// The number of lines of code in `text`: not blank, not a comment (`//`,
/// `///`, `//!`, `/* … */` on lines of their own), not inside a
/// `#[cfg(test)]` module written inline (`mod tests { … }`, closed by a `}`
/// at the indentation of its `mod`, as rustfmt writes it).
fn code_lines(text: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let mut count = 0;
    let mut i = 0;
    let mut in_block_comment = false;
    while i < lines.len() {
        let line = lines[i].trim();
        i += 1;
        if in_block_comment {
            in_block_comment = !line.contains("*/");
            continue;
        }
        if line.starts_with("/*") {
            in_block_comment = !line.contains("*/");
            continue;
        }
        if line == "#[cfg(test)]"
            && let Some(end) = test_module_end(&lines, i)
        {
            i = end + 1;
            continue;
        }
        if !line.is_empty() && !line.starts_with("//") {
            count += 1;
        }
    }
    count
}

/// If the item starting at line `from` (after a `#[cfg(test)]`, past other
/// attributes) is an inline module, the line of its closing brace.
fn test_module_end(lines: &[&str], from: usize) -> Option<usize> {
    let at = (from..lines.len()).find(|&i| {
        let line = lines[i].trim();
        !line.is_empty() && !line.starts_with("//") && !line.starts_with("#[")
    })?;
    let line = lines[at];
    let item = line.trim_start();
    let is_module = ["mod ", "pub mod ", "pub(crate) mod ", "pub(super) mod "]
        .iter()
        .any(|prefix| item.starts_with(prefix));
    if !is_module || !item.ends_with('{') {
        return None;
    }
    let indent = &line[..line.len() - item.len()];
    let close = format!("{indent}}}");
    (at + 1..lines.len()).find(|&i| lines[i] == close)
}

/// Whether the comment lines at the top of `text` (before its first line of
/// code) give the reason a file is longer.
fn gives_reason(text: &str) -> bool {
    let mut top = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some(comment) = line.strip_prefix("//") else {
            break;
        };
        let comment = comment.trim_start_matches(['/', '!']).trim();
        top.push(' ');
        top.push_str(comment);
    }
    top.contains(REASON)
}

/// Whether `path` (relative to its folder) holds only tests.
fn is_test_only(relative: &Path) -> bool {
    relative.file_name().is_some_and(|name| name == "tests.rs")
        || relative
            .parent()
            .is_some_and(|dir| dir.components().any(|c| c.as_os_str() == "tests"))
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// Each checked file, relative to the workspace root with `/` between
/// folders, with its lines of code and whether it gives a reason.
fn measure() -> Vec<(String, usize, bool)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut measured = Vec::new();
    for folder in FOLDERS {
        let dir = root.join(folder);
        let mut files = Vec::new();
        collect(&dir, &mut files);
        for path in files {
            let relative = path.strip_prefix(&dir).unwrap();
            if is_test_only(relative) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let name = Path::new(folder)
                .join(relative)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            measured.push((name, code_lines(&text), gives_reason(&text)));
        }
    }
    measured.sort();
    measured
}

#[test]
fn no_file_holds_more_than_400_lines_of_code_without_a_reason() {
    let measured = measure();
    assert!(
        measured.len() > 50,
        "found the files: {:?}",
        measured.iter().map(|(name, ..)| name).collect::<Vec<_>>()
    );
    let too_long: Vec<String> = measured
        .iter()
        .filter(|(name, lines, reason)| {
            *lines > LIMIT && !reason && !OVER_THE_LIMIT_FOR_NOW.contains(&name.as_str())
        })
        .map(|(name, lines, _)| format!("{name}: {lines} lines of code"))
        .collect();
    assert!(
        too_long.is_empty(),
        "files over {LIMIT} lines of code (comments, blank lines and #[cfg(test)] modules \
         aside):\n  {}\nsplit each by concern into submodules whose names say what they \
         hold (a test module may move to <module>/tests.rs), or, where splitting would truly \
         hurt, start its doc comment with a sentence \"{REASON} …\"",
        too_long.join("\n  ")
    );
}

#[test]
fn the_files_allowed_over_the_limit_for_now_still_are() {
    let measured = measure();
    let stale: Vec<String> = OVER_THE_LIMIT_FOR_NOW
        .iter()
        .filter(|allowed| {
            !measured
                .iter()
                .any(|(name, lines, _)| name == *allowed && *lines > LIMIT)
        })
        .map(|allowed| allowed.to_string())
        .collect();
    assert!(
        stale.is_empty(),
        "under {LIMIT} lines of code now, or gone: remove from OVER_THE_LIMIT_FOR_NOW in \
         guest/tests/file_sizes.rs:\n  {}",
        stale.join("\n  ")
    );
}

#[test]
fn the_count_leaves_out_comments_blank_lines_and_test_modules() {
    let text = "//! A module.\n\
                \n\
                /// A function.\n\
                fn one() {\n\
                \x20   // a comment\n\
                \x20   /* a block\n\
                \x20      comment */\n\
                }\n\
                \n\
                #[cfg(test)]\n\
                mod tests {\n\
                \x20   fn helper() {\n\
                \x20   }\n\
                }\n\
                \n\
                #[cfg(test)]\n\
                fn counted() {}\n";
    assert_eq!(code_lines(text), 4);
}

#[test]
fn a_reason_counts_only_at_the_top() {
    assert!(gives_reason(
        "//! The table.\n//!\n//! Longer than 400 lines because it is one table.\n\nuse x;\n"
    ));
    assert!(!gives_reason(
        "//! The table.\n\nuse x;\n// Longer than 400 lines because it is one table.\n"
    ));
}
