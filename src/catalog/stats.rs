//! Counts that describe a catalogue as a whole: records and average fix rate per domain, how many are
//! resolvable, verification tiers, and how much has Chinese. The browser's overview draws them.

use super::Catalog;
use super::record::Resolvability;

/// One domain's line of the overview.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainStats {
    pub name: String,
    pub records: usize,
    /// The mean of the records' fix success rates, over those that have one.
    pub fix_rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Stats {
    pub records: usize,
    /// Most records first, then by name.
    pub domains: Vec<DomainStats>,
    /// Records resolvable yes, partly, no, and not saying; `None` when the catalogue is too large to read
    /// every record's details for it (see `Stats::of`).
    pub resolvable: Option<[usize; 4]>,
    /// Verification tiers, most records first; records without one under "".
    pub tiers: Vec<(String, usize)>,
    /// Records with a Chinese signature.
    pub chinese: usize,
}

impl Stats {
    /// The catalogue's stats. Resolvability is in each record's details, which a record loaded from a file
    /// keeps as text; past `details_limit` records they are not parsed for it.
    pub fn of(catalog: &Catalog, details_limit: usize) -> Stats {
        let mut domains: Vec<DomainStats> = Vec::new();
        let mut index = std::collections::HashMap::new();
        let mut rate_sums: Vec<(f64, usize)> = Vec::new();
        let mut tiers = std::collections::HashMap::<&str, usize>::new();
        let mut chinese = 0;
        // Through views: records not built stay so.
        for r in catalog.views() {
            let domain = r.domain().unwrap_or("");
            let at = *index.entry(domain).or_insert_with(|| {
                domains.push(DomainStats {
                    name: domain.to_string(),
                    records: 0,
                    fix_rate: None,
                });
                rate_sums.push((0.0, 0));
                domains.len() - 1
            });
            domains[at].records += 1;
            if let Some(rate) = r.fix_success_rate() {
                rate_sums[at].0 += rate;
                rate_sums[at].1 += 1;
            }
            *tiers
                .entry(r.verification_tier().unwrap_or(""))
                .or_default() += 1;
            chinese += usize::from(r.signature_zh().is_some());
        }
        catalog.let_go();
        for (d, (sum, n)) in domains.iter_mut().zip(rate_sums) {
            d.fix_rate = (n > 0).then(|| sum / n as f64);
        }
        domains.sort_by(|a, b| b.records.cmp(&a.records).then(a.name.cmp(&b.name)));
        let mut tiers: Vec<(String, usize)> =
            tiers.into_iter().map(|(t, n)| (t.to_string(), n)).collect();
        tiers.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let resolvable = (catalog.len() <= details_limit).then(|| {
            let mut counts = [0; 4];
            for r in catalog.iter() {
                let slot = match r.details().resolvable.map(|v| v.level) {
                    Some(Resolvability::Yes) => 0,
                    Some(Resolvability::Partial) => 1,
                    Some(Resolvability::No) => 2,
                    None => 3,
                };
                counts[slot] += 1;
            }
            counts
        });
        Stats {
            records: catalog.len(),
            domains,
            resolvable,
            tiers,
            chinese,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Record;

    #[test]
    fn counts_per_domain_with_mean_rates_most_records_first() {
        let rec = |id: &str, domain: &str, rate: Option<f64>, zh: bool| {
            let mut r = Record::new(id, "sig", "re");
            r.domain = Some(domain.into());
            r.fix_success_rate = rate;
            r.signature_zh = zh.then(|| "签名".to_string());
            r
        };
        let mut catalog = Catalog::default();
        let file: std::sync::Arc<str> = "test.jsonl".into();
        for r in [
            rec("a/1", "git", Some(0.8), true),
            rec("a/2", "git", Some(0.6), false),
            rec("a/3", "git", None, false),
            rec("b/1", "docker", Some(0.5), true),
        ] {
            catalog.add(r, crate::catalog::diagnostic::Position::file(&file));
        }
        let s = Stats::of(&catalog, 10);
        assert_eq!(s.records, 4);
        assert_eq!(
            s.domains
                .iter()
                .map(|d| (d.name.as_str(), d.records))
                .collect::<Vec<_>>(),
            [("git", 3), ("docker", 1)]
        );
        assert!((s.domains[0].fix_rate.unwrap() - 0.7).abs() < 1e-9);
        assert_eq!(s.chinese, 2);
        assert_eq!(s.resolvable, Some([0, 0, 0, 4]));
        assert_eq!(s.tiers, vec![(String::new(), 4)]);
        assert_eq!(Stats::of(&catalog, 3).resolvable, None);
    }
}
