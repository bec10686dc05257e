//! Colour themes in RON: four built in (compiled from `themes/`), user files in the config
//! folder override only the fields they name, and `NO_COLOR` turns colour off while shapes,
//! borders and letters keep all the meaning.

use crate::model::RiskLevel;
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

pub const BUILT_IN: [(&str, &str); 4] = [
    ("dark", include_str!("../../themes/dark.ron")),
    ("light", include_str!("../../themes/light.ron")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.ron"),
    ),
    (
        "colour-blind",
        include_str!("../../themes/colour-blind.ron"),
    ),
];

macro_rules! theme {
    ($($field:ident),+ $(,)?) => {
        /// Colours by role.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Theme {
            pub name: String,
            $(pub $field: Color,)+
        }

        /// A theme file: every field optional, so a user file may name only a few.
        #[derive(Debug, Clone, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct ThemeFile {
            pub base: Option<String>,
            $(pub $field: Option<String>,)+
        }

        impl Theme {
            fn overlay(&mut self, f: &ThemeFile) -> Result<(), String> {
                $(if let Some(c) = &f.$field {
                    self.$field = c.parse::<Color>().map_err(|_| format!("{}: not a colour: {c}", stringify!($field)))?;
                })+
                Ok(())
            }

            fn blank(name: &str) -> Self {
                Theme { name: name.to_owned(), $($field: Color::Reset,)+ }
            }
        }
    };
}

theme!(
    background,
    foreground,
    muted,
    accent,
    selection,
    marked,
    process,
    data_store,
    external,
    boundary,
    flow,
    flow_crossing,
    status_background,
    status_foreground,
    error,
    risk_low,
    risk_medium,
    risk_high,
    risk_critical,
);

impl Theme {
    /// A built-in theme by name, with a user file's overrides applied.
    pub fn load(name: &str, user: Option<&str>) -> Result<Theme, String> {
        let user: Option<ThemeFile> = user
            .map(|t| {
                ron::from_str(t)
                    .map_err(|e| format!("{}:{}: {}", e.span.start.line, e.span.start.col, e.code))
            })
            .transpose()?;
        let base = user
            .as_ref()
            .and_then(|u| u.base.clone())
            .unwrap_or_else(|| name.to_owned());
        let (_, text) = BUILT_IN.iter().find(|(n, _)| *n == base).ok_or_else(|| {
            format!("no theme \"{base}\" (built in: dark, light, high-contrast, colour-blind)")
        })?;
        let file: ThemeFile =
            ron::from_str(text).map_err(|e| format!("built-in theme {base}: {e}"))?;
        let mut theme = Theme::blank(name);
        theme.overlay(&file)?;
        if let Some(u) = &user {
            theme.overlay(u)?;
        }
        Ok(theme)
    }

    /// The same roles without any colour (for `NO_COLOR`).
    pub fn monochrome(&self) -> Theme {
        Theme::blank(&self.name)
    }

    pub fn base(&self) -> Style {
        Style::default().fg(self.foreground).bg(self.background)
    }

    /// The colour of a risk level, wherever one is shown.
    pub fn level(&self, l: RiskLevel) -> Color {
        match l {
            RiskLevel::Low => self.risk_low,
            RiskLevel::Medium => self.risk_medium,
            RiskLevel::High => self.risk_high,
            RiskLevel::Critical => self.risk_critical,
        }
    }

    pub fn fg(&self, c: Color) -> Style {
        Style::default().fg(c)
    }

    /// Selection stays visible without colour: reversed video.
    pub fn selected(&self) -> Style {
        Style::default()
            .fg(self.selection)
            .add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }

    pub fn status(&self) -> Style {
        Style::default()
            .fg(self.status_foreground)
            .bg(self.status_background)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_theme_loads() {
        for (name, _) in BUILT_IN {
            let t = Theme::load(name, None).expect("loads");
            assert_ne!(t.foreground, Color::Reset, "{name} sets its colours");
        }
    }

    #[test]
    fn monochrome_has_no_colour_but_keeps_the_selection_visible() {
        let t = Theme::load("high-contrast", None)
            .expect("theme")
            .monochrome();
        assert_eq!(
            (t.foreground, t.process, t.flow_crossing),
            (Color::Reset, Color::Reset, Color::Reset)
        );
        assert!(t.selected().add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn user_file_overrides_only_what_it_names() {
        let dark = Theme::load("dark", None).expect("dark");
        let t = Theme::load("dark", Some("(selection: Some(\"#ff00ff\"))")).expect("loads");
        assert_eq!(t.selection, Color::Rgb(255, 0, 255));
        assert_eq!(t.process, dark.process);
        assert!(Theme::load("dark", Some("(selektion: Some(\"red\"))")).is_err());
    }
}
