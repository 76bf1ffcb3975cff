//! Records' searchable fields packed into one string, record after record: scoring then reads memory in
//! order instead of chasing each record's separate strings. The fuzzy index keeps every record's this way,
//! and a narrowed search keeps a copy of its few survivors' (see `fuzzy::Chunk`).

/// Record k's fields are `text[ends[firsts[k] - 1]..ends[firsts[k]]]` and so on up to `ends[firsts[k + 1] - 1]`
/// (a field starts where the one before ends).
#[derive(Default)]
pub struct Packed {
    text: String,
    ends: Vec<usize>,
    /// Record k's first field; one past the last record, the number of fields.
    firsts: Vec<usize>,
}

/// One record's fields, in order.
#[derive(Clone)]
pub struct Fields<'a> {
    text: &'a str,
    from: usize,
    ends: std::slice::Iter<'a, usize>,
}

impl<'a> Iterator for Fields<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let end = *self.ends.next()?;
        let field = &self.text[self.from..end];
        self.from = end;
        Some(field)
    }
}

impl Packed {
    /// Adds a record with these fields after the others.
    pub fn push<'a>(&mut self, fields: impl Iterator<Item = &'a str>) {
        if self.firsts.is_empty() {
            self.firsts.push(0);
        }
        for f in fields {
            self.text.push_str(f);
            self.ends.push(self.text.len());
        }
        self.firsts.push(self.ends.len());
    }

    /// Room for `records` records of `fields` fields and `text` bytes in all, reserved once: a large index
    /// grown by doubling held up to twice itself for a moment.
    pub fn with_capacity(records: usize, fields: usize, text: usize) -> Packed {
        Packed {
            text: String::with_capacity(text),
            ends: Vec::with_capacity(fields),
            firsts: Vec::with_capacity(records + 1),
        }
    }

    /// Drops every record, keeping the memory for the next ones.
    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.firsts.clear();
    }

    /// Record k's fields.
    pub fn get(&self, k: usize) -> Fields<'_> {
        let (first, last) = (self.firsts[k], self.firsts[k + 1]);
        Fields {
            text: &self.text,
            from: if first == 0 { 0 } else { self.ends[first - 1] },
            ends: self.ends[first..last].iter(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(p: &Packed) -> Vec<Vec<&str>> {
        let records = p.firsts.len().saturating_sub(1);
        (0..records).map(|k| p.get(k).collect()).collect()
    }

    #[test]
    fn records_read_back_as_pushed() {
        let mut a = Packed::default();
        assert!(all(&a).is_empty());
        a.push(["exec format", "", "docker/x"].into_iter());
        a.push(std::iter::empty());
        a.push(["连接被拒绝", "id"].into_iter());
        let expected = [
            vec!["exec format", "", "docker/x"],
            vec![],
            vec!["连接被拒绝", "id"],
        ];
        assert_eq!(all(&a), expected);
        // Reserved exactly, the same.
        let mut exact = Packed::with_capacity(3, 5, a.text.len());
        for k in 0..3 {
            exact.push(a.get(k));
        }
        assert_eq!(all(&exact), expected);
        assert_eq!(exact.text.capacity(), exact.text.len());
        a.clear();
        assert!(all(&a).is_empty());
        a.push(["again"].into_iter());
        assert_eq!(all(&a), [vec!["again"]]);
    }
}
