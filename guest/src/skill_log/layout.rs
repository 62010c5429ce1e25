//! The skill log's layout: a JSON array with one entry a line (`  {...},`),
//! and laying out a file in another layout (the seed's pretty-printed one).

use super::*;

/// Blanks `content[start..end]` (keeping its newlines): what a retention
/// step a stopped writer left undone was about to drop.
pub(super) fn blank_in_memory(content: &mut [u8], pending: Option<(u64, u64)>) {
    let Some((start, end)) = pending else {
        return;
    };
    let len = content.len();
    let to = |offset: u64| usize::try_from(offset).map_or(len, |o| o.min(len));
    for byte in content[to(start)..to(end)]
        .iter_mut()
        .filter(|b| **b != b'\n')
    {
        *byte = b' ';
    }
}

/// The JSON of an entry line (`  {...},`), or `None` for the brackets and
/// blanked lines.
pub fn entry_json_of_line(line: &[u8]) -> Option<&[u8]> {
    let json = line.strip_prefix(INDENT)?;
    let json = json.strip_suffix(b",").unwrap_or(json);
    json.starts_with(b"{").then_some(json)
}

/// `content` — a JSON array of objects in any layout — in the
/// one-entry-per-line layout. Each entry keeps its own text, only the space
/// between its tokens removed ([`json_text::compact`]): nothing is decoded
/// and written again, so numbers beyond 64 bits, escapes and key order stay
/// exactly as the writer wrote them. Also returns the line of `content`
/// where each entry starts, for messages that name one.
pub(super) fn normalise(content: &[u8]) -> Result<(Vec<u8>, Vec<u64>), AuditError> {
    let entries: Vec<&serde_json::value::RawValue> =
        serde_json::from_slice(content).map_err(|e| {
            AuditError::Corrupt(format!("{LOG_PATH} is not a JSON array of entries: {e}"))
        })?;
    let mut lines = Vec::with_capacity(entries.len());
    let mut starts = Vec::with_capacity(entries.len());
    let (mut counted, mut line) = (0, 1);
    for (i, entry) in entries.iter().enumerate() {
        let text = entry.get();
        if !text.starts_with('{') {
            let value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
            return Err(AuditError::Corrupt(format!(
                "{LOG_PATH}: element {i} is {}, not an entry object",
                validate::json_type(&value)
            )));
        }
        // The entry's text lies inside `content`, where it was borrowed.
        let at = (text.as_ptr() as usize)
            .saturating_sub(content.as_ptr() as usize)
            .min(content.len());
        line += content[counted..at.max(counted)]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        counted = at.max(counted);
        starts.push(line);
        let compact = json_text::compact(text.as_bytes());
        lines.push(String::from_utf8(compact).expect("compacting keeps UTF-8"));
    }
    Ok((layout(&lines), starts))
}

/// The file holding `entries` (JSON text, one line each) in this layout.
pub(super) fn layout(entries: &[String]) -> Vec<u8> {
    if entries.is_empty() {
        return EMPTY.to_vec();
    }
    let mut out = b"[\n".to_vec();
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        out.extend_from_slice(INDENT);
        out.extend_from_slice(entry.as_bytes());
    }
    out.extend_from_slice(b"\n]\n");
    out
}
