//! The background filter: one thread that runs the fuzzy filter, and lookups, for large catalogues, so a
//! keystroke returns at once. Only the newest request matters; older ones still queued are skipped, and
//! `App` ignores results for any generation but the one it waits for.

use super::action::Action;
use super::app::App;
use super::model::Row;
pub use super::rows::Job;
use super::rows::{filter_rows_until, lookup_rows};
use crate::catalog::Catalog;
use crate::search::fuzzy::FuzzyIndex;
use crate::search::lookup::{LookupEnv, LookupIndex};
use crate::search::narrow::Narrowing;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, OnceLock};

pub struct Filter {
    requests: Sender<(u64, Job)>,
    /// The newest generation asked for: the thread's pass over an older one stops between chunks.
    newest: Arc<AtomicU64>,
    results: Receiver<Action>,
    done: Sender<Action>,
}

/// What the thread reads: the app's catalogue and indices.
pub struct Shared {
    pub catalog: Arc<Catalog>,
    pub fuzzy: Arc<FuzzyIndex>,
    pub lookup: Arc<OnceLock<LookupIndex>>,
    pub narrowing: Option<Arc<Narrowing>>,
    pub env: Arc<LookupEnv>,
}

impl Shared {
    pub fn of(app: &App) -> Shared {
        Shared {
            catalog: Arc::clone(&app.catalog),
            fuzzy: Arc::clone(&app.fuzzy),
            lookup: app.shared_lookup(),
            narrowing: app.narrowing.clone(),
            env: Arc::clone(&app.env),
        }
    }

    /// The rows a job lists (a lookup builds the lookup index first if no lookup has).
    pub fn rows(&self, job: &Job) -> Vec<Row> {
        self.rows_until(job, &|| false).unwrap_or_default()
    }

    /// `rows`, or `None` for a filter abandoned because `superseded` said a newer request waits. A lookup
    /// runs to the end: it is one regex pass, and the index it may build serves every later one.
    pub fn rows_until(
        &self,
        job: &Job,
        superseded: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<Row>> {
        match job {
            Job::Filter(query, lang) => {
                filter_rows_until(&self.fuzzy, &self.catalog, query, *lang, superseded)
            }
            Job::Lookup(message) => Some(lookup_rows(
                &self.lookup,
                self.narrowing.as_deref(),
                &self.catalog,
                message,
                &self.env,
            )),
        }
    }
}

impl Filter {
    pub fn spawn(app: &App) -> Filter {
        let (requests, jobs) = channel::<(u64, Job)>();
        let (done, results) = channel();
        let shared = Shared::of(app);
        let sender = done.clone();
        let newest = Arc::new(AtomicU64::new(0));
        let latest = Arc::clone(&newest);
        std::thread::spawn(move || {
            while let Ok(mut job) = jobs.recv() {
                while let Ok(newer) = jobs.try_recv() {
                    job = newer;
                }
                let (generation, job) = job;
                let superseded = || latest.load(Ordering::Relaxed) != generation;
                // An abandoned pass sends nothing: the app waits for the newer generation anyway.
                let Some(rows) = shared.rows_until(&job, &superseded) else {
                    continue;
                };
                if done.send(Action::Filtered { generation, rows }).is_err() {
                    return;
                }
            }
        });
        Filter {
            requests,
            newest,
            results,
            done: sender,
        }
    }

    /// Checks the regexes of a catalogue loaded without checking them (3 s for a million records), after
    /// the first frame instead of before it; the warnings come back as `Action::RegexesChecked`. On a pool
    /// of its own thread: in the shared pool, the filter's work waited behind it (typing `conn` right after
    /// a million records loaded showed its hits after 3.3 s instead of 0.3 s).
    pub fn check_regexes(&self, app: &App) {
        if app.catalog.regexes_checked {
            return;
        }
        let catalog = std::sync::Arc::clone(&app.catalog);
        let done = self.done.clone();
        std::thread::spawn(move || {
            let check = || catalog.regex_warnings();
            let warnings = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
                Ok(pool) => pool.install(check),
                Err(_) => check(),
            };
            let _ = done.send(Action::RegexesChecked(warnings));
        });
    }

    pub fn request(&self, generation: u64, job: Job) {
        // Set before the send, so the running pass sees it is stale no later than the new job arrives.
        self.newest.store(generation, Ordering::Relaxed);
        // The thread only stops when the browser does; a failed send then has nobody to tell.
        let _ = self.requests.send((generation, job));
    }

    /// Results that have arrived since the last call.
    pub fn finished(&self) -> Vec<Action> {
        self.results.try_iter().collect()
    }
}
