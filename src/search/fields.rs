//! Records' searchable fields packed into one string, record after record: scoring then reads memory in
//! order instead of chasing each record's separate strings. The fuzzy index keeps every record's this way,
//! and a narrowed search keeps a copy of its few survivors' (see `fuzzy::Chunk`).

/// Record k's text starts at `starts[k]`; its fields end at `ends[firsts[k]..firsts[k + 1]]`, counted from
/// there (a field starts where the one before ends). Field ends are `u32`, counted within their record
/// (a record is far shorter than 4 GiB), and field numbers `u32`: at 1,000,000 records, `usize` took 12 MB
/// more.
#[derive(Default)]
pub struct Packed {
    text: String,
    starts: Vec<usize>,
    ends: Vec<u32>,
    /// Record k's first field; one past the last record, the number of fields.
    firsts: Vec<u32>,
}

/// One record's fields, in order.
#[derive(Clone)]
pub struct Fields<'a> {
    /// The record's text.
    text: &'a str,
    from: usize,
    ends: std::slice::Iter<'a, u32>,
}

impl<'a> Iterator for Fields<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let end = *self.ends.next()? as usize;
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
        let start = self.text.len();
        self.starts.push(start);
        for f in fields {
            self.text.push_str(f);
            let end = u32::try_from(self.text.len() - start).expect("a record under 4 GiB");
            self.ends.push(end);
        }
        let fields = u32::try_from(self.ends.len()).expect("fewer than 2^32 fields");
        self.firsts.push(fields);
    }

    /// Room for `records` records of `fields` fields and `text` bytes in all, reserved once: a large index
    /// grown by doubling held up to twice itself for a moment.
    pub fn with_capacity(records: usize, fields: usize, text: usize) -> Packed {
        Packed {
            text: String::with_capacity(text),
            starts: Vec::with_capacity(records),
            ends: Vec::with_capacity(fields),
            firsts: Vec::with_capacity(records + 1),
        }
    }

    /// Drops every record, keeping the memory for the next ones.
    pub fn clear(&mut self) {
        self.text.clear();
        self.starts.clear();
        self.ends.clear();
        self.firsts.clear();
    }

    /// Record k's fields.
    pub fn get(&self, k: usize) -> Fields<'_> {
        let (first, last) = (self.firsts[k] as usize, self.firsts[k + 1] as usize);
        let end = (self.starts.get(k + 1)).map_or(self.text.len(), |&next| next);
        Fields {
            text: &self.text[self.starts[k]..end],
            from: 0,
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
