//! Keys the user rebinds: key names as people write them (`"ctrl-l"`, `"alt-left"`, `"?"`), stable kebab-case
//! names for the actions (`toggle-lang`, `next-tab`), and the check that an override leaves no key bound to two
//! actions where both apply. The keymap (`keymap.rs`) applies the overrides to its one table, so keys, help and
//! conflicts all read the same bindings.

use super::action::{Action, Tab};
use super::keymap::{Binding, Context, Key};
use crossterm::event::{KeyCode, KeyModifiers};

/// One `[keys]` entry: an action's new keys, and the config line it came from (for messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub action: String,
    pub keys: Vec<String>,
    pub line: usize,
}

/// What is wrong with an override; the override is ignored and the defaults stay.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error(
        "line {line}: no action is called `{name}` (see `errdex --help` or the help screen, `?`)"
    )]
    UnknownAction { name: String, line: usize },
    #[error("line {line}: `{key}` is not a key ({why})")]
    BadKey {
        key: String,
        why: String,
        line: usize,
    },
    #[error(
        "line {line}: `{key}` would do both `{action}` and `{other}` in the same place; `{action}` keeps its keys"
    )]
    Conflict {
        key: String,
        action: String,
        other: String,
        line: usize,
    },
}

/// Every action a key can be bound to, by its stable name.
pub const ACTIONS: &[(&str, Action)] = &[
    ("quit", Action::Quit),
    ("help", Action::ToggleHelp),
    ("next", Action::Next),
    ("prev", Action::Prev),
    ("page-down", Action::PageDown),
    ("page-up", Action::PageUp),
    ("first", Action::First),
    ("last", Action::Last),
    ("next-tab", Action::NextTab),
    ("prev-tab", Action::PrevTab),
    ("tab-overview", Action::Tab(Tab::Overview)),
    ("tab-dead-ends", Action::Tab(Tab::DeadEnds)),
    ("tab-workarounds", Action::Tab(Tab::Workarounds)),
    ("tab-related", Action::Tab(Tab::Related)),
    ("search", Action::FocusSearch),
    ("back", Action::Back),
    ("forward", Action::Forward),
    ("toggle-lang", Action::ToggleLang),
    ("cycle-sort", Action::CycleSort),
    ("copy", Action::Copy),
    ("open-docs", Action::OpenDocs),
    ("tester", Action::FocusTester),
    ("edit-regex", Action::EditRegex),
    ("toggle-lookup", Action::ToggleLookup),
    ("toggle-tester", Action::ToggleTester),
    ("toggle-detail", Action::ToggleDetail),
    ("cycle-split", Action::CycleSplit),
    ("diagnostics", Action::ToggleDiagnostics),
    ("overview", Action::ToggleOverview),
    ("mark-worked", Action::MarkWorked),
    ("mark-failed", Action::MarkFailed),
    ("enter-detail", Action::EnterDetail),
    ("follow", Action::Follow),
    ("leave", Action::Leave),
    ("toggle-case", Action::ToggleCase),
    ("reset-regex", Action::ResetRegex),
    ("accept", Action::Accept),
    ("cancel", Action::Cancel),
];

pub fn action_named(name: &str) -> Option<&'static Action> {
    ACTIONS.iter().find(|(n, _)| *n == name).map(|(_, a)| a)
}

pub fn name_of(action: &Action) -> Option<&'static str> {
    ACTIONS.iter().find(|(_, a)| a == action).map(|(n, _)| *n)
}

/// Reads a key as people write it: modifiers joined by `-` (`ctrl-`, `alt-`, `shift-`), then a character or a
/// named key (`enter`, `esc`, `tab`, `backtab`, `space`, `up`, `pgdn`, `f5`...). Case matters for letters:
/// `G` is shift-g.
pub fn parse_key(text: &str) -> Result<Key, String> {
    let mut mods = KeyModifiers::NONE;
    let mut rest = text;
    // A lone `-` is the minus key, not an empty modifier list.
    while let Some((head, tail)) = rest.split_once('-').filter(|(_, t)| !t.is_empty()) {
        mods |= match head.to_ascii_lowercase().as_str() {
            "ctrl" | "control" | "c" => KeyModifiers::CONTROL,
            "alt" | "meta" | "m" => KeyModifiers::ALT,
            "shift" | "s" => KeyModifiers::SHIFT,
            other => return Err(format!("unknown modifier `{other}`")),
        };
        rest = tail;
    }
    let named = match rest.to_ascii_lowercase().as_str() {
        "enter" | "return" => Some(KeyCode::Enter),
        "esc" | "escape" => Some(KeyCode::Esc),
        "tab" if mods.contains(KeyModifiers::SHIFT) => Some(KeyCode::BackTab),
        "tab" => Some(KeyCode::Tab),
        "backtab" => Some(KeyCode::BackTab),
        "space" => Some(KeyCode::Char(' ')),
        "backspace" | "bs" => Some(KeyCode::Backspace),
        "delete" | "del" => Some(KeyCode::Delete),
        "up" => Some(KeyCode::Up),
        "down" => Some(KeyCode::Down),
        "left" => Some(KeyCode::Left),
        "right" => Some(KeyCode::Right),
        "home" => Some(KeyCode::Home),
        "end" => Some(KeyCode::End),
        "pgup" | "pageup" => Some(KeyCode::PageUp),
        "pgdn" | "pagedown" => Some(KeyCode::PageDown),
        f if f.len() > 1 && f.starts_with('f') => f[1..]
            .parse::<u8>()
            .ok()
            .filter(|n| (1..=24).contains(n))
            .map(KeyCode::F),
        _ => None,
    };
    let code = match named {
        Some(code) => code,
        None => {
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if !c.is_control() => {
                    // Shift on a letter is the capital letter, as terminals send it.
                    if mods.contains(KeyModifiers::SHIFT) && c.is_ascii_lowercase() {
                        KeyCode::Char(c.to_ascii_uppercase())
                    } else if mods.contains(KeyModifiers::CONTROL) {
                        KeyCode::Char(c.to_ascii_lowercase())
                    } else {
                        KeyCode::Char(c)
                    }
                }
                _ => return Err("expected one character or a key name".into()),
            }
        }
    };
    // Shift is carried by the character (or BackTab) itself; what is left is Ctrl and Alt.
    let mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT);
    Ok(Key { code, mods })
}

/// Puts the user's key overrides in effect for the rest of the process (before the first key is read), and
/// returns what was refused. Called at most once; a later call changes nothing and reports nothing.
pub fn install(overrides: &[Override]) -> Vec<Problem> {
    let mut table = super::keymap::default_bindings();
    let problems = apply(&mut table, overrides);
    if super::keymap::set_bindings(table) {
        problems
    } else {
        Vec::new()
    }
}

/// Whether a binding of `mine` in context `a` can answer a key press that one in context `b` answers.
/// `--print`'s bindings (`Pick`) come before the list's, the detail's and the search box's, deliberately on
/// their Enter and Esc: a key moved onto them is checked against those, not the reverse.
fn overlap(a: Context, b: Context) -> bool {
    use Context::*;
    let browse = |c| matches!(c, List | Detail | Browse);
    a == b
        || a == Global
        || b == Global
        || (a == Browse && browse(b))
        || (b == Browse && browse(a))
        || (a == Pick && (browse(b) || b == Search))
}

/// Applies the overrides to `table` in order; each one replaces every binding of its action's keys. An
/// override that names no action, a key that does not parse, or a key another action already answers where
/// this one does, is refused whole and reported; the rest apply.
pub fn apply(table: &mut [Binding], overrides: &[Override]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for o in overrides {
        let Some(action) = action_named(&o.action) else {
            problems.push(Problem::UnknownAction {
                name: o.action.clone(),
                line: o.line,
            });
            continue;
        };
        let keys: Result<Vec<Key>, Problem> = o
            .keys
            .iter()
            .map(|k| {
                parse_key(k).map_err(|why| Problem::BadKey {
                    key: k.clone(),
                    why,
                    line: o.line,
                })
            })
            .collect();
        let keys = match keys {
            Ok(keys) => keys,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let clash = table
            .iter()
            .filter(|b| &b.action == action)
            .find_map(|mine| {
                table
                    .iter()
                    .filter(|other| &other.action != action && overlap(mine.context, other.context))
                    .find_map(|other| {
                        keys.iter()
                            .find(|k| other.keys.contains(k))
                            .map(|k| (k.label(), other.action.clone()))
                    })
            });
        let clash = clash
            .map(|(key, other)| (key, name_of(&other).unwrap_or("an edit").to_string()))
            .or_else(|| {
                // In an input, a plain character is typed; binding one there would make it untypable.
                let typed = |k: &&Key| {
                    matches!(k.code, KeyCode::Char(_))
                        && !k.mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                };
                // `--print`'s bindings apply in the search box too.
                table
                    .iter()
                    .filter(|b| {
                        &b.action == action && (b.context.is_input() || b.context == Context::Pick)
                    })
                    .find_map(|_| keys.iter().find(typed))
                    .map(|k| (k.label(), "typing".to_string()))
            });
        if let Some((key, other)) = clash {
            problems.push(Problem::Conflict {
                key,
                action: o.action.clone(),
                other,
                line: o.line,
            });
            continue;
        }
        for b in table.iter_mut().filter(|b| &b.action == action) {
            b.keys = keys.clone();
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode, mods: KeyModifiers) -> Key {
        Key { code, mods }
    }

    #[test]
    fn keys_read_as_people_write_them() {
        let none = KeyModifiers::NONE;
        assert_eq!(
            parse_key("ctrl-l"),
            Ok(k(KeyCode::Char('l'), KeyModifiers::CONTROL))
        );
        assert_eq!(
            parse_key("Ctrl-L"),
            Ok(k(KeyCode::Char('l'), KeyModifiers::CONTROL))
        );
        assert_eq!(
            parse_key("alt-left"),
            Ok(k(KeyCode::Left, KeyModifiers::ALT))
        );
        assert_eq!(parse_key("?"), Ok(k(KeyCode::Char('?'), none)));
        assert_eq!(parse_key("-"), Ok(k(KeyCode::Char('-'), none)));
        assert_eq!(parse_key("G"), Ok(k(KeyCode::Char('G'), none)));
        assert_eq!(parse_key("shift-g"), Ok(k(KeyCode::Char('G'), none)));
        assert_eq!(parse_key("shift-tab"), Ok(k(KeyCode::BackTab, none)));
        assert_eq!(parse_key("f5"), Ok(k(KeyCode::F(5), none)));
        assert_eq!(parse_key("space"), Ok(k(KeyCode::Char(' '), none)));
        assert!(parse_key("hyper-x").is_err());
        assert!(
            parse_key("ctrl-").is_err() || parse_key("ctrl-") == Ok(k(KeyCode::Char('-'), none))
        );
        assert!(parse_key("word").is_err());
        assert!(parse_key("").is_err());
    }

    #[test]
    fn the_defaults_bind_no_key_twice_where_both_would_apply() {
        let table = super::super::keymap::default_bindings();
        for (i, a) in table.iter().enumerate() {
            for b in &table[i + 1..] {
                if a.action != b.action && overlap(a.context, b.context) {
                    for key in &a.keys {
                        assert!(
                            !b.keys.contains(key),
                            "{} is both {:?} and {:?}",
                            key.label(),
                            a.action,
                            b.action
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_letter_for_an_action_of_an_input_is_refused() {
        let mut table = super::super::keymap::default_bindings();
        let problems = apply(
            &mut table,
            &[Override {
                action: "leave".into(),
                keys: vec!["z".into()],
                line: 9,
            }],
        );
        assert!(matches!(&problems[..], [Problem::Conflict { other, .. }] if other == "typing"));
    }

    #[test]
    fn every_bound_action_has_a_name_and_names_are_unique() {
        for b in super::super::keymap::default_bindings() {
            if !matches!(b.action, Action::Edit(_)) {
                assert!(name_of(&b.action).is_some(), "{:?} has no name", b.action);
            }
        }
        let mut names: Vec<&str> = ACTIONS.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ACTIONS.len());
    }

    /// The default bindings with `overrides` (action, keys, line) applied, and what was refused.
    fn applied(overrides: &[(&str, &[&str], usize)]) -> (Vec<Binding>, Vec<Problem>) {
        let mut table = super::super::keymap::default_bindings();
        let overrides: Vec<Override> = overrides
            .iter()
            .map(|(action, keys, line)| Override {
                action: action.to_string(),
                keys: keys.iter().map(|s| s.to_string()).collect(),
                line: *line,
            })
            .collect();
        let problems = apply(&mut table, &overrides);
        (table, problems)
    }

    /// `--print`'s accept and cancel come before the list's, the detail's and the search box's keys: moved
    /// onto one of theirs, or onto a typed character, they are refused; another key is taken.
    #[test]
    fn print_keys_are_checked_against_the_panes_they_come_before() {
        let (table, problems) = applied(&[
            ("accept", &["j"], 1),
            ("cancel", &["v"], 2),
            ("accept", &["ctrl-y"], 3),
        ]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            matches!(&problems[0], Problem::Conflict { key, other, line: 1, .. } if key == "j" && other == "next"),
            "{problems:?}"
        );
        assert!(
            matches!(&problems[1], Problem::Conflict { key, other, line: 2, .. } if key == "v" && other == "typing"),
            "{problems:?}"
        );
        let accept = table
            .iter()
            .find(|b| b.action == Action::Accept && b.context == Context::Pick)
            .unwrap();
        assert_eq!(
            accept.keys,
            vec![k(KeyCode::Char('y'), KeyModifiers::CONTROL)]
        );
    }

    #[test]
    fn an_override_replaces_the_keys_and_a_clash_is_refused_with_its_line() {
        let (table, problems) = applied(&[
            ("toggle-lang", &["ctrl-l"], 3),
            ("cycle-sort", &["j"], 4),
            ("no-such-thing", &["x"], 5),
            ("copy", &["hyper-c"], 6),
        ]);
        let lang = table
            .iter()
            .find(|b| b.action == Action::ToggleLang)
            .unwrap();
        assert_eq!(
            lang.keys,
            vec![k(KeyCode::Char('l'), KeyModifiers::CONTROL)]
        );
        let sort = table
            .iter()
            .find(|b| b.action == Action::CycleSort)
            .unwrap();
        assert_eq!(sort.keys, vec![k(KeyCode::Char('s'), KeyModifiers::NONE)]);
        assert_eq!(problems.len(), 3);
        assert!(
            matches!(&problems[0], Problem::Conflict { key, other, line: 4, .. } if key == "j" && other == "next")
        );
        assert!(matches!(
            &problems[1],
            Problem::UnknownAction { line: 5, .. }
        ));
        assert!(matches!(&problems[2], Problem::BadKey { line: 6, .. }));
        assert!(
            problems[0]
                .to_string()
                .starts_with("line 4: `j` would do both `cycle-sort` and `next`")
        );
    }
}
