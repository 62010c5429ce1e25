//! Cyrillic and Greek letters drawn as Latin ones (`р`, `а`, `Τ`): a key or
//! text written with them (`раssword`) is read as the Latin it looks like.
//! Only letters that look the same in common fonts are folded, so real
//! Cyrillic or Greek words do not become secret-looking ones.

/// The ASCII letter `c` looks like, if it is a Cyrillic or Greek look-alike.
pub fn ascii(c: char) -> Option<u8> {
    let latin = match c {
        // Cyrillic capitals.
        'А' => b'A',
        'В' => b'B',
        'Е' => b'E',
        'К' => b'K',
        'М' => b'M',
        'Н' => b'H',
        'О' => b'O',
        'Р' => b'P',
        'С' => b'C',
        'Т' => b'T',
        'Х' => b'X',
        'У' => b'Y',
        'І' => b'I',
        'Ј' => b'J',
        'Ѕ' => b'S',
        // Cyrillic small letters.
        'а' => b'a',
        'е' => b'e',
        'о' => b'o',
        'р' => b'p',
        'с' => b'c',
        'у' => b'y',
        'х' => b'x',
        'і' => b'i',
        'ј' => b'j',
        'ѕ' => b's',
        'һ' => b'h',
        'ԁ' => b'd',
        'ԛ' => b'q',
        'ԝ' => b'w',
        // Greek capitals.
        'Α' => b'A',
        'Β' => b'B',
        'Ε' => b'E',
        'Ζ' => b'Z',
        'Η' => b'H',
        'Ι' => b'I',
        'Κ' => b'K',
        'Μ' => b'M',
        'Ν' => b'N',
        'Ο' => b'O',
        'Ρ' => b'P',
        'Τ' => b'T',
        'Υ' => b'Y',
        'Χ' => b'X',
        // Greek small letters.
        'ο' => b'o',
        'α' => b'a',
        'ι' => b'i',
        'κ' => b'k',
        'ν' => b'v',
        'ρ' => b'p',
        'υ' => b'u',
        'χ' => b'x',
        _ => return None,
    };
    Some(latin)
}

/// Whether `b` may start the UTF-8 of a look-alike: the two-byte forms of
/// U+0380 to U+053F.
pub fn may_start(b: u8) -> bool {
    matches!(b, 0xCE..=0xD4)
}
