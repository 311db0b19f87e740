#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // a build script fails by panicking
//! Reads every language file of `i18n/` (one JSON object of texts per language): their
//! codes and names for the page (which fetches the one it shows), and for native
//! builds (the tests) every text as static tables, so that adding a language means
//! adding a file. Also compiles the tour into postcard for the page to embed.

use std::collections::BTreeMap;

/// A text of a language file: plain, or one form per count.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Text {
    Plain(String),
    Plural { one: String, other: String },
}
use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("i18n");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut langs: Vec<String> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default();
    langs.sort();
    // English names every key; every other language gives its texts in the same
    // order, "" where it has none (English is shown there). A text that depends on a
    // count is an object {"one": …, "other": …}, compiled as "one\u{1}other".
    let read = |code: &str| -> BTreeMap<String, String> {
        let path = dir.join(format!("{code}.json"));
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let table: BTreeMap<String, Text> = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not a JSON object of texts: {e}", path.display()));
        table
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    Text::Plain(s) => s,
                    Text::Plural { one, other } => format!("{one}\u{1}{other}"),
                };
                (k, v)
            })
            .collect()
    };
    let english = read("en");
    let mut out = String::from(
        "/// Every language: (code, its own name).\npub static NAMES: &[(&str, &str)] = &[\n",
    );
    for code in &langs {
        let name = read(code)
            .get("_name")
            .cloned()
            .unwrap_or_else(|| code.clone());
        out.push_str(&format!("    ({code:?}, {name:?}),\n"));
    }
    out.push_str("];\n/// Every text key, sorted (native builds: the page loads its language's file).\n#[cfg(any(test, not(target_arch = \"wasm32\")))]\npub static KEYS: &[&str] = &[\n");
    for k in english.keys() {
        out.push_str(&format!("    {k:?},\n"));
    }
    out.push_str(
        "];\n/// Every language: (code, its text for each key of KEYS, \"\" if none).\n#[cfg(any(test, not(target_arch = \"wasm32\")))]\npub static LANGUAGES: &[(&str, &[&str])] = &[\n",
    );
    for code in &langs {
        let table = read(code);
        if let Some(k) = table.keys().find(|k| !english.contains_key(*k)) {
            panic!("i18n/{code}.json has the key {k:?}, unknown in en.json");
        }
        out.push_str(&format!("    ({code:?}, &[\n"));
        for k in english.keys() {
            out.push_str(&format!(
                "        {:?},\n",
                table.get(k).map_or("", |v| v.as_str())
            ));
        }
        out.push_str("    ]),\n");
    }
    out.push_str("];\n");
    let out_dir = env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    // The tour, read by raft-sim's own types and written again in postcard, for the
    // page to embed; its questions likewise (embedded with the page's `exercises`).
    let tour = raft_sim::tour::Tour::slides().map_err(|e| format!("tour.json: {e}"));
    embed_postcard(&out_dir, "tour.json", "tour.postcard", tour);
    let questions = raft_sim::quiz::Questions::tour();
    embed_postcard(&out_dir, "questions.json", "questions.postcard", questions);
    // The chapter "Changing the configuration" (embedded in the page with everything).
    let membership = raft_sim::tour::Tour::membership();
    embed_postcard(
        &out_dir,
        "membership.json",
        "membership.postcard",
        membership,
    );
    // The counterexample each bug ships with (found by `raft-sim explore`), checked
    // here as a trace and embedded as compact JSON for the "Break Raft" panel.
    let mut cx =
        String::from("/// Each bug's counterexample, compact JSON, in `Bug::ALL`'s order.\n");
    cx.push_str("pub const COUNTEREXAMPLES: [&str; raft_sim::bugs::Bug::ALL.len()] = [\n");
    for bug in raft_sim::bugs::Bug::ALL {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../sim/counterexamples/{}.json", bug.name()));
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        raft_sim::Trace::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let value: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        cx.push_str(&format!("    {:?},\n", value.to_string()));
    }
    cx.push_str("];\n");
    if let Err(e) = fs::write(Path::new(&out_dir).join("counterexamples.rs"), cx) {
        panic!("cannot write counterexamples.rs: {e}");
    }
    let dest = Path::new(&out_dir).join("languages.rs");
    if let Err(e) = fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}

/// Writes `value` (read from `crates/sim/tour/<source>`) in postcard to `out_dir/<name>`.
fn embed_postcard<T: serde::Serialize>(
    out_dir: &str,
    source: &str,
    name: &str,
    value: Result<T, String>,
) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../sim/tour")
        .join(source);
    println!("cargo:rerun-if-changed={}", path.display());
    let value = value.unwrap_or_else(|e| panic!("{e}"));
    let bytes = postcard::to_allocvec(&value).unwrap_or_else(|e| panic!("{name}: {e}"));
    if let Err(e) = fs::write(Path::new(out_dir).join(name), bytes) {
        panic!("cannot write {name}: {e}");
    }
}
