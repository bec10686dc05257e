//! What the machine offers: the memory available now, which bounds how large a BDD the
//! fault-tree engine may build, today's date, which tells what is overdue, and who is at the
//! keyboard, who decides and reviews.

use crate::analysis::fault_tree::max_nodes_within;

/// Bytes of memory available to new allocations without swapping, where the system tells
/// (Linux: `MemAvailable` in /proc/meminfo); `None` elsewhere or when unreadable.
pub fn available_memory() -> Option<u64> {
    mem_available(&std::fs::read_to_string("/proc/meminfo").ok()?)
}

/// The largest BDD, in nodes, that the fault-tree engine should build when it may take
/// `share` of the memory available; `None` where the system does not tell.
pub fn node_budget(share: f64) -> Option<usize> {
    // Whole bytes: the rounding is far below the engine's granularity.
    available_memory().map(|b| max_nodes_within((b as f64 * share) as u64))
}

/// Today's date in UTC, from the system clock (1970-01-01 if the clock is before it).
pub fn today() -> crate::model::Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    crate::model::Date::from_unix_days((secs / 86_400) as i64)
}

/// The name of the person using the editor: `$THREATLOOM_USER`, else git's `user.name` (the
/// name a model kept in git is committed under); `None` if neither says.
pub fn user_name() -> Option<String> {
    first_name(std::env::var("THREATLOOM_USER").ok(), || {
        let out = std::process::Command::new("git")
            .args(["config", "--get", "user.name"])
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    })
}

/// The first of `set` and (asked only if needed) `git` that names someone, trimmed.
fn first_name(set: Option<String>, git: impl FnOnce() -> Option<String>) -> Option<String> {
    let named = |s: String| {
        let s = s.trim().to_owned();
        (!s.is_empty()).then_some(s)
    };
    set.and_then(named).or_else(|| git().and_then(named))
}

fn mem_available(meminfo: &str) -> Option<u64> {
    let kb = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))?
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse::<u64>()
        .ok()?;
    kb.checked_mul(1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mem_available_is_read_in_bytes() {
        let meminfo = "MemTotal:       24579384 kB\nMemFree:        21000000 kB\n\
                       MemAvailable:   23456789 kB\nBuffers:           1234 kB\n";
        assert_eq!(mem_available(meminfo), Some(23_456_789 * 1024));
        assert_eq!(mem_available("MemTotal: 1 kB\n"), None);
        assert_eq!(mem_available("MemAvailable: lots\n"), None);
    }

    #[test]
    fn the_user_is_named_by_the_variable_first_then_by_git() {
        let git = || Some("Grace Hopper\n".to_owned());
        assert_eq!(first_name(Some("Ada".into()), git), Some("Ada".into()));
        assert_eq!(
            first_name(Some("  ".into()), git),
            Some("Grace Hopper".into())
        );
        assert_eq!(first_name(None, git), Some("Grace Hopper".into()));
        assert_eq!(first_name(None, || None), None);
        assert_eq!(first_name(None, || Some("\n".into())), None);
        let asked = std::cell::Cell::new(false);
        first_name(Some("Ada".into()), || {
            asked.set(true);
            None
        });
        assert!(
            !asked.get(),
            "git is not asked when the variable names someone"
        );
    }

    #[test]
    fn this_machine_tells_where_it_is_linux() {
        if cfg!(target_os = "linux") {
            assert!(available_memory().is_some_and(|b| b > 0));
        }
    }
}
