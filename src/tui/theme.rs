//! Colour themes: every style the views use, by meaning, so one switch changes them all.
//!
//! `dark` is the original look (the 16 ANSI colours). `light` uses colours of the 256-colour cube, which
//! terminal palettes (xterm, Tango, Solarized) leave alone, chosen so every foreground has a contrast of at
//! least 4.5:1 on white and on Solarized light's background (tested below). `mono` uses no colour at all:
//! bold, underline and reverse carry every meaning. Commands people copy are drawn in the terminal's own
//! foreground, bold, in every theme. Focus is shown by a thick border as well as by colour.

use clap::ValueEnum;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::BorderType;

/// The theme asked for; `Auto` asks the terminal for its background (see `terminal::background_is_light`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ThemeName {
    #[default]
    Auto,
    Dark,
    Light,
    Mono,
}

impl ThemeName {
    /// The name as written in the configuration file or the environment.
    pub fn parse(s: &str) -> Option<ThemeName> {
        <ThemeName as ValueEnum>::from_str(s, false).ok()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub name: ThemeName,
    /// Headings, domains, the focused border.
    pub accent: Style,
    /// Pane titles and headings.
    pub title: Style,
    /// Characters the search matched, and the tester's group values.
    pub hit: Style,
    /// Text the regex matched in the tester (a background, so the match stands out inside the line).
    pub tester_hit: Style,
    pub good: Style,
    pub bad: Style,
    pub warn: Style,
    /// Links that can be followed (related records, the docs).
    pub link: Style,
    /// Commands to copy.
    pub command: Style,
    /// Secondary text: labels, hints, unfocused borders.
    pub dim: Style,
    /// The language badge in the status bar.
    pub badge: Style,
    pub tab_selected: Style,
}

impl Theme {
    pub fn new(name: ThemeName) -> Theme {
        match name {
            ThemeName::Auto | ThemeName::Dark => Theme::dark(),
            ThemeName::Light => Theme::light(),
            ThemeName::Mono => Theme::mono(),
        }
    }

    pub fn dark() -> Theme {
        let fg = |c| Style::new().fg(c);
        Theme {
            name: ThemeName::Dark,
            accent: fg(Color::Cyan),
            title: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            hit: fg(Color::Yellow).add_modifier(Modifier::BOLD),
            tester_hit: Style::new()
                .bg(Color::Yellow)
                .fg(Color::Black)
                .add_modifier(Modifier::BOLD),
            good: fg(Color::Green),
            bad: fg(Color::Red),
            warn: fg(Color::Yellow),
            link: fg(Color::Cyan).add_modifier(Modifier::UNDERLINED),
            command: Style::new().add_modifier(Modifier::BOLD),
            dim: Style::new().add_modifier(Modifier::DIM),
            badge: Style::new().fg(Color::Black).bg(Color::Cyan),
            tab_selected: fg(Color::Cyan).add_modifier(Modifier::REVERSED | Modifier::BOLD),
        }
    }

    pub fn light() -> Theme {
        let fg = |c| Style::new().fg(Color::Indexed(c));
        let (blue, magenta, green, red, brown, grey) = (25, 90, 22, 124, 94, 240);
        Theme {
            name: ThemeName::Light,
            accent: fg(blue),
            title: fg(blue).add_modifier(Modifier::BOLD),
            hit: fg(magenta).add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            // Black (cube colour 16, not palette colour 0, which Solarized makes grey-blue) on pale yellow.
            tester_hit: Style::new()
                .bg(Color::Indexed(229))
                .fg(Color::Indexed(16))
                .add_modifier(Modifier::BOLD),
            good: fg(green),
            bad: fg(red),
            warn: fg(brown),
            link: fg(blue).add_modifier(Modifier::UNDERLINED),
            command: Style::new().add_modifier(Modifier::BOLD),
            // DIM would fade dark text towards the white background; a dark grey keeps 4.5:1.
            dim: fg(grey),
            badge: Style::new()
                .fg(Color::Indexed(231))
                .bg(Color::Indexed(blue)),
            tab_selected: Style::new()
                .fg(Color::Indexed(231))
                .bg(Color::Indexed(blue))
                .add_modifier(Modifier::BOLD),
        }
    }

    pub fn mono() -> Theme {
        let m = |m| Style::new().add_modifier(m);
        Theme {
            name: ThemeName::Mono,
            accent: m(Modifier::BOLD),
            title: m(Modifier::BOLD),
            hit: m(Modifier::BOLD | Modifier::UNDERLINED),
            tester_hit: m(Modifier::REVERSED),
            good: m(Modifier::BOLD),
            bad: m(Modifier::BOLD),
            warn: m(Modifier::BOLD),
            link: m(Modifier::UNDERLINED),
            command: m(Modifier::BOLD),
            dim: m(Modifier::DIM),
            badge: m(Modifier::REVERSED),
            tab_selected: m(Modifier::REVERSED | Modifier::BOLD),
        }
    }

    /// A pane's border: thick and in the accent style when it has the keyboard focus.
    pub fn border(&self, focused: bool) -> (BorderType, Style) {
        if focused {
            (BorderType::Thick, self.accent)
        } else {
            (BorderType::Plain, self.dim)
        }
    }

    /// Every style, named, for tests that check them all.
    pub fn styles(&self) -> [(&'static str, Style); 12] {
        [
            ("accent", self.accent),
            ("title", self.title),
            ("hit", self.hit),
            ("tester_hit", self.tester_hit),
            ("good", self.good),
            ("bad", self.bad),
            ("warn", self.warn),
            ("link", self.link),
            ("command", self.command),
            ("dim", self.dim),
            ("badge", self.badge),
            ("tab_selected", self.tab_selected),
        ]
    }
}

impl Default for Theme {
    fn default() -> Theme {
        Theme::dark()
    }
}

/// The theme for a request: `Auto` is light on a light background, dark otherwise (and when the terminal does
/// not say). No colour at all (`NO_COLOR`, `--color never`) is mono whatever was asked.
pub fn choose(asked: ThemeName, colour: bool, background_is_light: impl FnOnce() -> bool) -> Theme {
    if !colour {
        return Theme::mono();
    }
    match asked {
        ThemeName::Auto if background_is_light() => Theme::light(),
        other => Theme::new(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The RGB of a 256-colour cube or grey-ramp entry (xterm's formula, which every palette keeps).
    fn rgb(index: u8) -> (u8, u8, u8) {
        match index {
            16..=231 => {
                let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
                let i = index - 16;
                (level(i / 36), level(i / 6 % 6), level(i % 6))
            }
            232..=255 => {
                let v = 8 + 10 * (index - 232);
                (v, v, v)
            }
            _ => panic!("colour {index} is a palette colour, which themes change"),
        }
    }

    fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
        let lin = |c: u8| {
            let c = c as f64 / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }

    fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn every_light_theme_foreground_reads_at_4_5_to_1_on_light_backgrounds() {
        // White (xterm's and Tango's light profiles) and Solarized light's base3.
        let backgrounds = [(255, 255, 255), (0xfd, 0xf6, 0xe3)];
        for (name, style) in Theme::light().styles() {
            let Some(fg) = style.fg else {
                // The terminal's own foreground: its palette's business, chosen to read.
                continue;
            };
            let Color::Indexed(i) = fg else {
                panic!("{name} uses {fg:?}, which light palettes redefine")
            };
            // A style with its own background is read against that background.
            let grounds: Vec<(u8, u8, u8)> = match style.bg {
                Some(Color::Indexed(b)) => vec![rgb(b)],
                Some(other) => panic!("{name} has background {other:?}"),
                None => backgrounds.to_vec(),
            };
            for ground in grounds {
                let c = contrast(rgb(i), ground);
                assert!(c >= 4.5, "{name}: colour {i} on {ground:?} is {c:.2}:1");
            }
        }
    }

    #[test]
    fn the_contrast_formula_is_the_wcag_one() {
        assert!((contrast((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 1e-9);
        // xterm's yellow on white, the dark theme's match colour: why a light theme is needed.
        assert!(contrast((205, 205, 0), (255, 255, 255)) < 2.0);
    }

    #[test]
    fn mono_uses_no_colour_and_keeps_every_meaning_apart_from_plain_text() {
        for (name, style) in Theme::mono().styles() {
            assert_eq!((style.fg, style.bg), (None, None), "{name}");
            assert!(
                !style.add_modifier.is_empty(),
                "{name} looks like plain text"
            );
        }
    }

    #[test]
    fn no_colour_means_mono_and_auto_follows_the_background() {
        assert_eq!(
            choose(ThemeName::Light, false, || true).name,
            ThemeName::Mono
        );
        assert_eq!(
            choose(ThemeName::Auto, true, || true).name,
            ThemeName::Light
        );
        assert_eq!(
            choose(ThemeName::Auto, true, || false).name,
            ThemeName::Dark
        );
        let asked = choose(ThemeName::Dark, true, || panic!("not asked"));
        assert_eq!(asked.name, ThemeName::Dark);
    }
}
