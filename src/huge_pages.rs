//! The process's allocator: the system's, with large blocks backed by transparent huge pages
//! where Linux leaves that to the program (`madvise` mode, the usual default). A decision
//! diagram lives in arrays of hundreds of megabytes read at random; over 4 KiB pages almost
//! every read also misses the TLB, and 2 MiB pages take that cost away (das9701 compiles in
//! about 15 s instead of 22 s).

// The project's only unsafe code: an allocator is an unsafe trait, and `madvise` a C call.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};

pub struct HugePages;

const HUGE_PAGE: usize = 2 << 20;

/// Blocks from this size on are advised: below it a block spans too few huge pages to matter.
const MIN_SIZE: usize = 4 * HUGE_PAGE;

/// The whole huge pages inside a block of `size` bytes at `addr`, as (start, length).
fn huge_range(addr: usize, size: usize) -> Option<(usize, usize)> {
    if size < MIN_SIZE {
        return None;
    }
    let start = addr.next_multiple_of(HUGE_PAGE);
    let end = (addr + size) / HUGE_PAGE * HUGE_PAGE;
    (end > start).then(|| (start, end - start))
}

/// Asks for huge pages over the block at `ptr`. Only advice: the kernel may ignore it, and
/// nothing depends on whether it did.
fn advise(ptr: *mut u8, size: usize) {
    if ptr.is_null() {
        return;
    }
    if let Some((start, len)) = huge_range(ptr as usize, size) {
        // SAFETY: the range lies inside a block this allocator has just handed out, and the
        // advice changes neither its contents nor its lifetime.
        unsafe {
            libc::madvise(start as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
        }
    }
}

// SAFETY: every block comes from `System` and goes back to it unchanged; `advise` only adds
// advice on memory inside a block.
unsafe impl GlobalAlloc for HugePages {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is `System`'s.
        let ptr = unsafe { System.alloc(layout) };
        advise(ptr, layout.size());
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        advise(ptr, layout.size());
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as for `alloc`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.realloc(ptr, layout, new_size) };
        advise(ptr, new_size);
        ptr
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_huge_pages_inside_large_blocks_are_advised() {
        let mib = 1 << 20;
        // Small blocks: none.
        assert_eq!(huge_range(0, MIN_SIZE - 1), None);
        // Aligned: all of it.
        assert_eq!(huge_range(4 * mib, 8 * mib), Some((4 * mib, 8 * mib)));
        // Unaligned at both ends: the pages strictly inside.
        assert_eq!(
            huge_range(4 * mib + 4096, 10 * mib),
            Some((6 * mib, 8 * mib))
        );
        // Starting half a page in: the three whole pages after it.
        assert_eq!(huge_range(mib, 8 * mib), Some((2 * mib, 6 * mib)));
    }
}
