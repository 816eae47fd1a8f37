//! The core's layering, checked on its source: no module imports a module that imports
//! it back (directly or around a loop), and no function runs past 80 lines without a
//! comment saying why. A small reader of Rust source: comments and string literals are
//! blanked, `use` trees are expanded, and every `crate::…`, `super::…` and `self::…`
//! path names the deepest module it reaches.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const CORE_SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/crates/core/src");
const LONGEST_FUNCTION: usize = 80;

type Module = Vec<String>;

/// Every module of the core: its path (`["assist", "names"]`) and file.
fn modules() -> BTreeMap<Module, PathBuf> {
    let mut found = BTreeMap::new();
    let mut folders = vec![PathBuf::from(CORE_SRC)];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(CORE_SRC).unwrap().with_extension("");
                let mut module: Module = relative.iter().map(|s| s.to_string_lossy().into_owned()).collect();
                if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
                    module.pop();
                }
                found.insert(module, path);
            }
        }
    }
    found
}

/// The source with comments, string and char literals blanked (lengths kept, so line
/// numbers stay right), and `#[cfg(test)]` modules cut off: tests may reach anywhere.
fn code_of(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                out.push(blank(chars[i]));
                i += 1;
            }
            out.push_str("  ");
            i += 2;
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !is_ident(chars.get(i.wrapping_sub(1))) {
            let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
            if chars.get(i + 1 + hashes) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let close: String = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            let start = i + 2 + hashes;
            let rest: String = chars[start..].iter().collect();
            let end = start + rest.find(&close).map_or(rest.chars().count(), |b| rest[..b].chars().count());
            for &c in &chars[i..(end + close.len()).min(chars.len())] {
                out.push(blank(c));
            }
            i = end + close.len();
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                let step = if chars[i] == '\\' { 2 } else { 1 };
                for &c in &chars[i..(i + step).min(chars.len())] {
                    out.push(blank(c));
                }
                i += step;
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && char_literal_len(&chars[i..]).is_some() {
            let len = char_literal_len(&chars[i..]).unwrap();
            out.extend(std::iter::repeat_n(' ', len));
            i += len;
        } else {
            out.push(c);
            i += 1;
        }
    }
    match out.find("#[cfg(test)]") {
        Some(at) => out[..at].to_owned(),
        None => out,
    }
}

fn is_ident(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

/// `'x'`, `'\n'`, `'\u{1F600}'`: a char literal's length; `None` for a lifetime.
fn char_literal_len(chars: &[char]) -> Option<usize> {
    if chars.get(1) == Some(&'\\') {
        let close = chars.iter().skip(3).position(|&c| c == '\'')? + 3;
        return (close < 12).then_some(close + 1);
    }
    (chars.get(2) == Some(&'\'')).then_some(3)
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand_use(tree: &str) -> Vec<String> {
    let tree: String = tree.split_whitespace().collect();
    let Some(open) = tree.find('{') else { return vec![tree] };
    let (prefix, body) = (&tree[..open], &tree[open + 1..tree.len() - 1]);
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&body[start..]);
    parts.into_iter().filter(|p| !p.is_empty()).flat_map(|p| expand_use(&format!("{prefix}{p}"))).collect()
}

/// Paths a module's code names: its `use` trees, and `crate::`/`super::`/`self::` paths.
fn paths_in(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for statement in code.split(';') {
        let statement = statement.trim_start();
        let statement =
            statement.strip_prefix("pub(crate) ").or_else(|| statement.strip_prefix("pub ")).unwrap_or(statement);
        if let Some(tree) = statement.strip_prefix("use ") {
            paths.extend(expand_use(tree));
        }
    }
    let bytes = code.as_bytes();
    for root in ["crate::", "super::", "self::"] {
        for (at, _) in code.match_indices(root) {
            if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_' || bytes[at - 1] == b':') {
                continue;
            }
            let end = code[at..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .map_or(code.len(), |e| at + e);
            paths.push(code[at..end].to_owned());
        }
    }
    paths
}

/// The module a path reaches from `from`: the deepest module along it, or the module
/// an item lives in (`super::Render` reaches the parent). `None` for other crates.
fn target(from: &Module, is_folder_module: bool, path: &str, known: &BTreeMap<Module, PathBuf>) -> Option<Module> {
    let mut segments = path.split("::").map(str::trim).filter(|s| !s.is_empty()).peekable();
    let mut base: Module = match *segments.peek()? {
        "crate" => Vec::new(),
        "self" => from.clone(),
        "super" => from[..from.len().saturating_sub(1)].to_vec(),
        // In `mod.rs`/`lib.rs` a bare path may start at a child module (`use names::X`).
        first if is_folder_module && known.contains_key(&[from.clone(), vec![first.to_owned()]].concat()) => {
            let mut child = from.clone();
            child.push(first.to_owned());
            segments.next();
            child
        }
        _ => return None,
    };
    if matches!(segments.peek().copied(), Some("crate" | "self" | "super")) {
        segments.next();
    }
    while segments.peek() == Some(&"super") {
        segments.next();
        base.pop();
    }
    for segment in segments {
        let mut deeper = base.clone();
        deeper.push(segment.to_owned());
        if !known.contains_key(&deeper) {
            break;
        }
        base = deeper;
    }
    Some(base)
}

/// Which modules each module imports (the crate root, which only re-exports, left out).
fn import_graph() -> BTreeMap<Module, BTreeSet<Module>> {
    let known = modules();
    let mut graph = BTreeMap::new();
    for (module, file) in &known {
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let folder = file.file_name().is_some_and(|n| n == "mod.rs" || n == "lib.rs");
        let targets: BTreeSet<Module> = paths_in(&code)
            .iter()
            .filter_map(|path| target(module, folder, path, &known))
            .filter(|t| t != module && !t.is_empty())
            .collect();
        graph.insert(module.clone(), targets);
    }
    graph
}

/// A loop in the graph, if any, as the modules along it.
fn find_cycle(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Option<Vec<Module>> {
    fn visit(
        node: &Module,
        graph: &BTreeMap<Module, BTreeSet<Module>>,
        done: &mut BTreeSet<Module>,
        stack: &mut Vec<Module>,
    ) -> Option<Vec<Module>> {
        if let Some(at) = stack.iter().position(|m| m == node) {
            return Some(stack[at..].to_vec());
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, done, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.clone());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut done, &mut Vec::new()))
}

#[test]
fn no_core_module_imports_a_module_that_imports_it_back() {
    let graph = import_graph();
    assert!(graph.len() > 30, "the reader found the core's modules: {:?}", graph.keys());
    // The reader sees real edges (guards against a reader that finds nothing).
    let library = graph.get(&vec!["library".to_owned()]).unwrap();
    assert!(
        library.contains(&vec!["events".to_owned()])
            && library.contains(&vec!["store".to_owned(), "history".to_owned()])
    );
    if let Some(cycle) = find_cycle(&graph) {
        let names: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
        panic!("import cycle: {} → back to {}", names.join(" → "), names[0]);
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let m = |s: &str| -> Module { s.split("::").map(str::to_owned).collect() };
    let graph: BTreeMap<Module, BTreeSet<Module>> = [
        (m("a"), [m("b")].into()),
        (m("b"), [m("c")].into()),
        (m("c"), [m("a::x")].into()),
        (m("a::x"), [m("b")].into()),
    ]
    .into();
    assert_eq!(find_cycle(&graph), Some(vec![m("b"), m("c"), m("a::x")]));
    let known: BTreeMap<Module, PathBuf> = [(m("assist"), PathBuf::new()), (m("assist::names"), PathBuf::new())].into();
    assert_eq!(target(&m("assist::words"), false, "super::names::people", &known), Some(m("assist::names")));
    assert_eq!(target(&m("assist::words"), false, "super::Suggestion", &known), Some(m("assist")));
    assert_eq!(target(&m("assist"), true, "names::NameIndex", &known), Some(m("assist::names")));
    assert_eq!(expand_use("crate::{a::{b, c}, d}"), ["crate::a::b", "crate::a::c", "crate::d"]);
}

/// Functions (with their line counts) longer than the limit whose doc or comment just
/// above does not say why (`Long because …`).
fn long_functions(file: &Path) -> Vec<(String, usize)> {
    let source = std::fs::read_to_string(file).unwrap();
    let code = code_of(&source);
    let lines: Vec<&str> = code.lines().collect();
    let original: Vec<&str> = source.lines().collect();
    let mut found = Vec::new();
    for (number, line) in lines.iter().enumerate() {
        let Some(at) = line.find("fn ").filter(|&at| at == 0 || !is_ident(line[..at].chars().last().as_ref())) else {
            continue;
        };
        let name: String = line[at + 3..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        // The body: from the first `{` after the signature to its matching `}`.
        let mut depth = 0usize;
        let mut opened = false;
        let mut end = None;
        'scan: for (offset, body_line) in lines[number..].iter().enumerate() {
            let from = if offset == 0 { at } else { 0 };
            for c in body_line[from..].chars() {
                match c {
                    ';' if !opened => break 'scan,
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' if opened => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(number + offset);
                            break 'scan;
                        }
                    }
                    _ => {}
                }
            }
        }
        let Some(end) = end else { continue };
        let length = end - number + 1;
        let explained = original[..number]
            .iter()
            .rev()
            .take_while(|l| l.trim_start().starts_with("//") || l.trim_start().starts_with("#["))
            .any(|l| l.contains("Long because"));
        if length > LONGEST_FUNCTION && !explained {
            found.push((name, length));
        }
    }
    found
}

#[test]
fn no_core_function_runs_past_80_lines_without_a_reason() {
    let mut too_long = Vec::new();
    for file in modules().values() {
        for (name, length) in long_functions(file) {
            too_long.push(format!("{}: fn {name} ({length} lines)", file.strip_prefix(CORE_SRC).unwrap().display()));
        }
    }
    assert!(too_long.is_empty(), "split these, or say why above them (\"Long because …\"):\n{}", too_long.join("\n"));
}
