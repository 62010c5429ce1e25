//! Secrets that only show across the items of a list, or beside their name
//! in an object.
//!
//! - A run of strings in a list is read as one line, its items joined with
//!   spaces: a command line split into its words (`["mysql", "--password",
//!   "…"]`, `["sshpass", "-p", "…"]`, `["curl", "-u", "bob:…"]`), or a file
//!   split into its lines (a PEM private key, a line an item). What the line
//!   holds is cut from the item where it starts — a PEM block from every
//!   item it covers — so that a value which would run on to the end of the
//!   line (a header's) never takes the next items with it.
//! - A list of pairs with a name first (`[["X-Api-Key", "…"]]`) is read as
//!   the mapping it stands for.
//! - An object that names a value (`{"name": "DB_PASSWORD", "value": "…"}`,
//!   as Kubernetes' `env`, HAR's headers and AWS's parameters are written)
//!   has its value judged as if it were under that name.

use serde_json::{Map, Value};

use super::blocks::PEM_BEGIN;
use super::{MARKER, Path, Redactor};

/// The fields that name the value beside them, compared as keys are
/// (without case, `-` and `_`).
const NAME_FIELDS: [&str; 6] = [
    "name",
    "key",
    "header",
    "parametername",
    "parameterkey",
    "variable",
];

/// The fields that hold the value a name field names.
const VALUE_FIELDS: [&str; 3] = ["value", "parametervalue", "secretvalue"];

impl Redactor {
    /// Cuts from `items` what their runs of strings hold only read together;
    /// returns which items changed.
    pub(super) fn across_items(&self, items: &mut [Value]) -> Vec<bool> {
        let mut changed = vec![false; items.len()];
        let mut i = 0;
        while i < items.len() {
            let run = items[i..]
                .iter()
                .take_while(|item| item.is_string())
                .count();
            if run >= 2 {
                self.across_run(&mut items[i..i + run], &mut changed[i..i + run]);
            }
            i += run.max(1);
        }
        changed
    }

    /// [`Redactor::across_items`] for a run of strings.
    fn across_run(&self, items: &mut [Value], changed: &mut [bool]) {
        let texts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
        let line = texts.join(" ");
        let cuts = self.cuts(&line);
        if cuts.is_empty() {
            return;
        }
        // Where each item starts in the line.
        let starts: Vec<usize> = texts
            .iter()
            .scan(0, |at, text| {
                let start = *at;
                *at += text.len() + 1;
                Some(start)
            })
            .collect();
        let mut local: Vec<Vec<(usize, usize)>> = vec![Vec::new(); texts.len()];
        for (from, to) in cuts {
            let first = starts.partition_point(|start| *start <= from) - 1;
            let last = if line[from..].starts_with(PEM_BEGIN) {
                starts.partition_point(|start| *start < to) - 1
            } else {
                first
            };
            for k in first..=last {
                let (start, end) = (starts[k], starts[k] + texts[k].len());
                let (a, b) = (from.max(start), to.min(end));
                if a < b {
                    local[k].push((a - start, b - start));
                }
            }
        }
        for ((item, cuts), changed) in items.iter_mut().zip(local).zip(changed) {
            if let (Value::String(text), false) = (item, cuts.is_empty()) {
                *text = with_cuts(text, &cuts);
                *changed = true;
            }
        }
    }

    /// If `map` names a secret-looking value (`{"name": "X-Api-Key",
    /// "value": …}`), the name it is to be judged under and its field.
    pub(super) fn named_value<'m>(
        &self,
        map: &'m Map<String, Value>,
    ) -> Option<(&'m str, &'m str)> {
        // Such an object is small; most others are ruled out by their size.
        if map.len() > 6 {
            return None;
        }
        let field = |names: &[&str]| {
            map.iter()
                .find(|(key, _)| names.iter().any(|name| spelled_as(key, name)))
        };
        let (_, Value::String(name)) = field(&NAME_FIELDS)? else {
            return None;
        };
        let (value_field, _) = field(&VALUE_FIELDS)?;
        self.is_secret_key(name)
            .then_some((name.as_str(), value_field.as_str()))
    }
}

/// Whether `key`, without case, `-` and `_`, is `word` (lowercase).
fn spelled_as(key: &str, word: &str) -> bool {
    key.bytes()
        .filter(|b| !matches!(b, b'-' | b'_'))
        .map(|b| b.to_ascii_lowercase())
        .eq(word.bytes())
}

/// Whether `items` is a list of pairs with a name first, `[["X-Api-Key",
/// "…"], ["Accept", "json"]]`: a mapping written as Python's
/// `headers.items()` and httpx's header lists write it.
pub(crate) fn are_pairs(items: &[Value]) -> bool {
    !items.is_empty()
        && items.iter().all(
            |item| matches!(item, Value::Array(pair) if pair.len() == 2 && pair[0].is_string()),
        )
}

impl Redactor {
    /// Redacts a list of pairs ([`are_pairs`]): each second item as if
    /// under the first, judged by the name as it was before it is searched.
    pub(super) fn pairs(&self, items: &mut [Value], path: &Path<'_>, paths: &mut Vec<String>) {
        for (i, item) in items.iter_mut().enumerate() {
            let Value::Array(pair) = item else {
                continue;
            };
            let here = Path::Index(path, i);
            let (name, value) = pair.split_at_mut(1);
            let key = name[0].as_str().unwrap_or_default().to_owned();
            self.value_at(&mut name[0], &Path::Index(&here, 0), paths);
            self.under_key(&key, &mut value[0], &Path::Index(&here, 1), paths);
        }
    }
}

/// `text` with the spans `cuts` (in order, not overlapping) replaced by
/// [`MARKER`].
pub(super) fn with_cuts(text: &str, cuts: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for &(start, end) in cuts {
        out.push_str(&text[pos..start]);
        out.push_str(MARKER);
        pos = end;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::Redactor;

    fn redacted(mut value: serde_json::Value) -> (serde_json::Value, Vec<String>) {
        let mut paths = Vec::new();
        Redactor::default().value(&mut value, "args", &mut paths);
        (value, paths)
    }

    #[test]
    fn a_command_line_split_into_items_is_read_as_one() {
        let (args, paths) = redacted(json!({
            "argv": ["mysql", "--password", "hunter2", "db"],
            "mysql": ["mysql", "-phunter2"],
            "sshpass": ["sshpass", "-p", "hunter2", "ssh", "host"],
            "curl": ["curl", "-u", "bob:hunter2", "-H", "Authorization: Bearer abc", "https://x"],
            "plain": ["ls", "-p", "dir", "--password-file", "pw.txt"],
        }));
        assert_eq!(
            args,
            json!({
                "argv": ["mysql", "--password", "[REDACTED]", "db"],
                "mysql": ["mysql", "-p[REDACTED]"],
                "sshpass": ["sshpass", "-p", "[REDACTED]", "ssh", "host"],
                "curl": ["curl", "-u", "bob:[REDACTED]", "-H", "Authorization: Bearer [REDACTED]", "https://x"],
                "plain": ["ls", "-p", "dir", "--password-file", "pw.txt"],
            })
        );
        assert_eq!(
            paths,
            [
                "args.argv[2]",
                "args.mysql[1]",
                "args.sshpass[2]",
                "args.curl[2]",
                "args.curl[4]"
            ]
        );
    }

    #[test]
    fn a_private_key_split_into_lines_is_cut_from_every_line() {
        let (args, paths) = redacted(json!({"lines": [
            "key:",
            "-----BEGIN RSA PRIVATE KEY-----",
            "MIIEowIBAAKCAQEA",
            "q2v3x==",
            "-----END RSA PRIVATE KEY-----",
            "done",
        ]}));
        assert_eq!(
            args["lines"],
            json!([
                "key:",
                "[REDACTED]",
                "[REDACTED]",
                "[REDACTED]",
                "[REDACTED]",
                "done"
            ])
        );
        assert_eq!(
            paths,
            [
                "args.lines[1]",
                "args.lines[2]",
                "args.lines[3]",
                "args.lines[4]"
            ]
        );
    }

    #[test]
    fn a_value_runs_to_the_end_of_its_own_item_only() {
        let (args, _) = redacted(json!([
            "Authorization: Bearer abc",
            "https://api.example.com",
            "password='open",
            "quote' kept",
        ]));
        assert_eq!(
            args,
            json!([
                "Authorization: Bearer [REDACTED]",
                "https://api.example.com",
                "password='[REDACTED]",
                "quote' kept",
            ])
        );
    }

    #[test]
    fn a_list_of_pairs_is_read_as_a_mapping() {
        let (args, paths) = redacted(json!({
            "headers": [["X-Api-Key", "k-1"], ["Accept", "json"], ["password=x", "v"]],
            "one": [["Authorization", "Bearer abc"]],
            "usage": [["max_tokens", 10]],
            "not_pairs": [["password", "x", "y"], "password", "x"],
            "names": ["password", "email"],
        }));
        assert_eq!(
            args,
            json!({
                "headers": [["X-Api-Key", "[REDACTED]"], ["Accept", "json"], ["password=[REDACTED]", "[REDACTED]"]],
                "one": [["Authorization", "[REDACTED]"]],
                "usage": [["max_tokens", 10]],
                "not_pairs": [["password", "x", "y"], "password", "x"],
                "names": ["password", "email"],
            })
        );
        assert_eq!(
            paths,
            [
                "args.headers[0][1]",
                "args.headers[2][0]",
                "args.headers[2][1]",
                "args.one[0][1]"
            ]
        );
    }

    #[test]
    fn a_named_value_is_judged_by_its_name() {
        let (args, paths) = redacted(json!({
            "env": [
                {"name": "DB_PASSWORD", "value": "hunter2"},
                {"name": "REGION", "value": "eu"},
                {"Name": "api-key", "Value": "k-1"},
                {"ParameterName": "MasterUserPassword", "ParameterValue": "p-1"},
                {"name": "max_tokens", "value": 4096},
                {"key": "session", "value": null},
            ],
            "headers": [{"name": "X-Api-Key", "value": "k-2"}, {"name": "Accept", "value": "json"}],
        }));
        assert_eq!(
            args,
            json!({
                "env": [
                    {"name": "DB_PASSWORD", "value": "[REDACTED]"},
                    {"name": "REGION", "value": "eu"},
                    {"Name": "api-key", "Value": "[REDACTED]"},
                    {"ParameterName": "MasterUserPassword", "ParameterValue": "[REDACTED]"},
                    {"name": "max_tokens", "value": 4096},
                    {"key": "session", "value": null},
                ],
                "headers": [{"name": "X-Api-Key", "value": "[REDACTED]"}, {"name": "Accept", "value": "json"}],
            })
        );
        assert_eq!(
            paths,
            [
                "args.env[0].value",
                "args.env[2].Value",
                "args.env[3].ParameterValue",
                "args.headers[0].value"
            ]
        );
    }
}
