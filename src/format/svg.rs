//! A rendered terminal buffer as an SVG image: one `<text>` run per span of equal style, a
//! rectangle per run of equal background. Screenshots are made from fixture models with it,
//! so they never go stale and never show private data.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use std::fmt::Write;

const CELL_W: f64 = 8.4;
const CELL_H: f64 = 17.0;

/// The 16 ANSI colours, as a typical dark terminal shows them.
fn ansi(c: Color) -> Option<&'static str> {
    Some(match c {
        Color::Black => "#1d1f21",
        Color::Red => "#cc6666",
        Color::Green => "#b5bd68",
        Color::Yellow => "#f0c674",
        Color::Blue => "#81a2be",
        Color::Magenta => "#b294bb",
        Color::Cyan => "#8abeb7",
        Color::Gray => "#c5c8c6",
        Color::DarkGray => "#666666",
        Color::LightRed => "#ff7b7b",
        Color::LightGreen => "#d0ff7b",
        Color::LightYellow => "#fff27b",
        Color::LightBlue => "#7bb6ff",
        Color::LightMagenta => "#e07bff",
        Color::LightCyan => "#7bfff2",
        Color::White => "#ffffff",
        _ => return None,
    })
}

fn hex(c: Color, default: &str) -> String {
    match c {
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Reset => default.to_owned(),
        c => ansi(c).unwrap_or(default).to_owned(),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The buffer as an SVG document; `fg` and `bg` stand in for the terminal's default colours.
pub fn render(buf: &Buffer, fg: &str, bg: &str) -> String {
    let (w, h) = (buf.area.width, buf.area.height);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{:.0}" height="{:.0}" viewBox="0 0 {:.0} {:.0}">"#,
        f64::from(w) * CELL_W,
        f64::from(h) * CELL_H,
        f64::from(w) * CELL_W,
        f64::from(h) * CELL_H
    );
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="{bg}"/>"#);
    out.push_str(r#"<g font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14px" xml:space="preserve">"#);
    out.push('\n');
    for y in 0..h {
        let mut x = 0;
        while x < w {
            let cell = &buf[(x, y)];
            let reversed = cell.modifier.contains(Modifier::REVERSED);
            let (cfg, cbg) = if reversed {
                (hex(cell.bg, bg), hex(cell.fg, fg))
            } else {
                (hex(cell.fg, fg), hex(cell.bg, bg))
            };
            let style = (cfg.clone(), cbg.clone(), cell.modifier);
            let mut text = String::new();
            let start = x;
            while x < w {
                let c = &buf[(x, y)];
                let rev = c.modifier.contains(Modifier::REVERSED);
                let (f2, b2) = if rev {
                    (hex(c.bg, bg), hex(c.fg, fg))
                } else {
                    (hex(c.fg, fg), hex(c.bg, bg))
                };
                if (f2, b2, c.modifier) != style {
                    break;
                }
                text.push_str(c.symbol());
                x += 1;
            }
            let (px, py) = (f64::from(start) * CELL_W, f64::from(y) * CELL_H);
            if cbg != bg {
                let _ = writeln!(
                    out,
                    r#"<rect x="{px:.1}" y="{py:.1}" width="{:.1}" height="{CELL_H}" fill="{cbg}"/>"#,
                    f64::from(x - start) * CELL_W
                );
            }
            if !text.trim().is_empty() {
                let mut attrs = format!(r#"fill="{cfg}""#);
                if style.2.contains(Modifier::BOLD) {
                    attrs.push_str(r#" font-weight="bold""#);
                }
                if style.2.contains(Modifier::DIM) {
                    attrs.push_str(r#" opacity="0.6""#);
                }
                let _ = writeln!(
                    out,
                    r#"<text x="{px:.1}" y="{:.1}" textLength="{:.1}" {attrs}>{}</text>"#,
                    py + CELL_H * 0.78,
                    f64::from(x - start) * CELL_W,
                    escape(&text)
                );
            }
        }
    }
    out.push_str("</g>\n</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::render;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::{Color, Style};

    #[test]
    fn runs_of_equal_style_become_one_text_element() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
        buf.set_string(0, 0, "ab<", Style::default().fg(Color::Red));
        buf.set_string(
            3,
            0,
            "cd",
            Style::default().fg(Color::Rgb(1, 2, 3)).bg(Color::Blue),
        );
        let svg = render(&buf, "#eeeeee", "#000000");
        assert!(svg.contains(r##"fill="#cc6666">ab&lt;</text>"##), "{svg}");
        assert!(svg.contains(r##"fill="#010203">cd</text>"##), "{svg}");
        assert!(svg.contains(r##"fill="#81a2be"/>"##), "background run");
    }
}
