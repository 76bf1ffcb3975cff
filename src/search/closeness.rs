//! How nearly a log line is a record's signature, word for word, once what differs between any two
//! occurrences of the same error is set aside: paths, URLs, numbers, hex ids, quoted names, user@host. A line
//! that is the signature with another file name and port is a near-verbatim match (1.0); a regex that merely
//! also matches the line usually shares far fewer words in order.

/// A line's words, normalised: lower case; `<path>`, `<url>`, `<at>`, `<q>` (anything quoted), `<hex>`, and
/// digits inside words as `#` (`error[E0502]` gives `e#`), numbers and mostly-digit chunks (timestamps, addresses)
/// as `<n>`. Repeated placeholders count once.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |t: String, out: &mut Vec<String>| {
        if t.starts_with('<') && out.last() == Some(&t) {
            return;
        }
        out.push(t);
    };
    let chars: Vec<char> = text.chars().take(2000).collect();
    let mut chunk = String::new();
    let mut i = 0;
    while i <= chars.len() {
        let c = chars.get(i).copied();
        // An opening quote (not an apostrophe inside a word) up to its closing one on the same line.
        if let Some(q) = c.and_then(closing_quote)
            && (i == 0 || !chars[i - 1].is_alphanumeric())
            && let Some(len) = chars[i + 1..]
                .iter()
                .take(100)
                .take_while(|&&c| c != '\n')
                .position(|&c| c == q || (q == '\'' && c == '’'))
            && chars.get(i + 2 + len).is_none_or(|c| !c.is_alphanumeric())
        {
            flush(&mut chunk, &mut out, &mut push);
            push("<q>".into(), &mut out);
            i += len + 2;
            continue;
        }
        match c {
            Some(c) if !c.is_whitespace() => chunk.push(c),
            _ => flush(&mut chunk, &mut out, &mut push),
        }
        i += 1;
    }
    out
}

/// The quote that closes one opening with `c`, if `c` opens a quotation.
fn closing_quote(c: char) -> Option<char> {
    match c {
        '\'' | '"' | '`' => Some(c),
        '‘' => Some('’'),
        '“' => Some('”'),
        _ => None,
    }
}

/// One whitespace-separated chunk to tokens.
fn flush(
    chunk: &mut String,
    out: &mut Vec<String>,
    push: &mut impl FnMut(String, &mut Vec<String>),
) {
    if chunk.is_empty() {
        return;
    }
    let c = chunk.trim_matches(|c: char| !c.is_alphanumeric() && !"/\\~.<>_-".contains(c));
    let alnum = c.chars().any(char::is_alphanumeric);
    if c.contains("://") {
        push("<url>".into(), out);
    } else if alnum
        && (c.starts_with(['/', '~', '\\'])
            || c.starts_with("./")
            || c.starts_with("../")
            || c.get(1..3) == Some(":\\")
            || c.get(1..3) == Some(":/")
            || c.matches(['/', '\\']).count() >= 2
            || c.rsplit(['/', '\\'])
                .next()
                .is_some_and(|f| f.contains('.') && f.len() < c.len()))
    {
        push("<path>".into(), out);
    } else if let Some((user, host)) = c.split_once('@')
        && !user.is_empty()
        && host.chars().next().is_some_and(char::is_alphanumeric)
    {
        push("<at>".into(), out);
    } else if 2 * c.chars().filter(char::is_ascii_digit).count()
        >= c.chars().filter(|c| c.is_alphanumeric()).count()
    {
        // Mostly digits: a timestamp, an address, a version.
        push("<n>".into(), out);
    } else {
        for word in c.split(|c: char| !c.is_alphanumeric() && c != '_') {
            if word.is_empty() {
                continue;
            }
            let digits = word.chars().filter(char::is_ascii_digit).count();
            let t = if word.len() >= 6 && digits > 0 && word.chars().all(|c| c.is_ascii_hexdigit())
            {
                "<hex>".to_string()
            } else if digits == word.len() {
                "<n>".to_string()
            } else {
                let mut t = String::with_capacity(word.len());
                for ch in word.chars().flat_map(char::to_lowercase) {
                    if ch.is_ascii_digit() {
                        if !t.ends_with('#') {
                            t.push('#');
                        }
                    } else {
                        t.push(ch);
                    }
                }
                t
            };
            push(t, out);
        }
    }
    chunk.clear();
}

/// How nearly `line` is `signature` (both normalised): the share of the signature's words found in order in
/// the line, scaled down a little by the line's words the signature does not have. 1.0 for the same words.
pub fn closeness(line: &[String], signature: &[String]) -> f64 {
    if line.is_empty() || signature.is_empty() {
        return 0.0;
    }
    let common = lcs(line, signature) as f64;
    let recall = common / signature.len() as f64;
    let precision = common / line.len() as f64;
    recall * (0.75 + 0.25 * precision)
}

/// Length of the longest common subsequence (at most 64 words of each side count).
fn lcs(a: &[String], b: &[String]) -> usize {
    let (a, b) = (&a[..a.len().min(64)], &b[..b.len().min(64)]);
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diag = 0;
        for (j, y) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if x == y { diag + 1 } else { up.max(row[j]) };
            diag = up;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Vec<String> {
        tokens(s)
    }

    #[test]
    fn paths_numbers_ids_quotes_and_users_are_set_aside() {
        assert_eq!(
            t("ModuleNotFoundError: No module named 'torch'"),
            t("ModuleNotFoundError: No module named “flask”")
        );
        assert_eq!(
            t("open /home/ana/app/config.yml: no such file"),
            t("open C:\\Users\\bob\\config.yml: no such file")
        );
        assert_eq!(
            t("Merge conflict in lib/app.rs"),
            t("Merge conflict in src/main.py")
        );
        assert_eq!(
            t("listen tcp 0.0.0.0:8080: bind: address already in use"),
            t("listen tcp 127.0.0.1:3000: bind: address already in use")
        );
        assert_eq!(
            t("container 3f2a9c1e8b7d is not running"),
            t("container a1b2c3d4e5f6 is not running")
        );
        assert_eq!(
            t("ana@devbox: Permission denied (publickey)."),
            t("git@github.com: Permission denied (publickey).")
        );
        assert_eq!(
            t("error[E0502]: cannot borrow"),
            ["error", "e#", "cannot", "borrow"]
        );
        assert_eq!(
            t("can't open file"),
            ["can", "t", "open", "file"],
            "an apostrophe is no quote"
        );
    }

    #[test]
    fn the_signature_itself_is_closest() {
        let line = t("zsh: command not found: conda");
        let conda = closeness(&line, &t("zsh: command not found: conda"));
        let generic = closeness(&line, &t("bash: foo: command not found"));
        assert_eq!(conda, 1.0);
        assert!(generic < 0.8, "{generic}");
        let prefixed = closeness(
            &t("2024-05-01T10:00:00Z app[web.1]: zsh: command not found: conda"),
            &t("zsh: command not found: conda"),
        );
        assert!(prefixed > 0.85, "{prefixed}");
        assert_eq!(closeness(&[], &t("x")), 0.0);
    }
}
