//! Aligned columns for a terminal, long values cut with `…`.
//!
//! Cells come from stored entries, which may hold anything a caller sent:
//! control characters (ESC, BEL, CR, LF, C1's CSI) and invisible or
//! direction-changing ones (RLO) are shown as escapes such as `\u{1b}`
//! ([`auditlog_model::invisible::escape`]), never handed to the terminal.

use auditlog_model::invisible;

/// One column: its heading and the most characters a cell may take.
pub struct Column {
    /// The heading.
    pub title: &'static str,
    /// Cells longer than this are cut, ending in `…`.
    pub max_width: usize,
}

/// `rows` under `columns`, two spaces between columns, no trailing spaces.
pub fn render(columns: &[Column], rows: &[Vec<String>]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .zip(columns)
                .map(|(cell, column)| cut(&invisible::escape(cell), column.max_width))
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            cells
                .iter()
                .map(|row| row[i].chars().count())
                .chain([column.title.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let titles: Vec<String> = columns.iter().map(|c| c.title.to_owned()).collect();
    for row in std::iter::once(&titles).chain(&cells) {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(&widths) {
            line.push_str(cell);
            line.extend(std::iter::repeat_n(' ', width - cell.chars().count() + 2));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_and_cuts() {
        let columns = [
            Column {
                title: "NAME",
                max_width: 6,
            },
            Column {
                title: "NOTE",
                max_width: 20,
            },
        ];
        let rows = vec![
            vec!["a".to_owned(), "short".to_owned()],
            vec!["very-long-name".to_owned(), "two\nlines".to_owned()],
        ];
        assert_eq!(
            render(&columns, &rows),
            "NAME    NOTE\na       short\nvery-…  two\\u{a}lines\n"
        );
    }

    #[test]
    fn terminal_controls_in_cells_are_shown_escaped() {
        let columns = [Column {
            title: "RESULT",
            max_width: 80,
        }];
        let rows = vec![vec![
            "\u{1b}[2J\u{7}\u{8}\r\u{7f}\u{9b}31m\u{202e}gnp.exe\u{2066}".to_owned(),
        ]];
        let out = render(&columns, &rows);
        assert_eq!(
            out,
            "RESULT\n\\u{1b}[2J\\u{7}\\u{8}\\u{d}\\u{7f}\\u{9b}31m\\u{202e}gnp.exe\\u{2066}\n"
        );
    }
}
