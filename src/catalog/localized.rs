//! The one place that answers "the text of field F in language L", falling back to English and saying so.

use super::record::{Record, ZhFields, ZhItem};

fn fields(item: Option<&ZhItem>) -> Option<&ZhFields> {
    match item {
        Some(ZhItem::Fields(f)) => Some(f),
        _ => None,
    }
}

fn text(item: Option<&ZhItem>) -> Option<&str> {
    match item {
        Some(ZhItem::Text(t)) => Some(t),
        _ => None,
    }
}

fn get(f: Option<&ZhFields>, pick: fn(&ZhFields) -> &Option<String>) -> Option<&str> {
    f.and_then(|f| pick(f).as_deref())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The language of the user's locale: LC_ALL, then LC_MESSAGES, then LANG (the POSIX order); `zh*` is Chinese.
    pub fn from_env() -> Lang {
        let var = |k| std::env::var(k).ok().filter(|v: &String| !v.is_empty());
        Lang::from_locale(
            var("LC_ALL")
                .or_else(|| var("LC_MESSAGES"))
                .or_else(|| var("LANG"))
                .as_deref(),
        )
    }

    pub fn from_locale(locale: Option<&str>) -> Lang {
        match locale {
            Some(l) if l.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }

    pub fn toggle(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

/// A translatable field of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Signature,
    RootCause,
    DeadEndAction(usize),
    DeadEndWhy(usize),
    DeadEndCondition(usize),
    WorkaroundAction(usize),
    WorkaroundHow(usize),
    WorkaroundCondition(usize),
}

/// Text in the language asked for, or the English with `fell_back` set (the browser marks it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Localized<'a> {
    pub text: &'a str,
    pub fell_back: bool,
}

impl Record {
    /// The field's text in `lang`; `None` when the record has no such text in any language.
    pub fn text(&self, field: Field, lang: Lang) -> Option<Localized<'_>> {
        let english = self.english(field).filter(|t| !t.is_empty());
        let chinese = match lang {
            Lang::En => None,
            Lang::Zh => self.chinese(field).filter(|t| !t.trim().is_empty()),
        };
        match (chinese, english) {
            (Some(text), _) => Some(Localized {
                text,
                fell_back: false,
            }),
            (None, Some(text)) => Some(Localized {
                text,
                fell_back: lang != Lang::En,
            }),
            (None, None) => None,
        }
    }

    fn english(&self, field: Field) -> Option<&str> {
        match field {
            Field::Signature => Some(&self.signature),
            Field::RootCause => self.details().root_cause.as_deref(),
            Field::DeadEndAction(i) => self.details().dead_ends.get(i).map(|d| d.action.as_str()),
            Field::DeadEndWhy(i) => self.details().dead_ends.get(i)?.why_fails.as_deref(),
            Field::DeadEndCondition(i) => self.details().dead_ends.get(i)?.condition.as_deref(),
            Field::WorkaroundAction(i) => {
                self.details().workarounds.get(i).map(|w| w.action.as_str())
            }
            Field::WorkaroundHow(i) => self.details().workarounds.get(i)?.how.as_deref(),
            Field::WorkaroundCondition(i) => {
                self.details().workarounds.get(i)?.condition.as_deref()
            }
        }
    }

    fn chinese(&self, field: Field) -> Option<&str> {
        match field {
            Field::Signature => self.signature_zh.as_deref(),
            Field::RootCause => self.details().root_cause_zh.as_deref(),
            Field::DeadEndAction(i) => {
                let item = self.details().dead_ends_zh.get(i);
                text(item).or(get(fields(item), |f| &f.action))
            }
            Field::DeadEndWhy(i) => {
                get(fields(self.details().dead_ends_zh.get(i)), |f| &f.why_fails)
            }
            Field::DeadEndCondition(i) => {
                get(fields(self.details().dead_ends_zh.get(i)), |f| &f.condition)
            }
            Field::WorkaroundAction(i) => {
                let item = self.details().workarounds_zh.get(i);
                text(item).or(get(fields(item), |f| &f.action))
            }
            Field::WorkaroundHow(i) => {
                let item = self.details().workarounds_zh.get(i);
                // The reference record's one-string twin translates `action`; where `how` repeats `action`,
                // the same translation serves both.
                let same = self
                    .details()
                    .workarounds
                    .get(i)
                    .is_some_and(|w| w.how.as_deref() == Some(w.action.as_str()));
                get(fields(item), |f| &f.how).or(text(item).filter(|_| same))
            }
            Field::WorkaroundCondition(i) => {
                get(fields(self.details().workarounds_zh.get(i)), |f| {
                    &f.condition
                })
            }
        }
    }
}
