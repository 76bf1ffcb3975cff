//! Which lines of a log say what went wrong. A Python traceback ends in its `XxxError:` line; cargo prints
//! `error[E…]`; git prints `fatal:`; npm prints `npm ERR!` blocks; Go prints `panic:`; kubectl's events carry
//! `Warning  BackOff`. A regex match on such a line explains the log better than one on a stack frame.

/// A line of the message with how strongly it looks like the error itself, in 0..=1.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyLine<'a> {
    /// Byte offset of the line in the message.
    pub start: usize,
    pub text: &'a str,
    pub weight: f64,
}

/// Every non-blank line with its weight. The last strong line of a Python traceback weighs most.
pub fn key_lines(message: &str) -> Vec<KeyLine<'_>> {
    let mut lines = Vec::new();
    let mut offset = 0;
    let mut in_traceback = false;
    for raw in message.split('\n') {
        let start = offset;
        offset += raw.len() + 1;
        let text = raw.trim_end_matches('\r');
        if text.trim().is_empty() {
            continue;
        }
        if text.starts_with("Traceback (most recent call last)") {
            in_traceback = true;
        }
        let weight = line_weight(text, in_traceback);
        lines.push(KeyLine {
            start,
            text,
            weight,
        });
    }
    // Only the final exception line of a traceback is the error; earlier `XxxError:` lines are chained causes.
    if let Some(last) = lines.iter().rposition(|l| is_exception_line(l.text)) {
        for (i, l) in lines.iter_mut().enumerate() {
            if is_exception_line(l.text) && i != last {
                l.weight = l.weight.min(0.7);
            }
        }
    }
    lines
}

/// The heaviest lines (ties: the later one), for similarity scoring.
pub fn strongest(lines: &[KeyLine<'_>]) -> Option<f64> {
    lines
        .iter()
        .map(|l| l.weight)
        .fold(None, |m, w| Some(m.map_or(w, |m: f64| m.max(w))))
}

fn is_exception_line(line: &str) -> bool {
    let head = line.trim_start();
    let name = head.split(':').next().unwrap_or("");
    !name.contains(' ')
        && head.contains(':')
        && (name.ends_with("Error")
            || name.ends_with("Exception")
            || name.ends_with("Warning")
            || name.ends_with("Exit"))
        && !head.starts_with("File ")
}

fn line_weight(line: &str, in_traceback: bool) -> f64 {
    let t = line.trim_start();
    let lower = t.to_lowercase();
    if is_exception_line(t) {
        return 1.0;
    }
    let strong = [
        "error[e",
        "error:",
        "error ",
        "fatal:",
        "fatal error",
        "panic:",
        "npm err!",
        "err!",
        "exception",
        "traceback",
        "failed",
        "failure",
        "denied",
        "refused",
        "not found",
        "cannot",
        "can't",
        "unable to",
        "no such",
        "invalid",
        "undefined",
        "warning:",
        "crashloopbackoff",
        "backoff",
        "oomkilled",
        "killed",
        "timed out",
        "timeout",
        "e: ",
        "conflict",
    ];
    if strong.iter().any(|k| lower.starts_with(k)) {
        return 0.95;
    }
    if strong.iter().any(|k| lower.contains(k)) {
        return 0.8;
    }
    // Stack frames and source excerpts: part of the log, rarely the error.
    if in_traceback && (t.starts_with("File \"") || line.starts_with("    "))
        || t.starts_with("at ")
    {
        return 0.2;
    }
    0.5
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heaviest(message: &str) -> &str {
        let lines = key_lines(message);
        let max = strongest(&lines).unwrap_or(0.0);
        lines
            .iter()
            .rev()
            .find(|l| l.weight == max)
            .map_or("", |l| l.text)
    }

    #[test]
    fn python_traceback_ends_in_its_error() {
        let log = "Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>\n    import requests\nModuleNotFoundError: No module named 'requests'\n";
        assert_eq!(
            heaviest(log),
            "ModuleNotFoundError: No module named 'requests'"
        );
        let lines = key_lines(log);
        assert_eq!(lines[1].weight, 0.2, "stack frames weigh little");
    }

    #[test]
    fn chained_exceptions_keep_the_last() {
        let log = "KeyError: 'x'\n\nDuring handling of the above exception, another exception occurred:\n\nRuntimeError: wrapped";
        let lines = key_lines(log);
        assert_eq!(heaviest(log), "RuntimeError: wrapped");
        assert!(lines[0].weight < 1.0);
    }

    #[test]
    fn cargo_git_npm_go_and_kubectl_lines() {
        let cargo = "   Compiling app v0.1.0\nerror[E0502]: cannot borrow `x` as mutable because it is also borrowed as immutable\n --> src/main.rs:4:5\n";
        assert!(heaviest(cargo).starts_with("error[E0502]"));
        let npm = "npm ERR! code EACCES\nnpm ERR! syscall mkdir\nnpm ERR! path /usr/local/lib/node_modules\n";
        assert!(heaviest(npm).starts_with("npm ERR!"));
        let go = "goroutine 1 [running]:\npanic: runtime error: invalid memory address or nil pointer dereference\nmain.main()\n";
        assert!(heaviest(go).starts_with("panic:"));
        let git = "To github.com:me/app.git\n ! [rejected]        main -> main (fetch first)\nerror: failed to push some refs to 'github.com:me/app.git'\n";
        assert!(heaviest(git).starts_with("error: failed to push"));
        let kubectl = "Events:\n  Normal   Pulled     2m   kubelet  Container image pulled\n  Warning  BackOff    1m   kubelet  Back-off restarting failed container\n";
        assert!(heaviest(kubectl).contains("Back-off restarting"));
    }

    #[test]
    fn offsets_point_into_the_message() {
        let msg = "a\r\n\nerror: b\n";
        let lines = key_lines(msg);
        assert_eq!(lines.len(), 2);
        assert_eq!(
            &msg[lines[1].start..lines[1].start + lines[1].text.len()],
            "error: b"
        );
    }
}
