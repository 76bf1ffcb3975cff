//! A multi-line text with a cursor, for the tester's test text (pasted logs span lines; tui-input is
//! single-line). The cursor is a byte offset that always sits on a character boundary.

use super::edit::Edit;

/// Pasted and typed text is capped so a huge paste cannot grow memory without limit.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextBuf {
    text: String,
    cursor: usize,
}

impl TextBuf {
    pub fn new(text: &str) -> Self {
        let mut buf = TextBuf::default();
        buf.insert(text);
        buf
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Line (from 0) and character column of the cursor.
    pub fn cursor_line_col(&self) -> (usize, usize) {
        let before = &self.text[..self.cursor];
        let line = before.matches('\n').count();
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count());
        (line, col)
    }

    /// Inserts text at the cursor (CRLF becomes LF), up to the size cap; returns whether all of it fit.
    pub fn insert(&mut self, s: &str) -> bool {
        self.insert_capped(s, MAX_TEXT_BYTES)
    }

    /// `insert` with a cap of `cap` bytes for the whole text.
    pub fn insert_capped(&mut self, s: &str, cap: usize) -> bool {
        let s = s.replace("\r\n", "\n").replace('\r', "\n");
        let room = cap.saturating_sub(self.text.len());
        let mut take = s.len().min(room);
        while !s.is_char_boundary(take) {
            take -= 1;
        }
        self.text.insert_str(self.cursor, &s[..take]);
        self.cursor += take;
        take == s.len()
    }

    pub fn edit(&mut self, edit: &Edit) {
        match edit {
            Edit::Insert(c) => {
                self.insert(c.encode_utf8(&mut [0; 4]));
            }
            Edit::Newline => {
                self.insert("\n");
            }
            Edit::Backspace => {
                if let Some(prev) = self.prev_boundary() {
                    self.text.replace_range(prev..self.cursor, "");
                    self.cursor = prev;
                }
            }
            Edit::Delete => {
                if let Some(next) = self.next_boundary() {
                    self.text.replace_range(self.cursor..next, "");
                }
            }
            Edit::Left => self.cursor = self.prev_boundary().unwrap_or(self.cursor),
            Edit::Right => self.cursor = self.next_boundary().unwrap_or(self.cursor),
            Edit::Home => self.cursor = self.line_start(self.cursor),
            Edit::End => self.cursor = self.line_end(self.cursor),
            Edit::Up | Edit::Down => self.vertical(matches!(edit, Edit::Down)),
            Edit::DeleteWord => {
                let before = &self.text[..self.cursor];
                let trimmed = before.trim_end();
                let start = trimmed.rfind(char::is_whitespace).map_or(0, |i| i + 1);
                self.text.replace_range(start..self.cursor, "");
                self.cursor = start;
            }
            Edit::Clear => *self = TextBuf::default(),
        }
    }

    fn prev_boundary(&self) -> Option<usize> {
        self.text[..self.cursor]
            .char_indices()
            .next_back()
            .map(|(i, _)| i)
    }

    fn next_boundary(&self) -> Option<usize> {
        self.text[self.cursor..]
            .chars()
            .next()
            .map(|c| self.cursor + c.len_utf8())
    }

    fn line_start(&self, at: usize) -> usize {
        self.text[..at].rfind('\n').map_or(0, |i| i + 1)
    }

    fn line_end(&self, at: usize) -> usize {
        self.text[at..]
            .find('\n')
            .map_or(self.text.len(), |i| at + i)
    }

    /// Moves to the same character column on the previous or next line (or its end).
    fn vertical(&mut self, down: bool) {
        let (_, col) = self.cursor_line_col();
        let target_start = if down {
            let end = self.line_end(self.cursor);
            if end == self.text.len() {
                return;
            }
            end + 1
        } else {
            let start = self.line_start(self.cursor);
            if start == 0 {
                return;
            }
            self.line_start(start - 1)
        };
        let line_end = self.line_end(target_start);
        self.cursor = self.text[target_start..line_end]
            .char_indices()
            .nth(col)
            .map_or(line_end, |(i, _)| target_start + i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_and_deleting_respect_character_boundaries() {
        let mut b = TextBuf::new("错误");
        b.edit(&Edit::Backspace);
        assert_eq!((b.text(), b.cursor()), ("错", 3));
        b.edit(&Edit::Insert('x'));
        b.edit(&Edit::Left);
        b.edit(&Edit::Left);
        b.edit(&Edit::Delete);
        assert_eq!(b.text(), "x");
    }

    #[test]
    fn pasted_crlf_becomes_lines_and_the_cursor_moves_between_them() {
        let mut b = TextBuf::new("first line\r\nsecond\nthird line");
        assert_eq!(b.cursor_line_col(), (2, 10));
        b.edit(&Edit::Up);
        assert_eq!(b.cursor_line_col(), (1, 6));
        b.edit(&Edit::Up);
        assert_eq!(b.cursor_line_col(), (0, 6));
        b.edit(&Edit::Home);
        b.edit(&Edit::Down);
        assert_eq!(b.cursor_line_col(), (1, 0));
        b.edit(&Edit::End);
        b.edit(&Edit::Newline);
        assert_eq!(b.text(), "first line\nsecond\n\nthird line");
    }

    #[test]
    fn delete_word_and_clear() {
        let mut b = TextBuf::new("exec format error  ");
        b.edit(&Edit::DeleteWord);
        assert_eq!(b.text(), "exec format ");
        b.edit(&Edit::Clear);
        assert_eq!((b.text(), b.cursor()), ("", 0));
    }

    #[test]
    fn inserts_stop_at_the_cap() {
        let mut b = TextBuf::default();
        assert!(!b.insert(&"é".repeat(MAX_TEXT_BYTES)));
        assert_eq!(b.text().len(), MAX_TEXT_BYTES);
    }
}
