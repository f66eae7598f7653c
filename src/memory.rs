//! Giving freed memory back to the system while the daemon sleeps.
//!
//! glibc's allocator keeps what a thread frees in that thread's arena for
//! the next allocation. After a round of fetches (a cold ingest peaks at
//! tens of megabytes: bodies, parsed postings, the writer's batches) the
//! freed pages would stay resident through every hour the daemon then
//! sleeps. [`release_freed`] hands them back, and the scheduler calls it
//! when the last pass of a round has reported and nothing is in flight.
//! [`map_large_blocks`] keeps the largest blocks (response bodies, whole
//! fetches' buffers) out of the arenas in the first place.

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

/// Gives every block of 128 KiB or more pages of its own, returned
/// to the system when it is freed. glibc starts there too, but raises the
/// bar to the size of each such block freed, up to 32 MiB, so after a few
/// response bodies they are carved from the arenas, and what they leave
/// behind is held. A fixed bar lowers a cold ingest's peak memory by 4-9 MB
/// (BENCHMARKS.md, *One open transaction*), for a few hundred `mmap` calls.
/// Call it once, first thing. Does nothing where the allocator is not glibc's.
pub fn map_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` takes no pointers and only sets a threshold of the
    // allocator, under its lock; called before any thread is started.
    #[allow(unsafe_code)]
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 << 10);
    }
}
