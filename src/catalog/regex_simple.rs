//! The fast path of `regex_facts::parse`: the simple patterns most catalogue regexes are, parsed by hand
//! into the `Hir` regex_syntax would build (its own smart constructors, called as its translator calls them),
//! about three times faster than regex_syntax, which builds an AST first. Anything else is `None`, and
//! `parse` asks regex_syntax. Equality with regex_syntax is tested here and on every seed and corpus regex
//! (`tests/regex_fast_path.rs`).

use regex_syntax::hir::{
    Capture, Class, ClassUnicode, ClassUnicodeRange, Dot, Hir, HirKind, Look, Repetition,
};
use std::sync::OnceLock;

/// `parse` for the simple patterns most catalogue regexes are (text, `.*`, `.{0,15}`, `|`, groups, `\s`,
/// `[...]`, `(?i)`), about three times faster than regex_syntax, which builds an AST first. The `Hir` comes from
/// regex_syntax's own smart constructors, called as its translator calls them, so it equals what
/// regex_syntax gives. `None` for anything else, valid or not: the caller then asks regex_syntax, which
/// also reports the errors.
#[doc(hidden)]
pub fn parse_simple(pattern: &str) -> Option<Hir> {
    let mut parser = Simple {
        pattern,
        pos: 0,
        captures: 0,
        flags: Flags::default(),
    };
    let hir = parser.alternation(0)?;
    // A `)` left over is unmatched.
    (parser.pos == pattern.len()).then_some(hir)
}

/// Groups nested deeper than this are left to regex_syntax: it alone counts nesting as `REGEX_NEST_LIMIT`
/// means it, and within this depth no pattern of the subset comes near that limit.
const SIMPLE_MAX_DEPTH: u32 = 8;

struct Simple<'p> {
    pattern: &'p str,
    pos: usize,
    /// Capture groups opened so far: regex_syntax numbers them from 1 in the order of their `(`.
    captures: u32,
    /// In force until the end of the group that sets them.
    flags: Flags,
}

/// The flags this parser knows (regex_syntax's others are left to it).
#[derive(Clone, Copy, Default)]
struct Flags {
    /// `i`
    fold: bool,
    /// `m`
    multi_line: bool,
    /// `s`
    dot_all: bool,
}

/// What a repetition operator read next would repeat.
#[derive(Clone, Copy)]
enum Last {
    /// Nothing (the start of a branch, a `(?i)`): an error. Or a repetition: valid (`a**`), but rare.
    Refused,
    /// The last character of the pending text, this many bytes long.
    Char(usize),
    /// The last item.
    Item,
}

/// A concatenation being read. Adjacent characters share one literal, as in regex_syntax's translator
/// (and `Hir::concat` would merge them anyway).
struct Concat {
    items: Vec<Hir>,
    text: Vec<u8>,
    last: Last,
}

impl Concat {
    fn push(&mut self, hir: Hir) {
        self.flush();
        self.items.push(hir);
        self.last = Last::Item;
    }

    fn push_char(&mut self, c: char) {
        let mut buf = [0; 4];
        self.text
            .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        self.last = Last::Char(c.len_utf8());
    }

    fn flush(&mut self) {
        if !self.text.is_empty() {
            self.items
                .push(Hir::literal(std::mem::take(&mut self.text)));
        }
    }
}

/// What an escape stands for.
enum Escape {
    Char(char),
    Perl(&'static ClassUnicode),
    Look(Look),
}

impl Simple<'_> {
    fn peek(&self) -> Option<char> {
        self.pattern[self.pos..].chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, s: &str) -> bool {
        let found = self.pattern[self.pos..].starts_with(s);
        if found {
            self.pos += s.len();
        }
        found
    }

    /// Branches separated by `|`, up to a `)` or the end.
    fn alternation(&mut self, depth: u32) -> Option<Hir> {
        let mut branches = vec![self.concat(depth)?];
        while self.eat("|") {
            branches.push(self.concat(depth)?);
        }
        if branches.len() == 1 {
            branches.pop()
        } else {
            Some(Hir::alternation(branches))
        }
    }

    /// One branch, up to a `|`, a `)` or the end.
    fn concat(&mut self, depth: u32) -> Option<Hir> {
        let mut concat = Concat {
            items: Vec::new(),
            text: Vec::new(),
            last: Last::Refused,
        };
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            self.pos += c.len_utf8();
            let item = match c {
                '*' | '+' | '?' | '{' => {
                    let (min, max) = match c {
                        '*' => (0, None),
                        '+' => (1, None),
                        '?' => (0, Some(1)),
                        _ => self.counts()?,
                    };
                    let greedy = !self.eat("?");
                    let sub = match concat.last {
                        Last::Char(len) => {
                            let sub = concat.text.split_off(concat.text.len() - len);
                            concat.flush();
                            Hir::literal(sub)
                        }
                        Last::Item => concat.items.pop()?,
                        Last::Refused => return None,
                    };
                    concat.items.push(Hir::repetition(Repetition {
                        min,
                        max,
                        greedy,
                        sub: Box::new(sub),
                    }));
                    concat.last = Last::Refused;
                    continue;
                }
                '(' => match self.group(depth)? {
                    Some(group) => group,
                    // A directive (`(?i)`), no expression: nothing to repeat after it.
                    None => {
                        concat.last = Last::Refused;
                        continue;
                    }
                },
                '[' => self.class()?,
                '.' if self.flags.dot_all => Hir::dot(Dot::AnyChar),
                '.' => Hir::dot(Dot::AnyCharExcept('\n')),
                '^' if self.flags.multi_line => Hir::look(Look::StartLF),
                '^' => Hir::look(Look::Start),
                '$' if self.flags.multi_line => Hir::look(Look::EndLF),
                '$' => Hir::look(Look::End),
                '\\' => match self.escape()? {
                    Escape::Char(c) => {
                        self.char(&mut concat, c)?;
                        continue;
                    }
                    Escape::Perl(class) => Hir::class(Class::Unicode(class.clone())),
                    Escape::Look(look) => Hir::look(look),
                },
                c => {
                    self.char(&mut concat, c)?;
                    continue;
                }
            };
            concat.push(item);
        }
        concat.flush();
        Some(Hir::concat(concat.items))
    }

    /// A literal character: under `(?i)`, the class of its case variants if it has any, as regex_syntax
    /// makes it.
    fn char(&self, concat: &mut Concat, c: char) -> Option<()> {
        if self.flags.fold {
            let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
            class.try_case_fold_simple().ok()?;
            if class.ranges() != [ClassUnicodeRange::new(c, c)] {
                concat.push(Hir::class(Class::Unicode(class)));
                return Some(());
            }
        }
        concat.push_char(c);
        Some(())
    }

    /// After `(`: a group up to its `)`, or `Some(None)` for a flag directive (`(?i)`).
    fn group(&mut self, depth: u32) -> Option<Option<Hir>> {
        let outer = self.flags;
        let index = if self.eat("?") {
            if self.set_flags()? == ')' {
                return Some(None);
            }
            None
        } else {
            self.captures = self.captures.checked_add(1)?;
            Some(self.captures)
        };
        if depth >= SIMPLE_MAX_DEPTH {
            return None;
        }
        let sub = self.alternation(depth + 1)?;
        if !self.eat(")") {
            return None;
        }
        // Flags set inside end with the group.
        self.flags = outer;
        Some(Some(match index {
            Some(index) => Hir::capture(Capture {
                index,
                name: None,
                sub: Box::new(sub),
            }),
            None => sub,
        }))
    }

    /// After `(?`: sets the flags read, up to the `)` of a directive or the `:` of a group, and returns that
    /// character. `None` for anything else: other flags, `-`, a flag twice, `(?)`, names, look-around.
    fn set_flags(&mut self) -> Option<char> {
        let mut read = Flags::default();
        let end = loop {
            match self.next()? {
                'i' if !read.fold => read.fold = true,
                'm' if !read.multi_line => read.multi_line = true,
                's' if !read.dot_all => read.dot_all = true,
                c @ (')' | ':') => break c,
                _ => return None,
            }
        };
        let any = read.fold || read.multi_line || read.dot_all;
        if end == ')' && !any {
            return None;
        }
        self.flags.fold |= read.fold;
        self.flags.multi_line |= read.multi_line;
        self.flags.dot_all |= read.dot_all;
        Some(end)
    }

    /// After `{`: `{n}`, `{n,}` or `{n,m}` with `n <= m`, up to its `}`.
    fn counts(&mut self) -> Option<(u32, Option<u32>)> {
        let min = self.decimal()?;
        let max = if !self.eat(",") {
            Some(min)
        } else if self.peek() == Some('}') {
            None
        } else {
            Some(self.decimal()?)
        };
        (self.eat("}") && max.is_none_or(|max| min <= max)).then_some((min, max))
    }

    /// At most nine digits, which always fit the `u32` regex_syntax reads (more may not: an error).
    fn decimal(&mut self) -> Option<u32> {
        let rest = &self.pattern[self.pos..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        self.pos += digits;
        rest[..digits].parse().ok()
    }

    /// After `\`.
    fn escape(&mut self) -> Option<Escape> {
        let c = self.next()?;
        Some(match c {
            'd' | 's' | 'w' | 'D' | 'S' | 'W' => Escape::Perl(perl_class(c)?),
            // `\b{start}` and the like.
            'b' | 'B' if self.peek() == Some('{') => return None,
            'b' => Escape::Look(Look::WordUnicode),
            'B' => Escape::Look(Look::WordUnicodeNegate),
            'A' => Escape::Look(Look::Start),
            'z' => Escape::Look(Look::End),
            'n' => Escape::Char('\n'),
            't' => Escape::Char('\t'),
            'r' => Escape::Char('\r'),
            // Punctuation (and space) escaped stands for itself; `\<` `\>` are word boundaries.
            ' ' => Escape::Char(c),
            c if c.is_ascii_punctuation() && c != '<' && c != '>' => Escape::Char(c),
            _ => return None,
        })
    }

    /// After `[`: characters, ranges and Perl classes, up to the `]`.
    fn class(&mut self) -> Option<Hir> {
        let negated = self.eat("^");
        let mut class = ClassUnicode::empty();
        // Leading `-`s are literal.
        while self.eat("-") {
            class.push(ClassUnicodeRange::new('-', '-'));
        }
        // A `]` first is literal: left to regex_syntax, as are nested classes and `&&` `--` `~~`.
        if class.ranges().is_empty() && self.peek() == Some(']') {
            return None;
        }
        loop {
            let c = self.next()?;
            let start = match c {
                ']' => break,
                '[' => return None,
                '&' | '-' | '~' if self.peek() == Some(c) => return None,
                '\\' => match self.escape()? {
                    Escape::Char(c) => c,
                    Escape::Perl(perl) => {
                        class.union(perl);
                        if self.range_follows() {
                            return None;
                        }
                        continue;
                    }
                    Escape::Look(_) => return None,
                },
                c => c,
            };
            let end = if self.range_follows() {
                self.pos += 1;
                match self.next()? {
                    '\\' => match self.escape()? {
                        Escape::Char(c) => c,
                        _ => return None,
                    },
                    '[' => return None,
                    c => c,
                }
            } else {
                start
            };
            if end < start {
                return None;
            }
            class.push(ClassUnicodeRange::new(start, end));
        }
        if self.flags.fold {
            class.try_case_fold_simple().ok()?;
        }
        if negated {
            class.negate();
        }
        Some(Hir::class(Class::Unicode(class)))
    }

    /// Whether a `-` here makes a range: not before `]` (a literal `-`) nor `-` (`--`).
    fn range_follows(&self) -> bool {
        let mut rest = self.pattern[self.pos..].chars();
        rest.next() == Some('-') && !matches!(rest.next(), Some(']' | '-'))
    }
}

/// `\d \s \w \D \S \W` as regex_syntax makes them from its Unicode tables: built once, cloned after.
fn perl_class(c: char) -> Option<&'static ClassUnicode> {
    const NAMES: &str = "dswDSW";
    static CLASSES: OnceLock<Vec<Option<ClassUnicode>>> = OnceLock::new();
    let classes = CLASSES.get_or_init(|| {
        NAMES
            .chars()
            .map(
                |c| match regex_syntax::parse(&format!("\\{c}")).ok()?.into_kind() {
                    HirKind::Class(Class::Unicode(class)) => Some(class),
                    _ => None,
                },
            )
            .collect()
    });
    classes[NAMES.find(c)?].as_ref()
}

#[cfg(test)]
mod tests {
    use super::super::{REGEX_NEST_LIMIT, parse, parse_in_full as slow};
    use super::*;

    /// Whether the fast path takes `pattern`; what it builds must be regex_syntax's, and `parse` must give
    /// what regex_syntax gives either way.
    fn fast(pattern: &str) -> bool {
        let fast = parse_simple(pattern);
        if let Some(hir) = &fast {
            assert_eq!(Some(hir), slow(pattern).as_ref(), "{pattern:?}");
        }
        assert_eq!(parse(pattern), slow(pattern), "{pattern:?}");
        fast.is_some()
    }

    fn nested(depth: usize) -> String {
        format!("{}a{}", "(".repeat(depth), ")".repeat(depth))
    }

    #[test]
    fn the_fast_path_builds_what_regex_syntax_builds() {
        let patterns = [
            "",
            "a",
            "a|",
            "|a",
            "a||b",
            "()",
            "(?:)",
            "(|)",
            "(?:)*",
            "()+",
            // Repetitions take the last character of a text, and merge with nothing.
            "abc+d",
            "x{2}",
            "x{2,}",
            "x{2,5}",
            "x{0}",
            "x{1}",
            "x{0,0}",
            "x{007}",
            "x*?",
            "x+?",
            "x??",
            "x{2,3}?",
            "a.*b",
            ".+",
            "^$",
            "^*",
            r"\Aa\z",
            r"\bword\B",
            r#"\. \\ \( \) \[ \] \{ \} \| \* \+ \? \^ \$ \- \/ \: \ \# \& \~ \_ \' \""#,
            r"a\n\t\r",
            "a]b}c",
            "# & - ~",
            r"\s\d\w\S\D\W+",
            "[abc]",
            "[a]",
            "[.]x",
            "[a-z0-9_]+",
            r#"[^"\s]"#,
            "[-a]",
            "[--a]",
            "[a-]",
            "[\\d-]",
            r"[\]\[\-\\]",
            "[&~a]",
            "[é-ü找]",
            "[^\\s\\S]",
            "(a)(b(c))|(d)",
            "((((((((a))))))))",
            "(?:remote rejected|\\[remote rejected\\]|denied by.*(?:hook|policy|protection))",
            "(japan.{0,15}evacuation (site|shelter)|hinanjo|hinanbasho)",
            "(a|b|c)",
            "abc|abd",
            // Case folding: letters (with KELVIN SIGN and LONG S), not digits or punctuation.
            "(?i)Kill -9 s",
            "(?i)abc|def",
            "a(?i)b|c",
            "(a(?i)b)c",
            "(?i:ab)c",
            "(?i)[a-f]",
            "(?i)[^k]",
            "(?i)éΣß找",
            "x(?i)",
            "((?i))",
            "(?m)^a$",
            "(?s).",
            "(?ims:^.$)",
            "(?i)(?i)a",
            "找不到模块 'x(y)+'",
            "컨테이너를 찾을 수 없습니다",
        ];
        for pattern in patterns {
            assert!(fast(pattern), "{pattern:?}");
        }
        assert!(fast(&nested(SIMPLE_MAX_DEPTH as usize)));
    }

    #[test]
    fn the_fast_path_leaves_errors_to_regex_syntax() {
        let patterns = [
            "(",
            ")",
            "a)",
            "(a",
            "((a)",
            "*",
            "+a",
            "?",
            "a|*",
            "(*)",
            "(?i)*",
            "a(?i)+",
            "x{",
            "x{2",
            "x{2,",
            "x{a}",
            "x{}",
            "x{,3}",
            "x{3,2}",
            "{2}",
            "x{99999999999}",
            "[",
            "[a",
            "[]",
            "[^]",
            "[z-a]",
            "[a-",
            r"[\d-z]",
            r"[a-\d]",
            r"[\b]",
            "\\",
            r"\q",
            r"\8",
            r"\é",
            "(?)",
            "(?ii)",
            "(?i-)",
            "(?z)",
            "(?i",
            "(?=a)",
        ];
        for pattern in patterns {
            assert!(slow(pattern).is_none(), "{pattern:?}");
            assert!(!fast(pattern), "{pattern:?}");
        }
        assert!(slow(&nested(REGEX_NEST_LIMIT as usize + 1)).is_none());
        assert!(!fast(&nested(REGEX_NEST_LIMIT as usize + 1)));
    }

    #[test]
    fn the_fast_path_leaves_rarer_constructs_to_regex_syntax() {
        let patterns = [
            "a**",
            "x{2}{3}",
            "x{ 2 }",
            "(?P<n>a)",
            "(?<n>a)",
            "(?x)a b",
            "(?-i)a",
            "(?U)a*",
            "(?u)a",
            r"\pL",
            r"\p{Greek}",
            r"\x41",
            r"\u{41}",
            r"\v",
            "[[:alpha:]]",
            "[a[b]]",
            "[a&&b]",
            "[a-c--b]",
            "[]a]",
            r"\b{start}",
            r"\<word\>",
        ];
        for pattern in patterns {
            assert!(slow(pattern).is_some(), "{pattern:?}");
            assert!(!fast(pattern), "{pattern:?}");
        }
        // Deeper than the fast path goes, within the nest limit.
        assert!(!fast(&nested(SIMPLE_MAX_DEPTH as usize + 1)));
    }
}
