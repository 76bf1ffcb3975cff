//! The loading screen's state: the query typed while the catalogue loads. Plain data changed only by `update`,
//! like `App`, so it is tested without a terminal; `apply` hands the query to the browser once it is built.

use super::action::{Action, Edit};
use super::app::App;
use super::keymap::Context;
use super::textbuf::TextBuf;
use super::theme::Theme;
use crate::catalog::Lang;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loading {
    pub lang: Lang,
    pub theme: Theme,
    /// What the search box will hold when the browser opens.
    pub query: TextBuf,
    /// Enter was pressed: the browser opens on the list rather than in the search box.
    pub done: bool,
    pub quit: bool,
}

impl Loading {
    pub fn new(lang: Lang, theme: Theme) -> Loading {
        Loading {
            lang,
            theme,
            ..Loading::default()
        }
    }

    /// The keymap context of the loading screen.
    pub fn context(&self) -> Context {
        Context::Loading
    }

    /// Puts the typed query into the loaded browser through the actions typing it there would send, so the list
    /// opens filtered by the browser's own path (in the background for large catalogues).
    pub fn apply(&self, app: &mut App) {
        use super::update::update;
        if self.query.text().is_empty() {
            return;
        }
        update(app, Action::FocusSearch);
        // One paste, not a keystroke per character: a catalogue filtered in the foreground is filtered once.
        update(app, Action::Paste(self.query.text().to_string()));
        // The paste leaves the cursor at the end; put it back where it was typed.
        let after = self.query.text()[self.query.cursor()..].chars().count();
        for _ in 0..after {
            update(app, Action::Edit(Edit::Left));
        }
        if self.done {
            update(app, Action::Leave);
        }
    }
}

/// The only place the loading state changes; actions the loading screen has no use for are ignored.
pub fn update(state: &mut Loading, action: Action) {
    match action {
        Action::Quit => state.quit = true,
        Action::Leave => state.done = true,
        // The search box is one line.
        Action::Edit(Edit::Newline | Edit::Up | Edit::Down) => {}
        Action::Edit(edit) => {
            state.query.edit(&edit);
            state.done = false;
        }
        Action::Paste(text) => {
            let line: String = text
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            // Capped as the search box is, where the query goes once the catalogue is loaded.
            state
                .query
                .insert_capped(&line, super::update::MAX_LINE_BYTES);
            state.done = false;
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::action_for;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn press(state: &mut Loading, code: KeyCode, mods: KeyModifiers) {
        if let Some(action) = action_for(state.context(), &KeyEvent::new(code, mods)) {
            update(state, action);
        }
    }

    fn type_str(state: &mut Loading, text: &str) {
        for c in text.chars() {
            press(state, KeyCode::Char(c), KeyModifiers::NONE);
        }
    }

    #[test]
    fn keys_edit_the_pending_query() {
        let mut s = Loading::new(Lang::En, Theme::default());
        type_str(&mut s, "docker quit");
        assert_eq!(s.query.text(), "docker quit", "q is a letter here");
        press(&mut s, KeyCode::Backspace, KeyModifiers::NONE);
        press(&mut s, KeyCode::Char('w'), KeyModifiers::CONTROL);
        assert_eq!(s.query.text(), "docker ");
        press(&mut s, KeyCode::Home, KeyModifiers::NONE);
        type_str(&mut s, "错");
        press(&mut s, KeyCode::End, KeyModifiers::NONE);
        type_str(&mut s, "x");
        assert_eq!(s.query.text(), "错docker x");
        press(&mut s, KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(s.query.text(), "");
        assert!(!s.quit && !s.done);
    }

    #[test]
    fn up_down_and_newlines_keep_the_query_on_one_line() {
        let mut s = Loading::new(Lang::En, Theme::default());
        type_str(&mut s, "ab");
        update(&mut s, Action::Edit(Edit::Newline));
        update(&mut s, Action::Edit(Edit::Up));
        update(&mut s, Action::Paste("c\r\nd\te".into()));
        assert_eq!(s.query.text(), "abc  d e");
        assert_eq!(s.query.cursor(), s.query.text().len());
    }

    #[test]
    fn escape_and_ctrl_c_quit_enter_opens_the_list() {
        for (code, mods) in [
            (KeyCode::Esc, KeyModifiers::NONE),
            (KeyCode::Char('c'), KeyModifiers::CONTROL),
        ] {
            let mut s = Loading::new(Lang::Zh, Theme::default());
            type_str(&mut s, "x");
            press(&mut s, code, mods);
            assert!(s.quit, "{code:?}");
        }
        let mut s = Loading::new(Lang::En, Theme::default());
        type_str(&mut s, "git");
        press(&mut s, KeyCode::Enter, KeyModifiers::NONE);
        assert!(s.done && !s.quit);
        assert_eq!(s.query.text(), "git");
        type_str(&mut s, "x");
        assert!(!s.done, "typing again means the search is not done");
    }

    #[test]
    fn other_actions_change_nothing() {
        let mut s = Loading::new(Lang::En, Theme::default());
        type_str(&mut s, "a");
        let before = s.clone();
        for action in [
            Action::Next,
            Action::ToggleLang,
            Action::Resize {
                width: 10,
                height: 5,
            },
            Action::Click { column: 1, row: 1 },
        ] {
            update(&mut s, action);
        }
        assert_eq!(s, before);
    }
}
