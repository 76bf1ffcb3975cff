//! The background filter: one thread that runs the fuzzy filter for large catalogues, so a keystroke returns
//! at once. Only the newest request matters; older ones still queued are skipped, and `App` ignores results
//! for any generation but the one it waits for.

use super::action::Action;
use super::app::App;
use crate::catalog::Lang;
use crate::search::fuzzy::Query;
use std::sync::mpsc::{Receiver, Sender, channel};

pub struct Filter {
    requests: Sender<(u64, Query, Lang)>,
    results: Receiver<Action>,
    done: Sender<Action>,
}

impl Filter {
    pub fn spawn(app: &App) -> Filter {
        let (requests, jobs) = channel::<(u64, Query, Lang)>();
        let (done, results) = channel();
        let catalog = std::sync::Arc::clone(&app.catalog);
        let fuzzy = std::sync::Arc::clone(&app.fuzzy);
        let sender = done.clone();
        std::thread::spawn(move || {
            while let Ok(mut job) = jobs.recv() {
                while let Ok(newer) = jobs.try_recv() {
                    job = newer;
                }
                let (generation, query, lang) = job;
                let hits = fuzzy
                    .filter(&catalog, &query, lang)
                    .into_iter()
                    .map(|h| h.index)
                    .collect();
                if done.send(Action::Filtered { generation, hits }).is_err() {
                    return;
                }
            }
        });
        Filter {
            requests,
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

    pub fn request(&self, generation: u64, query: Query, lang: Lang) {
        // The thread only stops when the browser does; a failed send then has nobody to tell.
        let _ = self.requests.send((generation, query, lang));
    }

    /// Results that have arrived since the last call.
    pub fn finished(&self) -> Vec<Action> {
        self.results.try_iter().collect()
    }
}
