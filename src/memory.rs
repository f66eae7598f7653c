//! Giving freed memory back to the system while the daemon sleeps.
//!
//! glibc's allocator keeps what a thread frees in that thread's arena for
//! the next allocation. After a round of fetches (a cold ingest peaks at
//! tens of megabytes: bodies, parsed postings, the writer's batches) the
//! freed pages would stay resident through every hour the daemon then
//! sleeps. [`release_freed`] hands them back, and the scheduler calls it
//! when the last pass of a round has reported and nothing is in flight.

/// Returns the allocator's free pages to the system: the unused top of each
/// arena and the whole free pages inside them. A few milliseconds after a
/// busy round; call it when going idle, not on a hot path. Does nothing
/// where the allocator is not glibc's.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` takes no pointers and only rearranges the
    // allocator's own free lists, under the allocator's locks; it is safe
    // to call from any thread at any time.
    #[allow(unsafe_code)]
    unsafe {
        libc::malloc_trim(0);
    }
}
