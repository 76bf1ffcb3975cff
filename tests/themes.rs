//! The three themes as drawn: a snapshot of each (the text, then every styled run), and what each promises
//! whatever the screen: mono draws no colour, light draws no palette colour (which light palettes redefine),
//! and commands to copy keep the terminal's own foreground.

mod common;

use common::{browser_catalog, type_text};
use errdex::tui::action::{Action, Tab};
use errdex::tui::app::{App, Options};
use errdex::tui::theme::Theme;
use errdex::tui::update::update;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Style};

/// The workarounds tab with a search highlight and, in the tester, a regex match: every meaning at once.
fn screen_in(theme: Theme) -> Buffer {
    let mut app = App::new(
        browser_catalog(),
        Options {
            theme,
            ..Options::default()
        },
    );
    update(
        &mut app,
        Action::Resize {
            width: 100,
            height: 30,
        },
    );
    update(&mut app, Action::FocusSearch);
    type_text(&mut app, "confl");
    update(&mut app, Action::Leave);
    update(&mut app, Action::FocusTester);
    update(
        &mut app,
        Action::Paste("CONFLICT (content): Merge conflict in app.py".into()),
    );
    update(&mut app, Action::Leave);
    update(&mut app, Action::Tab(Tab::Workarounds));
    update(&mut app, Action::EnterDetail);
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    terminal
        .draw(|f| errdex::tui::view::draw(&app, f))
        .expect("draw");
    terminal.backend().buffer().clone()
}

/// The text, then each run of cells with a style other than the default: `row x0-x1 style`.
fn styled(buf: &Buffer) -> String {
    let mut text = String::new();
    let mut runs = String::new();
    for y in 0..buf.area.height {
        let mut run: Option<(u16, Style)> = None;
        for x in 0..=buf.area.width {
            let style = (x < buf.area.width).then(|| buf[(x, y)].style());
            if x < buf.area.width {
                text.push_str(buf[(x, y)].symbol());
            }
            let same = matches!((&run, style), (Some((_, s)), Some(t)) if *s == t);
            if !same {
                if let Some((start, s)) = run.take()
                    && let Some(d) = describe(s)
                {
                    runs.push_str(&format!("{y:>2} {start:>3}-{:<3} {d}\n", x - 1));
                }
                run = style.map(|s| (x, s));
            }
        }
        text.push('\n');
    }
    format!("{text}\n{runs}")
}

/// A style in a few words; `None` for the terminal's plain text.
fn describe(s: Style) -> Option<String> {
    let colour = |c: Option<Color>| match c {
        None | Some(Color::Reset) => None,
        Some(c) => Some(format!("{c:?}")),
    };
    let (fg, bg) = (colour(s.fg), colour(s.bg));
    if fg.is_none() && bg.is_none() && s.add_modifier.is_empty() {
        return None;
    }
    let or = |c: Option<String>| c.unwrap_or_else(|| "-".into());
    Some(format!("fg={} bg={} {:?}", or(fg), or(bg), s.add_modifier))
}

fn colours(buf: &Buffer) -> Vec<Color> {
    buf.content()
        .iter()
        .flat_map(|c| [c.fg, c.bg])
        .filter(|c| *c != Color::Reset)
        .collect()
}

#[test]
fn dark() {
    insta::assert_snapshot!("theme_dark", styled(&screen_in(Theme::dark())));
}

#[test]
fn light_uses_only_the_fixed_256_colours() {
    let buf = screen_in(Theme::light());
    insta::assert_snapshot!("theme_light", styled(&buf));
    for c in colours(&buf) {
        assert!(
            matches!(c, Color::Indexed(16..)),
            "{c:?} is a palette colour, which light palettes redefine"
        );
    }
}

#[test]
fn mono_draws_no_colour_at_all() {
    let buf = screen_in(Theme::mono());
    insta::assert_snapshot!("theme_mono", styled(&buf));
    assert_eq!(colours(&buf), Vec::<Color>::new());
}

#[test]
fn commands_keep_the_terminal_foreground_in_every_theme() {
    for theme in [Theme::dark(), Theme::light(), Theme::mono()] {
        let buf = screen_in(theme);
        // The fixture's first workaround's command, as the detail pane shows it.
        let row = (0..buf.area.height)
            .find(|&y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
                    .contains("git add")
            })
            .expect("a command is shown");
        let x = (0..buf.area.width)
            .find(|&x| buf[(x, row)].symbol() == "g" && buf[(x + 1, row)].symbol() == "i")
            .expect("the command's first cell");
        assert_eq!(buf[(x, row)].fg, Color::Reset, "{:?}", theme.name);
    }
}
