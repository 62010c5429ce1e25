//! The query parameters of the API's routes, checked with the command line's
//! rules (see [`Selection`]).
//!
//! A refusal names the parameter by the server's own name for it, never by
//! the client's text: a name the route does not know is refused under the
//! field `query`, and it, like every value a refusal shows, is quoted by the
//! one rule of every refusal ([`auditlog_model::invisible::refused`]: hidden
//! characters escaped, at most 100 characters).

use auditlog_model::LogChoiceWords;
use auditlog_model::invisible::refused;

use super::*;

/// Which route the parameters are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Endpoint {
    Recent,
    Stats,
}

/// A request's query parameters, checked.
#[derive(Debug, Default)]
pub(super) struct Params {
    pub(super) selection: Selection,
    pub(super) limit: Option<u32>,
    pub(super) cursor: Option<String>,
}

impl Params {
    pub(super) fn parse(
        pairs: Vec<(&'static str, String)>,
        endpoint: Endpoint,
    ) -> Result<Self, ApiError> {
        let mut seen: Vec<&'static str> = Vec::new();
        let mut params = Self::default();
        let selection = &mut params.selection;
        for (known, value) in pairs {
            if seen.contains(&known) {
                return Err(ApiError::bad_request(known, "is given more than once"));
            }
            seen.push(known);
            match known {
                "user" if value == ALL_USERS => selection.all_users = true,
                "user" => selection.user = Some(value),
                "skills" => {
                    selection.skills = match value.as_str() {
                        "true" => true,
                        "false" => false,
                        _ => {
                            return Err(ApiError::bad_request(
                                known,
                                format!("must be true or false, got {}", refused(&value)),
                            ));
                        }
                    }
                }
                "tool" => selection.tool = Some(value),
                "skill" => selection.skill = Some(value),
                "status" => selection.status = Some(value),
                "since" => selection.since = Some(value),
                "until" => selection.until = Some(value),
                "days" => selection.days = Some(number(known, &value)?),
                "limit" | "cursor" if endpoint == Endpoint::Stats => {
                    return Err(ApiError::bad_request(
                        known,
                        "applies to /api/audit/recent only",
                    ));
                }
                "limit" => params.limit = Some(number(known, &value)?),
                _ => params.cursor = Some(value),
            }
        }
        Ok(params)
    }

    /// The selection's filter, once the token may read it; a wrong choice of
    /// log is refused in the API's own words (`user=NAME`, `user=all`,
    /// `skills=true`), by the one selection rule.
    pub(super) fn filter(&self, access: &Access) -> Result<crate::Filter, ApiError> {
        authorize(access, &self.selection)?;
        let missing = format!("name a log: user=NAME, user={ALL_USERS}, or skills=true");
        let words = LogChoiceWords {
            missing_field: "user",
            missing: &missing,
            several_field: "skills",
            several: "cannot be combined with user",
        };
        let filter = self.selection.filter_worded(&words).map_err(Error::from)?;
        Ok(filter)
    }
}

/// A parameter's value as a whole number.
pub(super) fn number(field: &str, value: &str) -> Result<u32, ApiError> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::bad_request(
            field,
            format!("must be a whole number, got {}", refused(value)),
        ));
    }
    value
        .parse()
        .map_err(|_| ApiError::bad_request(field, format!("is too large, got {}", refused(value))))
}

/// The query string's parameters, decoded as a form (`+` is a space, `%XX`
/// a byte), each named by one of `known`; or a 400 naming `query` for a
/// name that is not UTF-8 or not one of `known`, or naming the parameter
/// whose value is not UTF-8 once decoded. (Axum's `Query` would turn such
/// bytes into U+FFFD and quietly read another name.)
pub(super) fn decode_query(
    raw: Option<&str>,
    known: &[&'static str],
) -> Result<Vec<(&'static str, String)>, ApiError> {
    raw.unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = form_decode(name).ok_or_else(|| {
                ApiError::bad_request("query", "a parameter name is not UTF-8 once decoded")
            })?;
            let name = known
                .iter()
                .copied()
                .find(|k| *k == name)
                .ok_or_else(|| unknown(&name, known))?;
            let value = form_decode(value)
                .ok_or_else(|| ApiError::bad_request(name, "is not UTF-8 once decoded"))?;
            Ok((name, value))
        })
        .collect()
}

/// The refusal of the parameter `name`, not one of `known`: the client's
/// text, so quoted as every refused value is.
fn unknown(name: &str, known: &[&str]) -> ApiError {
    let expected = if known.is_empty() {
        "this route takes none".to_owned()
    } else {
        format!("expected one of {}", known.join(", "))
    };
    ApiError::bad_request(
        "query",
        format!("unknown parameter {}; {expected}", refused(name)),
    )
}

/// `text` with `+` as a space and each `%XX` as the byte XX (a `%` without
/// two hex digits is kept), if that is UTF-8.
pub(super) fn form_decode(text: &str) -> Option<String> {
    let input = text.as_bytes();
    let mut bytes = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(&byte) = input.get(i) {
        let escaped = input
            .get(i + 1..i + 3)
            .filter(|hex| byte == b'%' && hex.iter().all(u8::is_ascii_hexdigit))
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match (byte, escaped) {
            (_, Some(decoded)) => {
                bytes.push(decoded);
                i += 3;
            }
            (b'+', None) => {
                bytes.push(b' ');
                i += 1;
            }
            (other, None) => {
                bytes.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8(bytes).ok()
}
