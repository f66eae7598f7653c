//! The writer first: the runtime's threads (fetching, parsing, normalizing,
//! tokenizing, serving the API) run at a lower scheduling priority than the
//! database writer, the pipeline's one serial stage.
//!
//! On a machine with fewer cores than runnable threads, the scheduler would
//! otherwise share the cores out evenly: the writer waits its turn behind
//! the threads preparing the next fetches, the writer's queue fills, and
//! those threads then block on it while one core idles. With the writer
//! first, both cores have work more of the time: a cold ingest of 500 feeds
//! on two cores takes 4-6 % less wall time at the same CPU (BENCHMARKS.md,
//! *The writer first*). Where cores are plenty, nothing changes. The writer and the
//! checkpointer are threads of their own, started at the process's priority.

/// How much lower than the writer's: 10 `nice` steps, which leave a thread
/// about a tenth of a core that the writer also wants. Relative to the
/// process's own: a daemon started at nice 5 runs its writer at 5 and these
/// threads at 15 (the kernel stops at 19).
const BEHIND_WRITER: i32 = 10;

/// Lowers the calling thread's scheduling priority below the writer's; for
/// the runtime's `on_thread_start`. Linux keeps a nice value per thread;
/// elsewhere `nice` would lower the whole process, the writer with it, so
/// this does nothing there. A refusal is harmless (the thread keeps its
/// priority) and is not reported.
pub fn behind_writer() {
    #[cfg(target_os = "linux")]
    // SAFETY: `nice` takes no pointers; on Linux it reads and sets the
    // calling thread's nice value only (`getpriority`/`setpriority` of the
    // current task).
    #[allow(unsafe_code)]
    unsafe {
        let _ = libc::nice(BEHIND_WRITER);
    }
}
