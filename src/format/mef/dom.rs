//! A small XML element tree with source positions, enough for Open-PSA MEF files.

use crate::format::{Located, line_col};
use quick_xml::events::Event;
use std::path::Path;

#[derive(Debug)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// Text content directly inside (labels).
    pub text: String,
    /// Byte offset of the `<` that opens the element.
    pub offset: usize,
}

impl Element {
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// A parsed document and the text it came from, to turn offsets into line and column.
pub struct Document {
    pub path: std::path::PathBuf,
    pub text: String,
    pub root: Element,
}

impl Document {
    pub fn error(&self, at: &Element, message: impl Into<String>) -> Located {
        self.error_at(at.offset, message)
    }

    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> Located {
        let (line, col) = line_col(&self.text, offset);
        Located {
            path: self.path.clone(),
            line,
            col,
            message: message.into(),
        }
    }
}

pub fn parse(path: &Path, text: String) -> Result<Document, Located> {
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let here = |offset: usize, message: String| {
        let (line, col) = line_col(&text, offset);
        Located {
            path: path.to_owned(),
            line,
            col,
            message,
        }
    };
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader
            .read_event()
            .map_err(|e| here(before, format!("malformed XML: {e}")))?;
        let end = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let open = text[..end.min(text.len())].rfind('<').unwrap_or(before);
        let is_empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(tag) | Event::Empty(tag) => {
                let name = String::from_utf8_lossy(tag.name().as_ref()).into_owned();
                let mut attrs = Vec::new();
                for a in tag.attributes() {
                    let a = a.map_err(|e| here(open, format!("malformed attribute: {e}")))?;
                    let value = a
                        .unescape_value()
                        .map_err(|e| here(open, format!("malformed attribute value: {e}")))?;
                    attrs.push((
                        String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                        value.into_owned(),
                    ));
                }
                let el = Element {
                    name,
                    attrs,
                    children: Vec::new(),
                    text: String::new(),
                    offset: open,
                };
                if is_empty {
                    attach(&mut stack, &mut root, el);
                } else {
                    stack.push(el);
                }
            }
            Event::End(_) => {
                let el = stack
                    .pop()
                    .ok_or_else(|| here(open, "closing tag without an opening one".into()))?;
                attach(&mut stack, &mut root, el);
            }
            Event::Text(t) => {
                if let Some(el) = stack.last_mut() {
                    let t = t
                        .decode()
                        .map_err(|e| here(before, format!("malformed text: {e}")))?;
                    el.text.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(el) = stack.last_mut() {
                    let name = r
                        .decode()
                        .map_err(|e| here(before, format!("malformed reference: {e}")))?;
                    let c = match name.as_ref() {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "amp" => Some('&'),
                        "apos" => Some('\''),
                        "quot" => Some('"'),
                        _ => r.resolve_char_ref().ok().flatten(),
                    };
                    let c = c.ok_or_else(|| here(before, format!("unknown entity &{name};")))?;
                    el.text.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(here(
            text.len(),
            format!("unexpected end of file: <{}> is not closed", open.name),
        ));
    }
    let root = root.ok_or_else(|| here(0, "expected an <opsa-mef> element, found none".into()))?;
    Ok(Document {
        path: path.to_owned(),
        text,
        root,
    })
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, el: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => {
            if root.is_none() {
                *root = Some(el);
            }
        }
    }
}
