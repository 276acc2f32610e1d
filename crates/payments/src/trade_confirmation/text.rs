//! Text for the built-in PDF fonts: the WinAnsi character set they are written in, Helvetica's glyph widths,
//! and line wrapping within a width.

/// The characters of WinAnsiEncoding (PDF 32000-1 Annex D.2) outside ASCII and Latin-1: its 0x80..=0x9F row.
const WIN_ANSI_EXTRA: &str = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ";

/// The text as the built-in fonts can show it: whitespace and control characters become a space, characters
/// WinAnsi cannot represent become `?`.
pub(super) fn win_ansi(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                ' '
            } else if (' '..='~').contains(&c) || ('\u{A0}'..='\u{FF}').contains(&c) || WIN_ANSI_EXTRA.contains(c) {
                // U+00AD (soft hyphen) is in Latin-1 but invisible; a plain hyphen reads the same.
                if c == '\u{AD}' { '-' } else { c }
            } else {
                '?'
            }
        })
        .collect()
}

/// Helvetica's advance widths (AFM, thousandths of an em) for ASCII 0x20..=0x7E.
const HELVETICA_ASCII: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' ' .. '/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // '0' .. '?'
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // '@' .. 'O'
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 'P' .. '_'
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // '`' .. 'o'
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // 'p' .. '~'
];

/// No WinAnsi glyph of Helvetica or Helvetica-Bold is wider than this (`@` of Helvetica).
const WIDEST: u16 = 1015;

/// How much wider Helvetica-Bold may be than Helvetica, glyph for glyph (at most 25%, for `i`, `j`, `l`).
#[cfg(test)]
pub(super) const BOLD_FACTOR: f32 = 1.25;

/// The width in points of `text` in Helvetica at `size` points. Characters outside ASCII count as the widest
/// glyph, so a measured line never comes out narrower than it is drawn.
pub(super) fn helvetica_width(text: &str, size: f32) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| {
            let code = c as u32;
            if (0x20..=0x7E).contains(&code) { HELVETICA_ASCII[(code - 0x20) as usize] } else { WIDEST }
        })
        .map(u32::from)
        .sum();
    units as f32 * size / 1000.0
}

/// `text` (already WinAnsi) in lines no wider than `width` points at `size`, at most `max_lines` of them: words
/// are kept whole where they fit, a word longer than a line is cut, and text that does not fit ends in `...`.
/// Empty text gives no line.
pub(super) fn wrap(text: &str, size: f32, width: f32, max_lines: usize) -> Vec<String> {
    let fits = |line: &str| helvetica_width(line, size) <= width;
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ').filter(|word| !word.is_empty()) {
        let candidate = if current.is_empty() { word.to_string() } else { format!("{current} {word}") };
        if fits(&candidate) {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        // The word starts a line of its own; cut it where it is longer than a line.
        for c in word.chars() {
            current.push(c);
            if !fits(&current) && current.chars().count() > 1 {
                current.pop();
                lines.push(std::mem::replace(&mut current, c.to_string()));
            }
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            *last = ellipsized(last, size, width);
        }
    }
    lines
}

/// `line` ended with `...`, cut so that it stays within `width` points at `size`.
pub(super) fn ellipsized(line: &str, size: f32, width: f32) -> String {
    let mut kept = line.to_string();
    while !kept.is_empty() && helvetica_width(&format!("{kept}..."), size) > width {
        kept.pop();
    }
    format!("{}...", kept.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_what_win_ansi_cannot_show() {
        assert_eq!(win_ansi("Zoë Ölander 中文"), "Zoë Ölander ??");
        assert_eq!(win_ansi("a\tb\nc€"), "a b c€");
        assert_eq!(win_ansi("😀"), "?");
    }

    #[test]
    fn measures_helvetica() {
        assert!((helvetica_width("0", 10.0) - 5.56).abs() < 1e-4);
        assert!((helvetica_width("W@", 1000.0) - 1959.0).abs() < 1e-2);
    }

    #[test]
    fn wraps_within_the_width_and_truncates() {
        let text = "lorem ipsum dolor sit amet ".repeat(40);
        let lines = wrap(&text, 10.0, 200.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|line| helvetica_width(line, 10.0) <= 200.0));
        assert!(lines[2].ends_with("..."));
        assert_eq!(wrap("short", 10.0, 200.0, 3), vec!["short".to_string()]);
        assert!(wrap("", 10.0, 200.0, 3).is_empty());
        let cut = wrap(&"x".repeat(500), 10.0, 100.0, 10);
        assert!(cut.len() > 1 && cut.iter().all(|line| helvetica_width(line, 10.0) <= 100.0));
    }
}
