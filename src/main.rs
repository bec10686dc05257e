//! The `threatloom` command: headless subcommands over the library.

mod cli;
#[cfg(target_os = "linux")]
mod huge_pages;

#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: huge_pages::HugePages = huge_pages::HugePages;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
