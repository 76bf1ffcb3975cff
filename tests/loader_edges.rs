//! Edges of finding and reading catalogues, through the real binary: a tree nested 2,000 levels deep, the
//! same file named twice, a catalogue streamed through a named pipe, a UTF-16 file; and the CLI's refusal of
//! `--limit 0`.

mod common;

use assert_cmd::Command;
use std::fs;

fn errdex() -> Command {
    let mut c = Command::cargo_bin("errdex").expect("binary");
    c.env("NO_COLOR", "1");
    // The persistent index goes under target/, never into the real home.
    c.env(
        "XDG_CACHE_HOME",
        concat!(env!("CARGO_TARGET_TMPDIR"), "/xdg-cache"),
    );
    c
}

const RECORD: &str = r#"{"id": "edge/deep", "signature": "edge: deep down", "signature_zh": "边缘：在深处", "regex": "edge: deep", "workarounds": [], "workarounds_zh": []}"#;

/// Each directory is known by its device and inode, so the walk is one `stat` an entry; resolving each
/// directory's real path re-read every ancestor (2,000 levels took over 30 s). A benchmark row, not a
/// timing, says how fast; this says that it finishes and finds the record at the bottom.
#[cfg(unix)]
#[test]
fn a_tree_nested_two_thousand_levels_deep_is_walked() {
    let top = tempfile::tempdir().expect("tempdir");
    // 2,000 one-letter levels: about 4,000 bytes of path, inside PATH_MAX.
    let dir = top.path().join(vec!["d"; 2_000].join("/"));
    fs::create_dir_all(&dir).expect("mkdir");
    fs::write(dir.join("r.json"), RECORD).expect("write");
    let out = errdex()
        .args(["check"])
        .arg(top.path())
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.ends_with("1 records from 1 files: 0 errors, 0 warnings\n"),
        "{text}"
    );
}

#[test]
fn a_file_named_twice_is_read_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("r.json");
    fs::write(&file, RECORD).expect("write");
    let out = errdex()
        .arg("check")
        .arg(&file)
        .arg(&file)
        .arg(dir.path())
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("duplicate"), "{text}");
    assert!(
        text.ends_with("1 records from 1 files: 0 errors, 0 warnings\n"),
        "{text}"
    );
}

/// `errdex -c <(curl ...)`: a named pipe given on the command line is read to its end.
#[cfg(unix)]
#[test]
fn a_catalogue_named_as_a_pipe_is_read_as_a_stream() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("stream.jsonl");
    let c = std::ffi::CString::new(fifo.to_str().expect("utf-8")).expect("no NUL");
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let line = RECORD.replace('\n', "");
            fs::write(fifo, format!("{line}\n")).expect("write the pipe");
        })
    };
    let out = errdex()
        .args(["--no-default", "-c"])
        .arg(&fifo)
        .args(["lookup", "edge: deep down"])
        .output()
        .expect("run");
    writer.join().expect("writer");
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("edge/deep"));
}

/// A pipe met while walking a directory is not waited on: nobody may ever write to it.
#[cfg(unix)]
#[test]
fn a_pipe_inside_a_directory_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let c =
        std::ffi::CString::new(dir.path().join("p.json").to_str().expect("utf-8")).expect("no NUL");
    // SAFETY: as above.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
    fs::write(dir.path().join("r.json"), RECORD).expect("write");
    let out = errdex()
        .arg("check")
        .arg(dir.path())
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("p.json:1:1: error: not a regular file"),
        "{text}"
    );
    assert!(text.contains("1 records from 2 files"), "{text}");
}

#[test]
fn a_utf16_file_is_named_as_such() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, bom) in [("le.json", &[0xFF, 0xFE][..]), ("plain.json", &[][..])] {
        let mut bytes = bom.to_vec();
        for unit in RECORD.encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        fs::write(dir.path().join(name), bytes).expect("write");
    }
    let out = errdex().arg("check").arg(dir.path()).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    for name in ["le.json", "plain.json"] {
        let path = dir.path().join(name).display().to_string();
        assert!(
            text.contains(&format!(
                "{path}:1:1: error: the file is UTF-16, which is not supported; save it as UTF-8"
            )),
            "{text}"
        );
    }
}

#[test]
fn a_limit_of_zero_is_refused_with_a_reason() {
    for command in [&["lookup", "exec format error"][..], &["search", "exec"]] {
        let out = errdex()
            .args(command)
            .args(["--limit", "0"])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("0 would print nothing; give 1 or more"),
            "{out:?}"
        );
    }
}
