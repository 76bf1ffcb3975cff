//! Where each record of a catalogue starts: its file, line and column, 12 bytes a record (a `Position` each
//! was 32: 20 MB more at 1,000,000 records, where the browser's memory is counted to the megabyte). Records
//! come file by file, so each file's name is kept once.

use super::diagnostic::Position;
use std::sync::Arc;

#[derive(Debug, Default, Clone)]
pub struct Origins {
    /// File names, each once in a row of records from it.
    paths: Vec<Arc<str>>,
    /// (file name, line, column) of each record; a line or column past `u32::MAX` (a file of over four
    /// billion lines) is kept as `u32::MAX`.
    at: Vec<(u32, u32, u32)>,
}

impl Origins {
    pub fn len(&self) -> usize {
        self.at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    pub fn reserve(&mut self, n: usize) {
        self.at.reserve(n);
    }

    pub fn reserve_exact(&mut self, n: usize) {
        self.at.reserve_exact(n);
    }

    pub fn push(&mut self, at: Position) {
        let Position { path, line, column } = at;
        let same = (self.paths.last()).is_some_and(|p| Arc::ptr_eq(p, &path) || **p == *path);
        if !same {
            self.paths.push(path);
        }
        let small = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let path = u32::try_from(self.paths.len() - 1).expect("fewer than 2^32 files");
        self.at.push((path, small(line), small(column)));
    }

    /// Where record `i` starts.
    pub fn get(&self, i: usize) -> Position {
        let (path, line, column) = self.at[i];
        Position {
            path: self.paths[path as usize].clone(),
            line: line as usize,
            column: column as usize,
        }
    }

    /// Where each record starts, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Position> + DoubleEndedIterator + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Whether record `i`'s file is record `j`'s.
    pub fn same_file(&self, i: usize, j: usize) -> bool {
        self.at[i].0 == self.at[j].0
    }
}

/// Equal when every record starts at the same place.
impl PartialEq for Origins {
    fn eq(&self, other: &Origins) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Extend<Position> for Origins {
    fn extend<I: IntoIterator<Item = Position>>(&mut self, iter: I) {
        iter.into_iter().for_each(|at| self.push(at));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_read_back_as_pushed() {
        let (a, b): (Arc<str>, Arc<str>) = ("a.json".into(), "b.json".into());
        let at = |path: &Arc<str>, line, column| Position {
            path: path.clone(),
            line,
            column,
        };
        let pushed = [
            at(&a, 1, 1),
            at(&a, 7, 3),
            at(&b, 2, 5),
            at(&"a.json".into(), 9, 1),
            at(&a, usize::MAX, 2),
        ];
        let mut origins = Origins::default();
        origins.extend(pushed.iter().cloned());
        assert_eq!(origins.len(), 5);
        let read: Vec<Position> = origins.iter().collect();
        assert_eq!(read[..4], pushed[..4]);
        assert_eq!(read[4].line, u32::MAX as usize);
        assert!(origins.same_file(0, 1) && !origins.same_file(1, 2) && !origins.same_file(2, 3));
        assert_eq!(origins.paths.len(), 3, "a name kept once in a row");
    }
}
