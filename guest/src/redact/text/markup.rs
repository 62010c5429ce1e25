//! Secrets in HTML and XML: the text of an element named as a secret
//! (`<password>x</password>`, attributes allowed), the value of a tag whose
//! name attribute names one (`<input name="password" value="x">`,
//! .NET's `<add key="ApiKey" value="x"/>`, `<meta name="csrf-token"
//! content="x">`), and the text of an element so named (Android's `<string
//! name="api_key">x</string>`, Java's `<entry key="db.password">x</entry>`).

use super::*;

/// How far a tag is looked for around an attribute, each way: a bound, so
/// that a text of many `value=` without tags costs no more than a pass.
const TAG_REACH: usize = 2048;

/// Attributes that name what the tag holds.
const NAME_ATTRIBUTES: [&str; 4] = ["name", "key", "id", "property"];

/// Attributes that hold the value a name attribute names.
const VALUE_ATTRIBUTES: [&str; 2] = ["value", "content"];

/// An attribute of a tag: its name, and where its value is (inside its
/// quotes).
struct Attribute {
    name: (usize, usize),
    value: (usize, usize),
}

impl Scan<'_> {
    /// The attribute `start..end`, a value or a name attribute, inside a
    /// tag that names a secret (by a name attribute, or `type="password"`):
    /// cuts the value, or the element's text; returns where to go on.
    #[inline(never)]
    pub(super) fn attribute(&mut self, start: usize, end: usize) -> Option<usize> {
        // An attribute's `=` follows its name (JSON's `"name":` does not).
        if self.bytes.get(end) != Some(&b'=') {
            return None;
        }
        let word = &self.bytes[start..end];
        let is = |names: &[&str]| {
            names
                .iter()
                .any(|n| n.as_bytes().eq_ignore_ascii_case(word))
        };
        let (value_word, name_word) = (is(&VALUE_ATTRIBUTES), is(&["name", "key"]));
        if !value_word && !name_word {
            return None;
        }
        let (lt, gt) = self.tag_around(start)?;
        let attributes = self.attributes(lt + 1, gt);
        let named = |a: &Attribute, names: &[&str]| {
            let name = &self.bytes[a.name.0..a.name.1];
            names
                .iter()
                .any(|n| n.as_bytes().eq_ignore_ascii_case(name))
        };
        let says_secret = |a: &Attribute| {
            let value = &self.text[a.value.0..a.value.1];
            named(a, &NAME_ATTRIBUTES) && self.redactor.is_secret_key(value)
                || named(a, &["type"]) && value.eq_ignore_ascii_case("password")
        };
        if !attributes.iter().any(says_secret) {
            return None;
        }
        let this = attributes.iter().find(|a| a.name.0 == start)?;
        if value_word {
            let (from, to) = this.value;
            return (to > from).then(|| self.cut_value(from, to, true));
        }
        if !says_secret(this)
            || attributes.iter().any(|a| named(a, &VALUE_ATTRIBUTES))
            || self.bytes[gt - 1] == b'/'
        {
            return None;
        }
        self.element_text(lt + 1, gt)
    }

    /// An element whose name `start..end` (after its `<`) is
    /// secret-looking: its text, if the next tag closes it.
    #[inline(never)]
    pub(super) fn element(&mut self, start: usize, end: usize) -> Option<usize> {
        if !self.redactor.is_secret_key(&self.text[start..end]) {
            return None;
        }
        self.opened_element_text(start, start, end)
    }

    /// A namespaced element whose local name `start..end` (after its
    /// prefix's `:`) is secret-looking (`<wsse:Password>x</wsse:Password>`,
    /// attributes allowed): its text, if the next tag closes it.
    #[inline(never)]
    pub(super) fn namespaced_element(&mut self, start: usize, end: usize) -> Option<usize> {
        let prefix = self.bytes[..start - 1]
            .iter()
            .rposition(|&b| CLASS[usize::from(b)] & WORD == 0)?;
        if self.bytes[prefix] != b'<'
            || prefix + 1 == start - 1
            || !self.redactor.is_secret_key(&self.text[start..end])
        {
            return None;
        }
        self.opened_element_text(prefix + 1, start, end)
    }

    /// The text of the element whose name starts at `name` and whose
    /// (local) name is `start..end`, closed there by `>` or followed by
    /// attributes: none for a tag that closes itself (`<password/>`).
    fn opened_element_text(&mut self, name: usize, start: usize, end: usize) -> Option<usize> {
        let gt = match self.bytes[end] {
            b'>' => end,
            _ => self.tag_around(start)?.1,
        };
        if self.bytes[gt - 1] == b'/' {
            return None;
        }
        self.element_text(name, gt)
    }

    /// The text after the tag whose name starts at `name` and which ends at
    /// `gt`, if the next tag closes that element; text in a CDATA section
    /// (`<password><![CDATA[x]]></password>`) too.
    fn element_text(&mut self, name: usize, gt: usize) -> Option<usize> {
        const CDATA: &[u8] = b"<![CDATA[";
        let name_end = skip(self.bytes, name, |b| {
            CLASS[usize::from(b)] & (WORD | NON_ASCII) != 0 || b == b':'
        });
        let mut from = gt + 1;
        let (to, after) = if self.bytes[from..].starts_with(CDATA) {
            from += CDATA.len();
            let end = from + memchr::memmem::find(&self.bytes[from..], b"]]>")?;
            (end, end + 3)
        } else {
            let to = from + self.bytes[from..].iter().position(|b| *b == b'<')?;
            (to, to)
        };
        let element = &self.bytes[name..name_end];
        let closed =
            self.bytes[after..].starts_with(b"</") && self.bytes[after + 2..].starts_with(element);
        closed.then(|| self.cut(from, to))
    }

    /// The `<` and `>` of the tag around `at`, within [`TAG_REACH`].
    fn tag_around(&self, at: usize) -> Option<(usize, usize)> {
        let back = &self.bytes[at.saturating_sub(TAG_REACH)..at];
        let lt = at - back.len() + back.iter().rposition(|b| matches!(b, b'<' | b'>'))?;
        let ahead = &self.bytes[at..self.bytes.len().min(at + TAG_REACH)];
        let gt = at + ahead.iter().position(|b| matches!(b, b'<' | b'>'))?;
        (self.bytes[lt] == b'<' && self.bytes[gt] == b'>').then_some((lt, gt))
    }

    /// The attributes of the tag `from..to` (from its element's name to its
    /// `>`) that have quoted values.
    fn attributes(&self, from: usize, to: usize) -> Vec<Attribute> {
        let mut found = Vec::new();
        // Past the element's name.
        let mut at = skip(self.bytes, from, |b| !is_space(b) && b != b'>');
        while at < to {
            at = skip(self.bytes, at, |b| is_space(b) || b == b'/');
            let name_end = skip(self.bytes, at, |b| {
                CLASS[usize::from(b)] & WORD != 0 || b == b':'
            });
            if name_end == at || name_end >= to {
                break;
            }
            let eq = skip(self.bytes, name_end, |b| b == b' ');
            if self.bytes[eq] != b'=' {
                at = name_end;
                continue;
            }
            let open = skip(self.bytes, eq + 1, |b| b == b' ');
            let Some(len) = quote_at(self.bytes, open) else {
                at = skip(self.bytes, open, |b| !is_space(b) && b != b'>');
                continue;
            };
            let value = open + len;
            let close = closing_quote(self.bytes, value, &self.bytes[open..value]).min(to);
            found.push(Attribute {
                name: (at, name_end),
                value: (value, close),
            });
            at = close + len;
        }
        found
    }
}
