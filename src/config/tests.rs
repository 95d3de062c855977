use super::resolve::glob_variants;
use super::*;
use crate::error::Error;
use crate::error::codes;
use crate::finding::Severity;
use crate::ruledata::Layer;

fn parse(text: &str) -> Result<Config, Error> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    std::fs::write(&path, text).unwrap();
    Config::load(&path, &Overrides::default())
}

fn problems(err: &Error) -> Vec<(String, String, Option<String>)> {
    match err {
        Error::Invalid(inv) => inv
            .problems
            .iter()
            .map(|p| (p.code.to_owned(), p.message.clone(), p.help.clone()))
            .collect(),
        other => panic!("{other}"),
    }
}

#[test]
fn empty_and_comment_only_files_are_defaults() {
    for text in ["", "# nothing yet\n", "---\n"] {
        let config = parse(text).unwrap();
        assert_eq!(config.settings.fail_on, Severity::Error);
        assert!(config.settings.severities.is_empty());
    }
}

#[test]
fn levels_fail_on_and_layers_apply() {
    let config = parse(
        "rules:\n  layer-order: allow\n  OO203: deny\nfail_on: warning\nlayers:\n  crm: [helpdesk]\n",
    )
    .unwrap();
    assert_eq!(config.settings.severities.get("OO302"), Some(&None));
    assert_eq!(
        config.settings.severities.get("OO203"),
        Some(&Some(Severity::Error))
    );
    assert_eq!(config.settings.fail_on, Severity::Warning);
    assert_eq!(config.data.layer("helpdesk"), Some(Layer::Crm));
    let fail_on = &config.explained.fail_on.origin;
    assert!(
        matches!(fail_on, Origin::File { line: 4, .. }),
        "{fail_on:?}"
    );
}

#[test]
fn every_problem_is_located_with_a_suggestion() {
    let err = parse("rules:\n  layer-ordre: allow\n  OO999: deny\n").unwrap_err();
    let found = problems(&err);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, codes::CONFIG_UNKNOWN_RULE);
    assert_eq!(found[0].2.as_deref(), Some("did you mean `layer-order`?"));
    let err = parse("rule:\n  layer-order: allow\n").unwrap_err();
    let found = problems(&err);
    assert_eq!(found[0].0, codes::CONFIG_UNKNOWN_KEY);
    assert_eq!(found[0].2.as_deref(), Some("did you mean `rules`?"));
    let err = parse("rules:\n  layer-order: warning\n").unwrap_err();
    let found = problems(&err);
    assert_eq!(found[0].0, codes::CONFIG_UNKNOWN_VALUE);
    assert_eq!(found[0].2.as_deref(), Some("did you mean `warn`?"));
}

#[test]
fn globs_read_like_gitignore() {
    assert_eq!(glob_variants("*.draft.yaml", false), ["**/*.draft.yaml"]);
    assert_eq!(
        glob_variants("archive", true),
        ["**/archive", "**/archive/**"]
    );
    assert_eq!(glob_variants("/old/", false), ["old/**"]);
    assert_eq!(glob_variants("plans/x/*.yaml", false), ["plans/x/*.yaml"]);
}
