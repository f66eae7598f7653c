//! Links the `jobhound` binary with packed relative relocations
//! (`-z pack-relative-relocs`, ELF's `DT_RELR`) where the toolchain and the
//! system's loader support them.
//!
//! A position-independent Rust binary carries one 24-byte relocation per
//! pointer in its static data (vtables, string tables): 1.4 MB for
//! jobhound, all read at every start and then kept resident. Packed, they
//! take a few kilobytes, which is most of what the daemon's idle memory
//! needs to stay under its 15 MB (BENCHMARKS.md, section 5).
//!
//! Older linkers reject the flag and older loaders (glibc before 2.36)
//! cannot start such a binary, so a probe program is linked with it and
//! run first; if either step fails, the binary is linked as before.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

const FLAG: &str = "-Wl,-z,pack-relative-relocs";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = env::var("TARGET").unwrap_or_default();
    let host = env::var("HOST").unwrap_or_default();
    // The probe has to run where the binary will: no cross builds.
    if target != host || !target.ends_with("-linux-gnu") {
        return;
    }
    let Some(out) = env::var_os("OUT_DIR").map(PathBuf::from) else {
        return;
    };
    if probe(&out) {
        println!("cargo:rustc-link-arg-bins={FLAG}");
    }
}

/// Whether a program linked with [`FLAG`] by the system's C compiler
/// (rustc's default linker on Linux) links and runs.
fn probe(out: &Path) -> bool {
    let source = out.join("relr-probe.c");
    let program = out.join("relr-probe");
    let table = "static const char *const names[] = {\"a\", \"b\"};\n\
                 int main(int argc, char **argv) { (void)argv; return names[argc - 1][0] != 'a'; }\n";
    if std::fs::write(&source, table).is_err() {
        return false;
    }
    let linked = Command::new("cc")
        .args(["-pie", "-fPIE", FLAG, "-o"])
        .arg(&program)
        .arg(&source)
        .output()
        .is_ok_and(|o| o.status.success());
    linked && Command::new(&program).status().is_ok_and(|s| s.success())
}
