//! Rule text that parses → `syntax::format` → the output must parse to the
//! same statements with the same comments, and formatting it again must
//! change nothing (`src/syntax/format.rs`: "Formatting never changes
//! meaning: parsing the output gives the same tree"; `ontrack fmt` formats
//! every file that parses, so that is the input taken here).

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use ontrack::check;
use ontrack::syntax::{self, ast::RuleFile};

fn comment_texts(file: &RuleFile) -> Vec<&str> {
    file.comments.iter().map(|c| c.text.as_str()).collect()
}

fuzz_target!(|bytes: &[u8]| {
    let text = common::text(bytes);
    let Ok(file) = syntax::parse(&text) else {
        return;
    };
    // Whether the input also passes the static checks, for the messages.
    let clean = check::check(&file).errors.is_empty();
    let formatted = syntax::format(&file, &text);
    let reparsed = match syntax::parse(&formatted) {
        Ok(reparsed) => reparsed,
        Err(errors) => panic!(
            "formatted text does not parse (input checks clean: {clean}): {:?}\n--- input\n{text}\n--- formatted\n{formatted}",
            errors.iter().map(|e| e.to_string()).collect::<Vec<_>>()
        ),
    };
    assert!(
        file.statements == reparsed.statements,
        "formatting changed the meaning (input checks clean: {clean})\n--- input\n{text}\n--- formatted\n{formatted}"
    );
    assert_eq!(
        comment_texts(&file),
        comment_texts(&reparsed),
        "formatting lost or reordered comments (input checks clean: {clean})\n--- input\n{text}\n--- formatted\n{formatted}"
    );
    let again = syntax::format(&reparsed, &formatted);
    assert!(
        again == formatted,
        "formatting is not idempotent (input checks clean: {clean})\n--- input\n{text}\n--- formatted\n{formatted}\n--- formatted again\n{again}"
    );
    if clean {
        assert!(
            check::check(&reparsed).errors.is_empty(),
            "the formatted text has check errors the input had not\n--- input\n{text}\n--- formatted\n{formatted}"
        );
    }
});
