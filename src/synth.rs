//! A deterministic synthetic catalogue for benchmarks: N realistic records (varied signatures with real-looking
//! paths, modules, ports and versions; regexes that match them; English and Chinese text), as JSONL.

use std::io::Write;

/// A small, fast, seedable generator (xorshift64*): the same seed always writes the same catalogue.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    pub fn rate(&mut self) -> f64 {
        (50 + self.below(50)) as f64 / 100.0
    }
}

/// (domain, signature template, regex template, Chinese template). `{a}` and `{b}` are filled per record.
const FAMILIES: &[(&str, &str, &str, &str)] = &[
    (
        "python",
        "ModuleNotFoundError: No module named '{a}'",
        r"ModuleNotFoundError: No module named '{a}'",
        "ModuleNotFoundError：找不到模块 '{a}'",
    ),
    (
        "python",
        "ImportError: cannot import name '{b}' from '{a}'",
        r"ImportError: cannot import name '{b}' from '{a}'",
        "ImportError：无法从 '{a}' 导入 '{b}'",
    ),
    (
        "python",
        "KeyError: '{b}' in {a}.py",
        r"KeyError: '{b}'",
        "KeyError：{a}.py 中缺少键 '{b}'",
    ),
    (
        "node",
        "Error: Cannot find module '{a}'",
        r"Cannot find module '{a}'",
        "Error：找不到模块 '{a}'",
    ),
    (
        "node",
        "Error: listen EADDRINUSE: address already in use :::{n}",
        r"EADDRINUSE: address already in use :::{n}",
        "Error：端口 {n} 已被占用",
    ),
    (
        "docker",
        "Error response from daemon: pull access denied for {a}/{b}",
        r"pull access denied for {a}/{b}",
        "守护进程错误：拒绝拉取 {a}/{b}",
    ),
    (
        "docker",
        "failed to compute cache key: \"/{a}/{b}\" not found",
        r#"failed to compute cache key: "/{a}/{b}" not found"#,
        "计算缓存键失败：找不到 \"/{a}/{b}\"",
    ),
    (
        "rust",
        "error[E0{n}]: cannot find value `{b}` in module `{a}`",
        r"error\[E0{n}\]: cannot find value `{b}`",
        "error[E0{n}]：在模块 `{a}` 中找不到值 `{b}`",
    ),
    (
        "rust",
        "error: failed to run custom build command for `{a}-sys v0.{n}.1`",
        r"failed to run custom build command for `{a}-sys",
        "error：运行 `{a}-sys v0.{n}.1` 的构建脚本失败",
    ),
    (
        "go",
        "panic: runtime error: index out of range [{n}] with length {n} in {a}.{b}",
        r"index out of range \[{n}\] with length",
        "panic：运行时错误：{a}.{b} 中索引 {n} 越界",
    ),
    (
        "java",
        "java.lang.ClassNotFoundException: com.{a}.{b}.Driver",
        r"ClassNotFoundException: com\.{a}\.{b}\.Driver",
        "java.lang.ClassNotFoundException：找不到类 com.{a}.{b}.Driver",
    ),
    (
        "kubernetes",
        "Back-off pulling image \"{a}/{b}:1.{n}\"",
        r#"Back-off pulling image "{a}/{b}:1\.{n}""#,
        "拉取镜像 \"{a}/{b}:1.{n}\" 退避重试",
    ),
    (
        "database",
        "FATAL: database \"{a}_{b}\" does not exist",
        r#"FATAL: database "{a}_{b}" does not exist"#,
        "FATAL：数据库 \"{a}_{b}\" 不存在",
    ),
    (
        "git",
        "error: pathspec '{a}/{b}' did not match any file(s) known to git",
        r"pathspec '{a}/{b}' did not match any file",
        "error：路径 '{a}/{b}' 未匹配任何 git 已知文件",
    ),
    (
        "networking",
        "curl: (7) Failed to connect to {a}.{b}.internal port {n}: Connection refused",
        r"Failed to connect to {a}\.{b}\.internal port {n}",
        "curl: (7) 无法连接到 {a}.{b}.internal 端口 {n}：连接被拒绝",
    ),
    (
        "linux",
        "/usr/lib/{a}/{b}.so.{n}: cannot open shared object file: No such file or directory",
        r"{b}\.so\.{n}: cannot open shared object file",
        "无法打开共享库 /usr/lib/{a}/{b}.so.{n}",
    ),
];

const WORDS_A: &[&str] = &[
    "requests",
    "numpy",
    "torch",
    "flask",
    "django",
    "express",
    "react",
    "webpack",
    "serde",
    "tokio",
    "openssl",
    "libpq",
    "grpc",
    "redis",
    "kafka",
    "nginx",
    "postgres",
    "mysql",
    "sqlite",
    "boto3",
    "pandas",
    "scipy",
    "vite",
    "lodash",
    "axios",
    "hyper",
    "reqwest",
    "clap",
    "ratatui",
    "prisma",
    "spring",
    "hibernate",
    "gradle",
    "maven",
];
const WORDS_B: &[&str] = &[
    "config", "client", "server", "handler", "worker", "session", "cache", "router", "parser",
    "loader", "utils", "models", "schema", "auth", "token", "queue", "stream", "buffer", "engine",
    "driver", "pool", "context",
];

/// Record number `i` of the catalogue seeded with `seed`, as one JSON line. `minimal` keeps only id,
/// signature, regex and domain (the fields the whole-process race compares on).
pub fn record(rng: &mut Rng, i: usize, minimal: bool) -> serde_json::Value {
    let (domain, sig, re, zh) = FAMILIES[rng.below(FAMILIES.len())];
    let (a, b) = (rng.pick(WORDS_A), rng.pick(WORDS_B));
    let n = (10 + rng.below(989)).to_string();
    let fill = |t: &str| t.replace("{a}", a).replace("{b}", b).replace("{n}", &n);
    let id = format!("{domain}/synthetic-{i:07}");
    if minimal {
        return serde_json::json!({"id": id, "signature": fill(sig), "regex": fill(re), "domain": domain});
    }
    serde_json::json!({
        "id": id,
        "signature": fill(sig),
        "signature_zh": fill(zh),
        "regex": fill(re),
        "domain": domain,
        "category": "synthetic",
        "root_cause": format!("{a} could not use {b}: a synthetic root cause for benchmarking, {n} characters of it."),
        "root_cause_zh": format!("{a} 无法使用 {b}：用于基准测试的合成根因。"),
        "dead_ends": [{"action": format!("Reinstall {a}"), "why_fails": format!("{b} is not the problem"), "fail_rate": rng.rate()}],
        "dead_ends_zh": [{"action": format!("重新安装 {a}"), "why_fails": format!("问题不在 {b}")}],
        "workarounds": [{"action": format!("Configure {b} for {a}"), "how": format!("{a} --{b}={n}"), "success_rate": rng.rate()}],
        "workarounds_zh": [{"action": format!("为 {a} 配置 {b}"), "how": format!("{a} --{b}={n}")}],
        "confidence": rng.rate(),
        "fix_success_rate": rng.rate(),
        "verification_tier": "synthetic",
        "last_updated": format!("2026-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
        "tags": [domain, a],
        "aliases": [],
    })
}

/// `count` records loaded into a catalogue in memory, as if read from a JSONL file (tests and benchmarks).
pub fn catalog(count: usize, seed: u64, minimal: bool) -> crate::catalog::Catalog {
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(&mut bytes, count, seed, minimal);
    let name: std::sync::Arc<str> = "synthetic.jsonl".into();
    let mut c = crate::catalog::Catalog::default();
    for (r, at) in
        crate::catalog::load::parse_bytes(&name, &bytes, crate::catalog::source::Layout::JsonLines)
            .records
    {
        c.add(r, at);
    }
    c
}

/// Writes `count` records as JSONL.
pub fn write(out: &mut impl Write, count: usize, seed: u64, minimal: bool) -> std::io::Result<()> {
    let mut rng = Rng::new(seed);
    for i in 0..count {
        writeln!(out, "{}", record(&mut rng, i, minimal))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_writes_the_same_catalogue_and_every_regex_matches_its_signature() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        write(&mut a, 200, 7, false).expect("write");
        write(&mut b, 200, 7, false).expect("write");
        assert_eq!(a, b);
        let parsed = crate::catalog::load::parse_bytes(
            &"synth.jsonl".into(),
            &a,
            crate::catalog::source::Layout::JsonLines,
        );
        assert_eq!(parsed.records.len(), 200);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        for (r, _) in &parsed.records {
            let re = crate::catalog::validate::compile(&r.regex).expect("compiles");
            assert!(re.is_match(&r.signature), "{} !~ {}", r.regex, r.signature);
        }
    }
}
