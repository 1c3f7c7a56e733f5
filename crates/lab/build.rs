// With the `embed-app` feature, the app's files in dist/ are compiled into
// the binary. include_dir does not tell cargo to rebuild when they change,
// and each Trunk build writes new file names: index.html names them all (with
// their integrity hashes), so its contents stand for the whole build.
fn main() {
    if std::env::var_os("CARGO_FEATURE_EMBED_APP").is_none() {
        return;
    }
    let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist");
    let index = dist.join("index.html");
    println!("cargo:rerun-if-changed={}", dist.display());
    println!("cargo:rerun-if-changed={}", index.display());
    let Ok(text) = std::fs::read(&index) else {
        panic!("the embed-app feature needs the built app in {}: run `cargo xtask dist`, which builds it first", dist.display());
    };
    // A stamp the code reads, so a new index.html recompiles the crate.
    let stamp = text.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3));
    println!("cargo:rustc-env=ROUNDTRIP_APP_STAMP={stamp:016x}");
}
