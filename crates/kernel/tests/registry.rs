//! Keeps `ContractError::REGISTRY` equal to the contract's table (spec/errors.md) and the only place in the
//! workspace where a contract code or message is written.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

use kernel::ContractError;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// errors.md writes placeholders as `` `<email>` ``; the registry holds them without the backticks.
fn unquote_placeholders(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut rest = cell;
    while let Some(start) = rest.find("`<") {
        let Some(end) = rest[start..].find(">`") else { break };
        out.push_str(&rest[..start]);
        out.push_str(&rest[start + 1..start + end + 1]);
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    out
}

#[test]
fn every_contract_code_is_registered_with_its_exact_message() {
    let path = workspace_root().join("../shared/spec/errors.md");
    let Ok(table) = fs::read_to_string(&path) else {
        eprintln!("skipped: {} is not there to compare the registry with", path.display());
        return;
    };
    let spec: Vec<(String, String)> = table
        .lines()
        .filter(|line| line.starts_with("| E-") || line.starts_with("| I-"))
        .filter_map(|line| {
            let cells: Vec<&str> = line.split(" | ").collect();
            let code = cells.first()?.trim_start_matches('|').trim();
            Some((code.to_owned(), unquote_placeholders(cells.get(1)?)))
        })
        .collect();
    assert!(!spec.is_empty(), "no code rows found in {}", path.display());

    let mut registry = BTreeMap::new();
    let mut problems = Vec::new();
    for (code, template) in ContractError::REGISTRY {
        if registry.insert(*code, *template).is_some() {
            problems.push(format!("{code}: duplicated in the registry"));
        }
    }
    let mut in_spec = HashSet::new();
    for (code, message) in &spec {
        if !in_spec.insert(code.as_str()) {
            problems.push(format!("{code}: duplicated in errors.md"));
        }
        match registry.get(code.as_str()) {
            None => problems.push(format!("{code}: missing from the registry")),
            Some(template) if template != message => {
                problems.push(format!("{code}: registry says {template:?}, errors.md says {message:?}"))
            }
            Some(_) => {}
        }
    }
    for code in registry.keys().filter(|code| !in_spec.contains(**code)) {
        problems.push(format!("{code}: in the registry but not in errors.md"));
    }
    assert!(problems.is_empty(), "registry and errors.md differ:\n{}", problems.join("\n"));
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}

/// The string literals of one line; a literal that does not close on its line is left out.
fn string_literals(line: &str) -> Vec<&str> {
    let mut literals = Vec::new();
    let mut start = None;
    let mut chars = line.char_indices();
    while let Some((at, c)) = chars.next() {
        match (start, c) {
            // `'"'` is a char, not the start of a string.
            (None, '\'') if line[at..].starts_with("'\"'") => {
                chars.nth(1);
            }
            (None, '"') => start = Some(at + 1),
            (Some(_), '\\') => {
                chars.next();
            }
            (Some(from), '"') => {
                literals.push(&line[from..at]);
                start = None;
            }
            _ => {}
        }
    }
    literals
}

/// `E-` or `I-` followed by four ASCII digits, not glued to a preceding letter or digit.
fn contains_code(text: &str) -> bool {
    let bytes = text.as_bytes();
    (0..bytes.len()).any(|at| {
        matches!(bytes[at], b'E' | b'I')
            && (at == 0 || !bytes[at - 1].is_ascii_alphanumeric())
            && bytes.get(at + 1) == Some(&b'-')
            && bytes.len() >= at + 6
            && bytes[at + 2..at + 6].iter().all(u8::is_ascii_digit)
    })
}

#[test]
fn no_contract_code_or_message_is_written_outside_the_registry() {
    let root = workspace_root();
    let registry_file = root.join("crates/kernel/src/contract_error.rs");
    // A template's fixed start, long enough not to match ordinary prose by accident.
    let fixed_texts: Vec<&str> = ContractError::REGISTRY
        .iter()
        .map(|(_, template)| template.split('<').next().unwrap_or(template))
        .filter(|fixed| fixed.chars().count() > 20)
        .collect();

    let mut files = Vec::new();
    rust_files(&root.join("crates"), &mut files);
    rust_files(&root.join("gateway/src"), &mut files);
    files.sort();

    let mut hits = Vec::new();
    for path in files {
        let relative = path.strip_prefix(&root).unwrap_or(&path);
        if path == registry_file || relative.components().any(|part| part == Component::Normal("tests".as_ref())) {
            continue;
        }
        let Ok(source) = fs::read_to_string(&path) else { continue };
        let code_part = source.split("#[cfg(test)]").next().unwrap_or_default();
        for (number, line) in code_part.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for literal in string_literals(line) {
                if contains_code(literal) || fixed_texts.iter().any(|fixed| literal.contains(fixed)) {
                    hits.push(format!("{}:{}: \"{literal}\"", relative.display(), number + 1));
                }
            }
        }
    }
    assert!(
        hits.is_empty(),
        "contract codes or messages outside the registry (use kernel::ContractError):\n{}",
        hits.join("\n")
    );
}
