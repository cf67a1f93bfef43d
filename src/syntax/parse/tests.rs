//! Parsing in chunks (`chunk.rs`), and in parts read by several threads,
//! gives exactly what parsing the whole file at once gives: the same tree,
//! spans and comments, and the same errors in the same order. Small chunk
//! sizes put a chunk boundary before nearly every statement.

use std::path::{Path, PathBuf};

use super::*;

/// Chunk sizes down to one byte, and threads for parts down to one byte.
const CUTTINGS: [Cutting; 7] = [
    cutting(1, 1, 1),
    cutting(2, 1, 1),
    cutting(40, 1, 1),
    cutting(300, 1, 1),
    cutting(4096, 1, 1),
    cutting(1, 3, 1),
    cutting(40, 2, 200),
];

const fn cutting(chunk_bytes: usize, threads: usize, thread_bytes: usize) -> Cutting {
    Cutting {
        chunk_bytes,
        threads,
        thread_bytes,
    }
}

/// Every rule file of the repository: fixtures, valid and invalid, and the
/// shipped rules and examples.
fn rule_files() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for folder in ["tests/fixtures/syntax", "rules", "examples"] {
        collect(&root.join(folder), &mut paths);
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("readable rule file");
            (path, text)
        })
        .collect()
}

fn collect(folder: &Path, paths: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).expect("readable folder") {
        let path = entry.expect("readable folder entry").path();
        if path.is_dir() {
            collect(&path, paths);
        } else if path.extension().is_some_and(|e| e == "targets") {
            paths.push(path);
        }
    }
}

/// The parse of a file in one piece, and after each syntax error of the
/// rest of the file in one piece, as pest read files before they were cut
/// into chunks.
fn parse_in_one_piece(source: &str) -> Result<RuleFile, Vec<SyntaxError>> {
    let lines = LineIndex::new(source);
    let mut read = Read::new(source, &lines, 0);
    let mut errors = Vec::new();
    let mut offset = 0;
    loop {
        let mut rest = Read::new(source, &lines, offset);
        let Err(error) = rest.chunk(offset, source.len()) else {
            rest.append_to(&mut read.file, &mut errors);
            break;
        };
        let error = detailed(&source[offset..], error);
        let failed = expected::syntax_error(source, &lines, offset, &error);
        let position = failed.span().start;
        errors.push(failed);
        let statement = statement_start(source, offset, position);
        if statement > offset && rest.chunk(offset, statement).is_ok() {
            rest.append_to(&mut read.file, &mut errors);
        }
        match next_statement_start(source, position) {
            Some(next) if errors.len() < MAX_SYNTAX_ERRORS => offset = next,
            _ => break,
        }
    }
    finish(source, &lines, read.file, errors)
}

fn assert_same_in_chunks(name: &str, source: &str) {
    // `Debug` shows every span, which `PartialEq` on the tree ignores.
    let whole = format!("{:?}", parse_in_one_piece(source));
    assert_spans_have_their_lines(name, source, &whole);
    for cutting in CUTTINGS {
        let chunked = format!("{:?}", parse_in_chunks(source, cutting));
        assert_eq!(chunked, whole, "{name}, cut up as {cutting:?}");
    }
}

/// Every span in the `Debug` text of a parse has the line and column of its
/// start, as the file's line index has them (lowering counts them itself).
fn assert_spans_have_their_lines(name: &str, source: &str, parsed: &str) {
    let lines = LineIndex::new(source);
    for span in parsed.split("Span { start: ").skip(1) {
        // `START, end: END, line: LINE, column: COLUMN }`
        let numbers: Vec<u32> = span
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .take(4)
            .map(|n| n.parse().expect("a number"))
            .collect();
        let [start, _, line, column] = numbers[..] else {
            panic!("{name}: unexpected span text {span:.60}");
        };
        assert_eq!(
            (line, column),
            lines.line_col(source, start as usize),
            "{name}: span at byte {start}"
        );
    }
}

#[test]
fn rule_files_parse_the_same_in_chunks() {
    for (path, text) in rule_files() {
        assert_same_in_chunks(&path.display().to_string(), &text);
    }
}

/// Two files one after the other: errors after valid statements, and valid
/// statements after errors, at every distance from a chunk boundary.
#[test]
fn glued_rule_files_parse_the_same_in_chunks() {
    let files = rule_files();
    for pair in files.windows(2) {
        let [(first, first_text), (second, second_text)] = pair else {
            continue;
        };
        let name = format!("{} + {}", first.display(), second.display());
        assert_same_in_chunks(&name, &format!("{first_text}\n{second_text}"));
    }
}

/// Text that a chunk boundary must not cut: brackets across lines, and
/// brackets, `#` and quotes inside strings, names in backticks and comments.
#[test]
fn statements_over_several_lines_parse_the_same_in_chunks() {
    let sources = [
        "target a: (x > 1\nor y > 2)\ntarget b: z > 3\n",
        "target a: x{country=\"KZ\",\nsector=\"S1\"} > 1\nz > 3\n",
        "target a: (x > 1\ntarget b: z > 3\n",
        "title \"(\"\ntarget a: x > 1\n",
        "title \"a \\\" (\"\ntarget a: x > 1\n",
        "target a: `b (` > 1\ntarget b: x > 1\n",
        "target a: x > 1 # (\ntarget b: x > 1\n",
        "target a: x > 1 # (\r(y > 2)\ntarget b: x > 1\n",
        "title \"unclosed (\ntarget a: x > 1\n",
        "target a: `unclosed (\ntarget a: x > 1\n",
        "title \"x\"\n) oops\ntarget a: x > 1\n",
        "title \"x\"\n) oops\n",
        "title \"x\"\nx >\ny = 1\n) oops\n",
        "title \"x\"\n\u{feff}target a: x > 1\n",
        "target a: x > 1)\n(target b: x > 1\ntarget c: y > 1\n",
        "target a: x > 1\n    by 2025\n# comment\n\n  # indented comment\n    owner \"o\"\ntarget b: x > 1\n",
        "target a: x > 1\r\ntarget b: (x\r\n> 1)\r\n",
        "target a \"Қазақ\": `ü x` > 1 by 2025 # ω\ntarget b: `é` > 2\n",
        "target a: (x{k=\")\"}\n> 1)\ntarget b: x > 1\n",
        "target a: (x{k=\"\\\"\", j=\")\", l=\"}\"}\n> 1)\ntarget b: x > 1\n",
        "target a: (`b)` \n> 1)\ntarget b: x > 1\n",
        "target a: ( # )\nx > 1)\ntarget b: x > 1\n",
        "target a: x # c\r    + (y\n> 2)\ntarget b: x > 1\n",
    ];
    for source in sources {
        assert_same_in_chunks(&format!("{source:?}"), source);
    }
}
