//! The wasm split: the app's code cut into four files by page group, and
//! the chunks they share (ARCHITECTURE.md, "The wasm, split").
//!
//! Trunk stays the build: it runs cargo, wasm-bindgen and wasm-opt, hashes
//! and writes dist/. The split has to happen between cargo and wasm-bindgen
//! (Trunk has no step there, trunk-rs/trunk#1022), so `cargo xtask build`
//! puts a `wasm-bindgen` of its own first on Trunk's PATH: a two-line script
//! that runs `xtask wasm-bindgen-split`, which
//! 1. cuts the wasm cargo linked (with relocations, see build.rs) at the
//!    split points with wasm-split-cli (the `wasm_split_cli_support` crate,
//!    as `cargo leptos --split` does) into target/wasm-split/: the main
//!    module, one file per split-point module (four) and chunks they share, and
//!    `__wasm_split.js`, which loads them;
//! 2. shrinks each part with wasm-opt, as Trunk does the main one;
//! 3. runs the real wasm-bindgen on the main module (`--keep-lld-exports`:
//!    the route files import the main module's functions by those names).
//!
//! After Trunk, `finish` names every file with the build's hash (Trunk's, which
//! covers the whole program), points the loader and the JS glue at those
//! names, lets the loader take the files index.html's loader fetched early
//! (`early`), minifies both with terser, preloads the loader beside the
//! glue, and writes dist/split-manifest.json.

use crate::setup;
use crate::shell::root;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// wasm-split-cli's version (a crate of the `wasm_split_helpers` family
/// leptos 0.8 uses for its split points).
pub const TOOL_VERSION: &str = "0.2.4";
/// Only a wasm holding split points is cut (wasm_split_helpers' import module).
const PLACEHOLDER: &[u8] = b"__wasm_split_placeholder__";
const LINK: &str = "__wasm_split.js";
/// Left in `out_dir` by `bindgen` when the wasm had no split points.
const NOT_SPLIT: &str = "not-split";
/// Put after the loader's first line (its import).
const EARLY: &str = "function early(url) { const got = globalThis.__roundtripEarly; const r = got && got.get(url.href); if (r) { got.delete(url.href); return r; } return fetch(url); }\n";
/// dist/split-manifest.json: `{"roundtrip_learn": ["split_roundtrip_learn-….wasm", "chunk_5-….wasm", …], …}`.
pub const MANIFEST: &str = "split-manifest.json";

pub fn tool_bin() -> PathBuf {
    setup::tool_root("wasm-split", TOOL_VERSION).join("bin/wasm-split-cli")
}

/// Where the split writes, cleared before each build.
pub fn out_dir() -> PathBuf {
    root().join("target/wasm-split")
}

/// The folder whose `wasm-bindgen` Trunk finds first.
pub fn wrapper_dir() -> PathBuf {
    root().join("target/xtask/split-bin")
}

/// Writes the `wasm-bindgen` script Trunk runs, and clears the last split.
pub fn prepare() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find xtask's own binary: {e}"))?;
    // Linux names a binary rebuilt while it runs "… (deleted)": the new one
    // at the same path does the same.
    let exe = match exe.to_str().and_then(|p| p.strip_suffix(" (deleted)")) {
        Some(p) => PathBuf::from(p),
        None => exe,
    };
    let dir = wrapper_dir();
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let script = dir.join("wasm-bindgen");
    let text = format!(
        "#!/bin/sh\n# Written by cargo xtask build: Trunk's wasm-bindgen, with the wasm split first (xtask/src/split.rs).\nexec '{}' wasm-bindgen-split \"$@\"\n",
        exe.display().to_string().replace('\'', r"'\''")
    );
    std::fs::write(&script, text).map_err(|e| format!("{}: {e}", script.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).map_err(|e| format!("{}: {e}", script.display()))?;
    }
    let _ = std::fs::remove_dir_all(out_dir());
    Ok(dir)
}

/// `xtask wasm-bindgen-split ARGS`: what Trunk runs as `wasm-bindgen ARGS`.
pub fn bindgen(args: &[String]) -> Result<(), String> {
    let real = setup::wasm_bindgen_bin_dir()?.join("wasm-bindgen");
    let run = |args: &[String]| -> Result<(), String> {
        let status = Command::new(&real).args(args).status().map_err(|e| format!("{}: {e}", real.display()))?;
        status.success().then_some(()).ok_or_else(|| format!("wasm-bindgen failed ({status})"))
    };
    let Some(at) = args.iter().position(|a| !a.starts_with('-') && a.ends_with(".wasm")) else {
        return run(args); // --version, --help
    };
    let input = PathBuf::from(&args[at]);
    let wasm = std::fs::read(&input).map_err(|e| format!("{}: {e}", input.display()))?;
    if !wasm.windows(PLACEHOLDER.len()).any(|w| w == PLACEHOLDER) {
        // `finish` says so, rather than that this step did not run.
        let _ = std::fs::create_dir_all(out_dir());
        let _ = std::fs::write(out_dir().join(NOT_SPLIT), "");
        return run(args);
    }
    let name = args.iter().find_map(|a| a.strip_prefix("--out-name=")).ok_or("wasm-bindgen-split: Trunk passed no --out-name=")?.to_owned();
    let dir = out_dir();
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let tool = tool_bin();
    let status = Command::new(&tool)
        .arg(&input)
        .arg(&dir)
        .args(["--target", "web", "--out-name", &name])
        .status()
        .map_err(|e| format!("{}: {e}", tool.display()))?;
    if !status.success() {
        return Err(format!("wasm-split-cli failed ({status}) on {}", input.display()));
    }
    optimize_parts(&dir, &name)?;
    let mut args = args.to_vec();
    args[at] = dir.join(format!("{name}.wasm")).display().to_string();
    args.extend(["--keep-lld-exports".to_owned(), "--no-demangle".to_owned()]);
    run(&args)
}

/// wasm-opt on each part, in place, as Trunk does the main module
/// (index.html: data-wasm-opt="z"), one per core at a time. Here, before
/// Trunk writes dist/: a lab serving dist/ while it is rebuilt sees the new
/// app whole within moments, not after the parts' 20–50 s of wasm-opt. Its
/// warnings about the name section's subsections are noise: its output shows
/// only when it fails. (Trunk's PATH, which this step inherits, has npm's
/// wasm-opt first.)
fn optimize_parts(dir: &Path, name: &str) -> Result<(), String> {
    let main = format!("{name}.wasm");
    let mut parts: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "wasm") && p.file_name().is_none_or(|f| f.to_string_lossy() != main))
        .collect();
    parts.sort();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    for batch in parts.chunks(cores) {
        let running: Vec<_> = batch
            .iter()
            .map(|part| {
                let mut cmd = Command::new("wasm-opt");
                cmd.arg("-Oz").arg(part).arg("-o").arg(part);
                cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
                cmd.spawn().map_err(|e| format!("wasm-opt: {e}")).map(|child| (part, child))
            })
            .collect::<Result<_, _>>()?;
        for (part, child) in running {
            let out = child.wait_with_output().map_err(|e| format!("wasm-opt: {e}"))?;
            if !out.status.success() {
                return Err(format!("wasm-opt failed ({}) on {}:\n{}", out.status, part.display(), String::from_utf8_lossy(&out.stderr)));
            }
        }
    }
    Ok(())
}

/// After Trunk: the route files and their loader into dist/, named with
/// the build's hash.
pub fn finish(dist: &Path) -> Result<(), String> {
    let dir = out_dir();
    if dir.join(NOT_SPLIT).is_file() {
        return Err("the wasm has no split points, so it was not split: is index.html's data-cargo-features=\"split\" still there?".into());
    }
    let link = std::fs::read_to_string(dir.join(LINK)).map_err(|e| {
        format!("the wasm was not split ({}: {e}): did Trunk run target/xtask/split-bin/wasm-bindgen?", dir.join(LINK).display())
    })?;
    let (name, hash) = main_js(dist)?;
    let main_wasm = format!("{name}.wasm");
    let mut chunks: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".wasm") && *f != main_wasm)
        .collect();
    chunks.sort();
    let mut link = replace_all_of(&link, &format!("\"./{name}.js\""), &format!("\"./{name}-{hash}.js\""), LINK)?;
    // A file the page's loader already asked for (index.html, setup.rs's
    // with_paint_first) is taken from it, once; anything else is fetched.
    link = replace_all_of(&link, "const src = fetch(new URL(", "const src = early(new URL(", LINK)?;
    link = link.replacen('\n', &format!("\n{EARLY}"), 1);
    // The parts were optimised by `bindgen`: copied here under the build's hash.
    let jobs: Vec<(PathBuf, PathBuf)> =
        chunks.iter().map(|c| (dir.join(c), dist.join(format!("{}-{hash}.wasm", c.trim_end_matches(".wasm"))))).collect();
    for (from, to) in &jobs {
        std::fs::copy(from, to).map_err(|e| format!("{} to {}: {e}", from.display(), to.display()))?;
    }
    let mut total = 0;
    for (chunk, (_, out)) in chunks.iter().zip(&jobs) {
        total += std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
        let stem = chunk.trim_end_matches(".wasm");
        link = replace_all_of(&link, &format!("\"./{chunk}\""), &format!("\"./{stem}-{hash}.wasm\""), LINK)?;
    }
    let link_name = format!("__wasm_split-{hash}.js");
    // Which files each part needs: the lab names them in a page that opens
    // the part, and index.html's loader fetches them beside the first wasm.
    let needs = files_of_parts(&link);
    let link = minify(&link, &link_name)?;
    write(&dist.join(&link_name), link.as_bytes())?;
    for file in needs.iter().flat_map(|(_, files)| files) {
        if !dist.join(file).is_file() {
            return Err(format!("{LINK} names {file}, which the split did not make"));
        }
    }
    let json = serde_json::to_string(&needs.into_iter().collect::<std::collections::BTreeMap<_, _>>()).map_err(|e| e.to_string())?;
    write(&dist.join(MANIFEST), json.as_bytes())?;

    let js_path = dist.join(format!("{name}-{hash}.js"));
    let js = std::fs::read_to_string(&js_path).map_err(|e| format!("{}: {e}", js_path.display()))?;
    let js = import_from(&js, LINK, &link_name).ok_or_else(|| format!("{} does not import ./{LINK}", js_path.display()))?;
    let js = minify(&js, &format!("{name}-{hash}.js"))?;
    write(&js_path, js.as_bytes())?;

    // Trunk's modulepreload of the glue carries its integrity: the glue
    // changed, so the hash does; the loader is preloaded beside it (the glue
    // imports it, which would otherwise cost one more round trip).
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let html = with_link_preload(&html, &format!("{name}-{hash}.js"), &js, &link_name, &link)?;
    write(&index, html.as_bytes())?;
    println!("    split: {link_name} loads {} files ({total} B before compression) beside the main wasm", chunks.len());
    Ok(())
}

/// Each split point's files, from the loader: `export const
/// __wasm_split_load_{part} = wrapAsyncCb(makeLoad(<its file, if not
/// empty>, [__chunk_N, …]))`, where `const __chunk_N = makeLoad(<chunk_N's
/// file>, [])`. Its own file first.
pub fn files_of_parts(link: &str) -> Vec<(String, Vec<String>)> {
    let file_in = |text: &str| -> Option<String> {
        let at = text.find("new URL(\"./")? + "new URL(\"./".len();
        text[at..].split('"').next().map(str::to_owned)
    };
    let mut chunks = std::collections::HashMap::new();
    for (at, _) in link.match_indices("const __chunk_") {
        let rest = &link[at + "const ".len()..];
        let var = rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or_default();
        let body = &rest[..rest[1..].find("const __").map_or(rest.len(), |i| i + 1)];
        if let Some(file) = file_in(body) {
            chunks.insert(var.to_owned(), file);
        }
    }
    let mut parts = Vec::new();
    for (at, _) in link.match_indices("export const __wasm_split_load_") {
        let rest = &link[at + "export const __wasm_split_load_".len()..];
        let name = rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or_default();
        let end = rest.find("]));").unwrap_or(rest.len());
        let body = &rest[..end];
        let mut files: Vec<String> = file_in(body).filter(|_| body.find("new URL(") < body.rfind(", [")).into_iter().collect();
        if let Some(deps) = body.rfind(", [").map(|i| &body[i + 3..]) {
            files.extend(deps.split(',').filter_map(|d| chunks.get(d.trim()).cloned()));
        }
        parts.push((name.to_owned(), files));
    }
    parts
}

/// Trunk's glue in dist: `{name}-{hash}.js` beside `{name}-{hash}_bg.wasm`.
fn main_js(dist: &Path) -> Result<(String, String), String> {
    for entry in std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))?.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = file.strip_suffix("_bg.wasm") else { continue };
        if let Some((name, hash)) = stem.rsplit_once('-') {
            if dist.join(format!("{stem}.js")).is_file() {
                return Ok((name.to_owned(), hash.to_owned()));
            }
        }
    }
    Err(format!("no {{name}}-{{hash}}_bg.wasm with its .js in {}", dist.display()))
}

/// Every `from` in `text` made `to`; an error if there is none (a changed
/// loader format is an error, not a silent skip).
fn replace_all_of(text: &str, from: &str, to: &str, what: &str) -> Result<String, String> {
    match text.matches(from).count() {
        0 => Err(format!("{what}: {from} not found")),
        _ => Ok(text.replace(from, to)),
    }
}

/// The glue's `import … from './__wasm_split.js'` pointed at `to`. The
/// same string is also the key of the wasm's import object, which must stay.
pub fn import_from(js: &str, from: &str, to: &str) -> Option<String> {
    let mut out = js.to_owned();
    let mut found = false;
    for quote in ['\'', '"'] {
        for sep in ["from ", "from"] {
            let old = format!("{sep}{quote}./{from}{quote}");
            if out.contains(&old) {
                out = out.replace(&old, &format!("{sep}{quote}./{to}{quote}"));
                found = true;
            }
        }
    }
    found.then_some(out)
}

/// The glue's modulepreload with its new integrity, and the loader's beside it.
fn with_link_preload(html: &str, js_name: &str, js: &str, link_name: &str, link: &str) -> Result<String, String> {
    let start = html
        .find(&format!("<link rel=\"modulepreload\" href=\"/{js_name}\""))
        .ok_or_else(|| format!("index.html has no modulepreload of {js_name}"))?;
    let end = start + html[start..].find('>').ok_or("index.html: unclosed <link>")? + 1;
    let tag = |href: &str, text: &str| {
        format!("<link rel=\"modulepreload\" href=\"/{href}\" crossorigin=\"anonymous\" integrity=\"{}\">", integrity(text.as_bytes()))
    };
    Ok(format!("{}{}\n{}{}", &html[..start], tag(js_name, js), tag(link_name, link), &html[end..]))
}

/// The JS glue and the split loader, minified with terser (package.json):
/// wasm-bindgen writes them readable, and Trunk's own minifier would also
/// rewrite index.html, whose text the lab reads. Exports and property names
/// are kept (`--module` mangles only local names), so the glue's imports
/// object still matches the wasm. Measured: the glue 72,008 → 32,710 B,
/// 9,415 → 7,500 B with brotli.
pub fn minify(text: &str, name: &str) -> Result<String, String> {
    use std::io::Write;
    let terser = root().join("node_modules/.bin/terser");
    let mut child = Command::new(&terser)
        .args(["--module", "--compress", "--mangle"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{}: {e} (cargo xtask setup installs it)", terser.display()))?;
    // Written from a thread: terser answers while it reads, and a full pipe
    // on both sides would wait forever.
    let mut stdin = child.stdin.take().ok_or("terser: no stdin")?;
    let input = text.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().map_err(|e| format!("terser: {e}"))?;
    let written = writer.join().map_err(|_| "terser: the writer failed")?;
    // Terser's own words first: if it died early, the write's broken pipe
    // says nothing of why.
    if !out.status.success() || out.stdout.is_empty() {
        return Err(format!("terser could not minify {name} ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim()));
    }
    written.map_err(|e| format!("terser: {e}"))?;
    String::from_utf8(out.stdout).map_err(|e| format!("terser wrote {name} as non-UTF-8: {e}"))
}

/// Subresource integrity, as Trunk writes it.
pub fn integrity(bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(bytes)))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_glue_imports_the_hashed_loader_and_keeps_the_import_key() {
        let js = "import * as import1 from \"./__wasm_split.js\"\nimports['./__wasm_split.js'] = import1;";
        let out = import_from(js, LINK, "__wasm_split-0123456789abcdef.js").unwrap();
        assert!(out.contains("from \"./__wasm_split-0123456789abcdef.js\""));
        assert!(out.contains("imports['./__wasm_split.js']"), "the wasm's import module name is unchanged");
        assert_eq!(import_from("no import here", LINK, "x.js"), None);
    }

    #[test]
    fn each_part_needs_its_own_file_and_its_chunks() {
        let link = r#"
const __chunk_3 = makeLoad(() => {
    const src = fetch(new URL("./chunk_3-h.wasm", import.meta.url));
}
, []);
/* a, b */
const __chunk_12 = makeLoad(() => {
    const src = fetch(new URL("./chunk_12-h.wasm", import.meta.url));
}
, []);
export const __wasm_split_load_roundtrip_home = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_roundtrip_home-h.wasm", import.meta.url));
}
, [__chunk_3, __chunk_12]));
export const __wasm_split_load_roundtrip_empty = wrapAsyncCb(makeLoad(() => async (_imp) => ({}), [__chunk_12]));
"#;
        assert_eq!(
            files_of_parts(link),
            vec![
                (
                    "roundtrip_home".to_owned(),
                    vec!["split_roundtrip_home-h.wasm".to_owned(), "chunk_3-h.wasm".into(), "chunk_12-h.wasm".into()]
                ),
                ("roundtrip_empty".to_owned(), vec!["chunk_12-h.wasm".to_owned()]),
            ]
        );
    }

    #[test]
    fn integrity_is_sha384_in_base64() {
        // echo -n abc | openssl dgst -sha384 -binary | base64
        assert_eq!(integrity(b"abc"), "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn");
    }

    #[test]
    fn the_glue_preload_gets_its_new_integrity_and_the_loader_its_own() {
        let html = "<head><link rel=\"modulepreload\" href=\"/app-0123456789abcdef.js\" crossorigin=\"anonymous\" integrity=\"sha384-old\"></head>";
        let out = with_link_preload(html, "app-0123456789abcdef.js", "js", "__wasm_split-0123456789abcdef.js", "link").unwrap();
        assert!(!out.contains("sha384-old"));
        assert!(out.contains(&format!("href=\"/app-0123456789abcdef.js\" crossorigin=\"anonymous\" integrity=\"{}\"", integrity(b"js"))));
        assert!(out.contains(&format!(
            "href=\"/__wasm_split-0123456789abcdef.js\" crossorigin=\"anonymous\" integrity=\"{}\"",
            integrity(b"link")
        )));
        assert!(out.ends_with("</head>"));
    }
}
