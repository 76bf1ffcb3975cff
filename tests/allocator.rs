//! The binary's allocator (`errdex::allocator::Hybrid`), installed here as it is in `main.rs`: blocks from
//! before `bulk` stay the system allocator's, blocks after are mimalloc's, and each is freed and grown by the
//! one it came from, across threads too. One test: `bulk` is for the whole process.

use errdex::allocator::{self, Hybrid};
use errdex::catalog::Catalog;

#[global_allocator]
static ALLOCATOR: Hybrid = Hybrid;

fn from_mimalloc<T>(v: &[T]) -> bool {
    allocator::from_mimalloc(v.as_ptr().cast())
}

#[test]
fn blocks_go_back_to_the_allocator_they_came_from() {
    assert!(!allocator::is_bulk(), "nothing has loaded files yet");
    let mut small: Vec<u64> = (0..100).collect();
    let big: Vec<u8> = Vec::with_capacity(256 << 20);
    let strings: Vec<String> = (0..10_000).map(|i| format!("before {i}")).collect();
    assert!(!from_mimalloc(&small) && !from_mimalloc(&big));
    assert!(!strings.iter().any(|s| allocator::from_mimalloc(s.as_ptr())));

    // Loading a catalogue source switches to mimalloc.
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..50 {
        let record = format!(r#"{{"id": "t/r{i}", "signature": "boom {i}", "regex": "boom {i}"}}"#);
        std::fs::write(dir.path().join(format!("r{i}.json")), record).unwrap();
    }
    let catalog = Catalog::load(false, &[dir.path().to_path_buf()]);
    assert_eq!(catalog.len(), 50);
    assert!(allocator::is_bulk());

    let after: Vec<u64> = (0..100).collect();
    let huge: Vec<u8> = Vec::with_capacity(256 << 20);
    assert!(from_mimalloc(&after) && from_mimalloc(&huge));
    // Blocks from before are still told apart (mimalloc's page map is asked now).
    assert!(!from_mimalloc(&big));
    assert!(!strings.iter().any(|s| allocator::from_mimalloc(s.as_ptr())));
    // A block from before grows where it is, with the system allocator.
    small.extend(0..100_000);
    assert!(!from_mimalloc(&small));
    assert_eq!(small[100_099], 99_999);

    // Blocks of both kinds freed on other threads than the one that allocated them.
    let mixed: Vec<String> = strings
        .into_iter()
        .chain((0..10_000).map(|i| format!("after {i}")))
        .collect();
    let handles: Vec<_> = mixed
        .chunks(2_500)
        .map(|chunk| {
            let mut chunk = chunk.to_vec();
            std::thread::spawn(move || {
                for s in &mut chunk {
                    s.push_str(" and longer, so that it is reallocated");
                }
                chunk.iter().filter(|s| s.starts_with("after")).count()
            })
        })
        .collect();
    let afters: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(afters, 10_000);
    drop((mixed, big, huge, after, catalog));
}
