//! Human-readable identifiers: models reference elements by these, so files diff well.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A stable, human-readable identifier such as `"api-gateway"`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Id(pub String);

impl Id {
    pub fn new(s: impl Into<String>) -> Self {
        Id(s.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Turns a display name into an id: lowercase words joined by `-`.
    pub fn slug(name: &str) -> Self {
        let mut out = String::new();
        for word in name
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            if !out.is_empty() {
                out.push('-');
            }
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
        if out.is_empty() {
            out.push_str("element");
        }
        Id(out)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Self {
        Id(s.to_owned())
    }
}

impl std::ops::Deref for Id {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_lowercases_and_joins_words() {
        assert_eq!(Id::slug("API Gateway (v2)").as_str(), "api-gateway-v2");
        assert_eq!(Id::slug("  ").as_str(), "element");
    }
}
