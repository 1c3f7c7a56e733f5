// With the `embed-app` feature, the app's files in dist/ are compiled into
// the binary. include_dir does not tell cargo to rebuild when they change,
// so this script names every file for cargo to watch and hands the code a
// stamp of all their names and contents: any change recompiles the crate
// and names a new folder for the unpacked copy.
use std::path::Path;

fn main() {
    // The lesson files are compiled in (src/lessons.rs), whatever the features.
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={}", Path::new(env!("CARGO_MANIFEST_DIR")).join("../../lessons").display());
    if std::env::var_os("CARGO_FEATURE_EMBED_APP").is_none() {
        return;
    }
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist");
    if !dist.join("index.html").is_file() {
        panic!("the embed-app feature needs the built app in {}: run `cargo xtask dist`, which builds it first", dist.display());
    }
    println!("cargo:rerun-if-changed={}", dist.display());
    let mut files = Vec::new();
    walk(&dist, &mut files);
    files.sort();
    // FNV-1a over each file's relative name and contents (a change detector,
    // not a security measure: what is served is checked byte for byte).
    let mut stamp = 0xcbf2_9ce4_8422_2325_u64;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            stamp = (stamp ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        eat(file.strip_prefix(&dist).unwrap_or(file).to_string_lossy().as_bytes());
        eat(&[0]);
        eat(&std::fs::read(file).unwrap_or_default());
    }
    println!("cargo:rustc-env=ROUNDTRIP_APP_STAMP={stamp:016x}");
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}
