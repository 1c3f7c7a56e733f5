//! With the `split` feature, the wasm keeps its relocations (wasm-ld
//! `--emit-relocs`): the splitter (wasm-split-cli, run by `cargo xtask build`
//! between cargo and wasm-bindgen) reads them to move each page group's code into
//! a file of its own. Only the final link of the binary changes, so no
//! dependency is rebuilt.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let split = std::env::var_os("CARGO_FEATURE_SPLIT").is_some();
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    if split && wasm {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
}
