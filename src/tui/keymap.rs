//! The one table from keys to actions. It also generates the help overlay, so the help cannot drift from what
//! the keys do.

use super::action::{Action, Edit, Tab};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::sync::OnceLock;

/// Where the keyboard focus is; each binding applies in some of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Everywhere, inputs included.
    Global,
    /// The record list or the detail pane.
    Browse,
    List,
    Detail,
    Search,
    TesterText,
    TesterRegex,
    /// The help or diagnostics overlay.
    Overlay,
    /// The loading screen: typing there fills the search box the browser opens with.
    Loading,
    /// `errdex --print`: over the list, the detail and the search box, before their own bindings.
    Pick,
}

impl Context {
    pub fn help_key(self) -> &'static str {
        match self {
            Context::Global => "help.ctx.global",
            Context::Browse => "help.ctx.browse",
            Context::List => "help.ctx.list",
            Context::Detail => "help.ctx.detail",
            Context::Search => "help.ctx.search",
            Context::TesterText => "help.ctx.tester_text",
            Context::TesterRegex => "help.ctx.tester_regex",
            Context::Overlay => "help.ctx.overlay",
            Context::Loading => "help.ctx.loading",
            Context::Pick => "help.ctx.pick",
        }
    }

    /// Whether printable characters not bound here are typed into an input.
    pub fn is_input(self) -> bool {
        matches!(
            self,
            Context::Search | Context::TesterText | Context::TesterRegex | Context::Loading
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}
const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}
const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}
const fn alt(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::ALT,
    }
}

impl Key {
    /// How the help shows the key.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Del".into(),
            other => format!("{other}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{}", base.to_uppercase())
        } else if self.mods.contains(KeyModifiers::ALT) {
            format!("Alt-{base}")
        } else {
            base
        }
    }

    /// Normalizes a terminal key event: Shift on a character is already in the character.
    pub fn from_event(ev: &KeyEvent) -> Key {
        let mut mods = ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match ev.code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            other => other,
        };
        if matches!(code, KeyCode::BackTab) {
            mods = KeyModifiers::NONE;
        }
        Key { code, mods }
    }
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub context: Context,
    pub keys: Vec<Key>,
    pub action: Action,
    /// i18n key of the help line.
    pub help: &'static str,
}

fn b(context: Context, keys: &[Key], action: Action, help: &'static str) -> Binding {
    Binding {
        context,
        keys: keys.to_vec(),
        action,
        help,
    }
}

/// The bindings in effect, in help order: the defaults, with the user's overrides once `install` ran.
pub fn bindings() -> &'static [Binding] {
    TABLE.get_or_init(default_bindings)
}

static TABLE: OnceLock<Vec<Binding>> = OnceLock::new();

/// Puts a table in effect for the rest of the process, before the first key is read (`remap::install` builds
/// it from the user's overrides). Returns false, changing nothing, if the bindings were already in use.
pub fn set_bindings(table: Vec<Binding>) -> bool {
    TABLE.set(table).is_ok()
}

/// The built-in bindings.
pub fn default_bindings() -> Vec<Binding> {
    {
        use Context::*;
        use KeyCode as K;
        vec![
            b(Global, &[ctrl('c')], Action::Quit, "help.quit"),
            b(Browse, &[ch('q')], Action::Quit, "help.quit"),
            b(Browse, &[ch('?')], Action::ToggleHelp, "help.help"),
            b(Browse, &[ch('j'), key(K::Down)], Action::Next, "help.next"),
            b(Browse, &[ch('k'), key(K::Up)], Action::Prev, "help.prev"),
            b(
                Browse,
                &[key(K::PageDown), ctrl('d')],
                Action::PageDown,
                "help.page_down",
            ),
            b(
                Browse,
                &[key(K::PageUp), ctrl('u')],
                Action::PageUp,
                "help.page_up",
            ),
            b(
                Browse,
                &[ch('g'), key(K::Home)],
                Action::First,
                "help.first",
            ),
            b(Browse, &[ch('G'), key(K::End)], Action::Last, "help.last"),
            b(Browse, &[key(K::Tab)], Action::NextTab, "help.next_tab"),
            b(Browse, &[key(K::BackTab)], Action::PrevTab, "help.prev_tab"),
            b(
                Browse,
                &[ch('1')],
                Action::Tab(Tab::Overview),
                "tab.overview",
            ),
            b(
                Browse,
                &[ch('2')],
                Action::Tab(Tab::DeadEnds),
                "tab.dead_ends",
            ),
            b(
                Browse,
                &[ch('3')],
                Action::Tab(Tab::Workarounds),
                "tab.workarounds",
            ),
            b(Browse, &[ch('4')], Action::Tab(Tab::Related), "tab.related"),
            b(Browse, &[ch('/')], Action::FocusSearch, "help.search"),
            b(
                Browse,
                &[ch('b'), key(K::Backspace), alt(K::Left)],
                Action::Back,
                "help.back",
            ),
            b(
                Browse,
                &[ch('f'), alt(K::Right)],
                Action::Forward,
                "help.forward",
            ),
            b(Browse, &[ch('L')], Action::ToggleLang, "help.lang"),
            b(Browse, &[ch('s')], Action::CycleSort, "help.sort"),
            b(Browse, &[ch('y')], Action::Copy, "help.copy"),
            b(Browse, &[ch('o')], Action::OpenDocs, "help.open"),
            b(Browse, &[ch('t')], Action::FocusTester, "help.tester"),
            b(Browse, &[ch('e')], Action::EditRegex, "help.edit_regex"),
            b(Browse, &[ch('m')], Action::ToggleLookup, "help.lookup"),
            b(Browse, &[ch('D')], Action::ToggleOverview, "help.overview"),
            b(
                Browse,
                &[ch('T')],
                Action::ToggleTester,
                "help.toggle_tester",
            ),
            b(
                Browse,
                &[ch('Z')],
                Action::ToggleDetail,
                "help.toggle_detail",
            ),
            b(Browse, &[ch('=')], Action::CycleSplit, "help.cycle_split"),
            b(
                Browse,
                &[ch('d')],
                Action::ToggleDiagnostics,
                "help.diagnostics",
            ),
            b(
                List,
                &[key(K::Enter), ch('l'), key(K::Right)],
                Action::EnterDetail,
                "help.enter_detail",
            ),
            b(List, &[key(K::Esc)], Action::Leave, "help.clear_search"),
            b(Detail, &[key(K::Enter)], Action::Follow, "help.follow"),
            b(Detail, &[ch('w')], Action::MarkWorked, "help.mark_worked"),
            b(Detail, &[ch('x')], Action::MarkFailed, "help.mark_failed"),
            b(
                Detail,
                &[key(K::Esc), ch('h'), key(K::Left)],
                Action::Leave,
                "help.leave_detail",
            ),
            b(
                Search,
                &[key(K::Esc), key(K::Enter)],
                Action::Leave,
                "help.leave_input",
            ),
            b(Search, &[key(K::Down)], Action::Next, "help.next"),
            b(Search, &[key(K::Up)], Action::Prev, "help.prev"),
            b(
                TesterText,
                &[key(K::Esc)],
                Action::Leave,
                "help.leave_input",
            ),
            b(
                TesterText,
                &[ctrl('e')],
                Action::EditRegex,
                "help.edit_regex",
            ),
            b(
                TesterText,
                &[key(K::Enter)],
                Action::Edit(Edit::Newline),
                "help.newline",
            ),
            b(
                TesterText,
                &[key(K::Up)],
                Action::Edit(Edit::Up),
                "help.cursor",
            ),
            b(
                TesterText,
                &[key(K::Down)],
                Action::Edit(Edit::Down),
                "help.cursor",
            ),
            b(
                TesterRegex,
                &[key(K::Esc), key(K::Enter)],
                Action::Leave,
                "help.leave_input",
            ),
            b(
                TesterRegex,
                &[ctrl('e')],
                Action::FocusTester,
                "help.edit_text",
            ),
            b(TesterText, &[ctrl('t')], Action::ToggleCase, "help.case"),
            b(TesterRegex, &[ctrl('t')], Action::ToggleCase, "help.case"),
            b(
                TesterText,
                &[ctrl('r')],
                Action::ResetRegex,
                "help.reset_regex",
            ),
            b(
                TesterRegex,
                &[ctrl('r')],
                Action::ResetRegex,
                "help.reset_regex",
            ),
            b(
                TesterText,
                &[ctrl('l')],
                Action::ToggleLookup,
                "help.lookup",
            ),
            b(
                TesterRegex,
                &[ctrl('l')],
                Action::ToggleLookup,
                "help.lookup",
            ),
            b(
                Overlay,
                &[key(K::Esc), ch('q'), ch('?')],
                Action::Leave,
                "help.close",
            ),
            b(
                Overlay,
                &[key(K::Enter)],
                Action::Follow,
                "help.filter_domain",
            ),
            b(
                Overlay,
                &[ch('j'), key(K::Down)],
                Action::Next,
                "help.scroll_down",
            ),
            b(
                Overlay,
                &[ch('k'), key(K::Up)],
                Action::Prev,
                "help.scroll_up",
            ),
            b(
                Overlay,
                &[key(K::PageDown)],
                Action::PageDown,
                "help.page_down",
            ),
            b(Overlay, &[key(K::PageUp)], Action::PageUp, "help.page_up"),
            // Typing is the point of the loading screen, so `q` is a letter there and Esc quits.
            b(Loading, &[key(K::Esc)], Action::Quit, "help.quit"),
            b(Loading, &[key(K::Enter)], Action::Leave, "help.open_list"),
            b(Pick, &[key(K::Enter)], Action::Accept, "help.accept"),
            b(Pick, &[key(K::Esc)], Action::Cancel, "help.cancel"),
        ]
    }
}

/// Editing keys shared by every input (listed once in the help).
fn edit_key(k: Key) -> Option<Edit> {
    let plain = k.mods == KeyModifiers::NONE;
    Some(match k.code {
        KeyCode::Backspace if plain => Edit::Backspace,
        KeyCode::Delete if plain => Edit::Delete,
        KeyCode::Left if plain => Edit::Left,
        KeyCode::Right if plain => Edit::Right,
        KeyCode::Home if plain => Edit::Home,
        KeyCode::End if plain => Edit::End,
        KeyCode::Char('w') if k.mods == KeyModifiers::CONTROL => Edit::DeleteWord,
        KeyCode::Char('u') if k.mods == KeyModifiers::CONTROL => Edit::Clear,
        KeyCode::Char(c)
            if !k.mods.contains(KeyModifiers::CONTROL) && !k.mods.contains(KeyModifiers::ALT) =>
        {
            Edit::Insert(c)
        }
        _ => return None,
    })
}

/// The first key that does `action` in `context` (its own bindings, then browse's and the global ones), for
/// hints that show the keys in effect.
pub fn first_key(context: Context, action: &Action) -> Option<Key> {
    let browse = matches!(context, Context::List | Context::Detail);
    let order = [
        Some(context),
        browse.then_some(Context::Browse),
        Some(Context::Global),
    ];
    order.into_iter().flatten().find_map(|c| {
        bindings()
            .iter()
            .find(|b| b.context == c && &b.action == action)
            .and_then(|b| b.keys.first().copied())
    })
}

/// `action_for`, in a browser started with `--print`: Enter accepts and Esc cancels in the list and the search
/// box; in the detail pane Enter accepts (the selected workaround, for `--print=commands`) and Esc leaves it.
pub fn action_for_picking(context: Context, ev: &KeyEvent) -> Option<Action> {
    if matches!(context, Context::List | Context::Detail | Context::Search) {
        let k = Key::from_event(ev);
        let picked = bindings()
            .iter()
            .find(|b| b.context == Context::Pick && b.keys.contains(&k))
            .map(|b| b.action.clone())
            .filter(|a| {
                ev.kind != KeyEventKind::Release
                    && (context != Context::Detail || *a == Action::Accept)
            });
        if picked.is_some() {
            return picked;
        }
    }
    action_for(context, ev)
}

/// The action for a key event in the given focus: the focus's own bindings, then the list/detail ones shared
/// as "browse", then global ones, then typing for inputs.
pub fn action_for(context: Context, ev: &KeyEvent) -> Option<Action> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    let k = Key::from_event(ev);
    let applies = |c: Context| {
        c == context
            || c == Context::Global
            || (c == Context::Browse && matches!(context, Context::List | Context::Detail))
    };
    bindings()
        .iter()
        .find(|b| applies(b.context) && b.keys.contains(&k))
        .map(|b| b.action.clone())
        .or_else(|| {
            context
                .is_input()
                .then(|| edit_key(k).map(Action::Edit))
                .flatten()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn the_table_maps_keys_by_context() {
        use Context::*;
        let cases = [
            (
                List,
                ev(KeyCode::Char('j'), KeyModifiers::NONE),
                Some(Action::Next),
            ),
            (
                Detail,
                ev(KeyCode::Down, KeyModifiers::NONE),
                Some(Action::Next),
            ),
            (
                List,
                ev(KeyCode::Enter, KeyModifiers::NONE),
                Some(Action::EnterDetail),
            ),
            (
                Detail,
                ev(KeyCode::Enter, KeyModifiers::NONE),
                Some(Action::Follow),
            ),
            (
                List,
                ev(KeyCode::Char('L'), KeyModifiers::SHIFT),
                Some(Action::ToggleLang),
            ),
            (
                List,
                ev(KeyCode::BackTab, KeyModifiers::SHIFT),
                Some(Action::PrevTab),
            ),
            (
                List,
                ev(KeyCode::Char('3'), KeyModifiers::NONE),
                Some(Action::Tab(Tab::Workarounds)),
            ),
            (
                Search,
                ev(KeyCode::Char('j'), KeyModifiers::NONE),
                Some(Action::Edit(Edit::Insert('j'))),
            ),
            (
                Search,
                ev(KeyCode::Char('q'), KeyModifiers::NONE),
                Some(Action::Edit(Edit::Insert('q'))),
            ),
            (
                Search,
                ev(KeyCode::Down, KeyModifiers::NONE),
                Some(Action::Next),
            ),
            (
                Search,
                ev(KeyCode::Char('c'), KeyModifiers::CONTROL),
                Some(Action::Quit),
            ),
            (
                TesterText,
                ev(KeyCode::Enter, KeyModifiers::NONE),
                Some(Action::Edit(Edit::Newline)),
            ),
            (
                TesterRegex,
                ev(KeyCode::Enter, KeyModifiers::NONE),
                Some(Action::Leave),
            ),
            (
                TesterText,
                ev(KeyCode::Char('E'), KeyModifiers::CONTROL),
                Some(Action::EditRegex),
            ),
            (
                Overlay,
                ev(KeyCode::Char('q'), KeyModifiers::NONE),
                Some(Action::Leave),
            ),
            (Overlay, ev(KeyCode::Char('L'), KeyModifiers::NONE), None),
            (
                Loading,
                ev(KeyCode::Char('q'), KeyModifiers::NONE),
                Some(Action::Edit(Edit::Insert('q'))),
            ),
            (
                Loading,
                ev(KeyCode::Esc, KeyModifiers::NONE),
                Some(Action::Quit),
            ),
            (
                Loading,
                ev(KeyCode::Enter, KeyModifiers::NONE),
                Some(Action::Leave),
            ),
            (
                Loading,
                ev(KeyCode::Char('u'), KeyModifiers::CONTROL),
                Some(Action::Edit(Edit::Clear)),
            ),
            (
                Loading,
                ev(KeyCode::Char('c'), KeyModifiers::CONTROL),
                Some(Action::Quit),
            ),
            (Loading, ev(KeyCode::Down, KeyModifiers::NONE), None),
            (List, ev(KeyCode::Char('z'), KeyModifiers::NONE), None),
        ];
        for (ctx, e, want) in cases {
            assert_eq!(action_for(ctx, &e), want, "{ctx:?} {e:?}");
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        let all = bindings();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                let overlap = a.context == b.context
                    || [a.context, b.context].contains(&Context::Global)
                    || ([a.context, b.context].contains(&Context::Browse)
                        && [a.context, b.context]
                            .iter()
                            .any(|c| matches!(c, Context::List | Context::Detail)));
                if overlap {
                    for k in &a.keys {
                        assert!(
                            !b.keys.contains(k),
                            "{} bound twice ({:?}, {:?})",
                            k.label(),
                            a.context,
                            b.context
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn every_help_line_has_both_languages() {
        use crate::catalog::Lang;
        for b in bindings() {
            for lang in [Lang::En, Lang::Zh] {
                assert_ne!(
                    crate::i18n::t(lang, b.help),
                    b.help,
                    "missing i18n {}",
                    b.help
                );
                assert_ne!(
                    crate::i18n::t(lang, b.context.help_key()),
                    b.context.help_key()
                );
            }
        }
    }
}
