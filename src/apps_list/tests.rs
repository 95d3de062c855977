use super::*;

fn names(text: &str) -> Vec<String> {
    parse(text)
        .unwrap_or_else(|p| panic!("{p:?}"))
        .modules
        .into_iter()
        .map(|l| l.name)
        .collect()
}

/// Every listed span covers exactly its name.
fn spans_hold(text: &str) {
    for l in parse(text).unwrap().modules {
        assert_eq!(&text[l.span.offset..l.span.end()], l.name);
    }
}

fn codes_of(text: &str) -> Vec<&'static str> {
    parse(text).unwrap_err().iter().map(|p| p.code).collect()
}

#[test]
fn a_plain_list_with_blanks_and_comments() {
    let text = "# live since 2023\ncrm\n\n  sale_management  # sales team\r\ncontacts\r\n#\n";
    assert_eq!(names(text), ["crm", "sale_management", "contacts"]);
    assert_eq!(parse(text).unwrap().format, Format::List);
    spans_hold(text);
}

#[test]
fn a_bom_is_skipped_and_spans_count_it() {
    let text = "\u{feff}crm\nsale\n";
    assert_eq!(names(text), ["crm", "sale"]);
    assert_eq!(parse(text).unwrap().modules[0].span, Span::new(3, 3));
    spans_hold(text);
    let csv = "\u{feff}\"Technical Name\",\"Status\"\r\n\"crm\",\"Installed\"\r\n";
    assert_eq!(names(csv), ["crm"]);
    spans_hold(csv);
}

#[test]
fn a_label_export_keeps_installed_to_upgrade_and_to_remove_rows() {
    let text = "\"Module Name\",\"Technical Name\",\"Status\"\r\n\
        \"CRM\",\"crm\",\"Installed\"\r\n\
        \"Sales, and more\",\"sale\",\"To be upgraded\"\r\n\
        \"Old\",\"old_mod\",\"To be removed\"\r\n\
        \"New\",\"new_mod\",\"To be installed\"\r\n\
        \"Inventory\",\"stock\",\"Not Installed\"\r\n\
        \"Broken\",\"broken\",\"Uninstallable\"\r\n";
    assert_eq!(names(text), ["crm", "sale", "old_mod"]);
    assert_eq!(
        parse(text).unwrap().format,
        Format::Csv {
            filtered_by_state: true
        }
    );
    spans_hold(text);
}

#[test]
fn an_import_compatible_export_uses_field_names_and_stored_values() {
    let text = "id,name,state,shortdesc\n\
        base.module_crm,crm,installed,CRM\n\
        base.module_stock,stock,uninstalled,Inventory\n\
        base.module_sale,sale,to upgrade,Sales\n";
    assert_eq!(names(text), ["crm", "sale"]);
    spans_hold(text);
}

#[test]
fn states_are_precise() {
    for yes in [
        "installed",
        "Installed",
        "to upgrade",
        "To be upgraded",
        "TO REMOVE",
        "To be removed",
    ] {
        assert_eq!(state_is_installed(yes), Some(true), "{yes}");
    }
    for no in [
        "uninstalled",
        "Not Installed",
        "to install",
        "To be installed",
        "uninstallable",
        "Uninstallable",
    ] {
        assert_eq!(state_is_installed(no), Some(false), "{no}");
    }
    assert_eq!(state_is_installed("Installé"), None);
    assert_eq!(state_is_installed(""), None);
}

#[test]
fn quoted_fields_hold_delimiters_quotes_and_newlines() {
    let text = "\"Technical Name\",\"Summary\",\"Status\"\r\n\
        \"crm\",\"Track leads, \"\"close\"\" deals\r\nand more\",\"Installed\"\r\n\
        \"sale\",\"\",\"Installed\"\r\n";
    assert_eq!(names(text), ["crm", "sale"]);
    spans_hold(text);
}

#[test]
fn without_a_state_column_every_row_counts_and_one_column_exports_work() {
    assert_eq!(
        names("name,shortdesc\ncrm,CRM\nsale,Sales\n"),
        ["crm", "sale"]
    );
    assert_eq!(names("Technical Name\ncrm\nsale\n"), ["crm", "sale"]);
    assert_eq!(names("\"name\"\r\n\"crm\"\r\n"), ["crm"]);
    assert_eq!(
        parse("name\ncrm\n").unwrap().format,
        Format::Csv {
            filtered_by_state: false
        }
    );
}

#[test]
fn technical_name_wins_over_name_and_semicolons_are_read() {
    assert_eq!(
        names("Name;Technical Name;Status\nCRM;crm;Installed\n"),
        ["crm"]
    );
    let text = "name;state\r\ncrm;installed\r\n\r\nsale;installed";
    assert_eq!(names(text), ["crm", "sale"]);
    spans_hold(text);
}

#[test]
fn empty_files_are_errors() {
    for text in [
        "",
        "\u{feff}",
        "\n\n  \r\n",
        "# nothing yet\n",
        "name,state\n",
        "name,state\ncrm,uninstalled\n",
    ] {
        assert_eq!(codes_of(text), [codes::EMPTY], "{text:?}");
    }
    let header = parse("name,state\r\ncrm,uninstalled\r\n").unwrap_err();
    assert_eq!(header[0].span, Some(Span::new(0, 10)));
    assert!(header[0].message.contains("no installed module"));
    assert_eq!(parse("").unwrap_err()[0].span, None);
}

#[test]
fn a_header_without_a_name_column_is_located() {
    let text = "\"Module Name\",\"Status\"\r\n\"CRM\",\"Installed\"\r\n";
    let p = parse(text).unwrap_err();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].code, codes::NO_NAME_COLUMN);
    assert_eq!(p[0].span, Some(Span::new(0, 22)));
    assert!(
        p[0].label.contains("`Module Name`, `Status`"),
        "{}",
        p[0].label
    );
}

#[test]
fn an_unterminated_quote_is_located_at_the_opening_quote() {
    let text = "name,state\ncrm,installed\n\"sale,installed\n";
    let p = parse(text).unwrap_err();
    assert_eq!(p[0].code, codes::UNTERMINATED_QUOTE);
    assert_eq!(p[0].span, Some(Span::new(25, 1)));
    assert_eq!(codes_of("\"Technical Name"), [codes::UNTERMINATED_QUOTE]);
}

#[test]
fn invalid_names_are_all_reported_with_their_place() {
    let p = parse("crm\nsale management\nweb-studio\n").unwrap_err();
    assert_eq!(p.len(), 2);
    assert_eq!(p[0].span, Some(Span::new(4, 15)));
    assert_eq!(p[1].span, Some(Span::new(20, 10)));
    assert!(p[0].message.contains("`sale management`"));
    let p = parse("\"Technical Name\",\"Status\"\n\"Sales App\",\"Installed\"\n").unwrap_err();
    assert_eq!(p[0].code, codes::BAD_NAME);
    assert_eq!(p[0].span, Some(Span::new(27, 9)));
    // An uninstalled row is not judged: its name does not matter.
    assert_eq!(
        names("name,state\nbad name,uninstalled\ncrm,installed\n"),
        ["crm"]
    );
}

#[test]
fn short_rows_and_unknown_states_are_located() {
    let p = parse("name,state\ncrm\nsale,Installé\n").unwrap_err();
    let got: Vec<_> = p.iter().map(|p| (p.code, p.span)).collect();
    assert_eq!(
        got,
        [
            (codes::SHORT_ROW, Some(Span::new(11, 3))),
            (codes::UNKNOWN_STATE, Some(Span::new(20, 9))),
        ]
    );
}

#[test]
fn text_after_a_closing_quote_joins_the_field_and_is_refused_in_a_name() {
    let p = parse("name\n\"crm\"x\n").unwrap_err();
    assert!(p[0].message.contains("`crmx`"), "{}", p[0].message);
    assert_eq!(p[0].span, Some(Span::new(6, 5)));
    // A quote inside an unquoted field is literal.
    let p = parse("name\ncr\"m\"\n").unwrap_err();
    assert!(p[0].message.contains(r#"`cr\"m\"`"#), "{}", p[0].message);
}

#[test]
fn technical_names() {
    assert!(is_technical_name("l10n_be") && is_technical_name("Custom_2"));
    assert!(!is_technical_name("") && !is_technical_name("a b") && !is_technical_name("a-b"));
    assert!(!is_technical_name("é") && !is_technical_name("base.module_crm"));
}

mod props {
    use super::super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics_and_spans_are_in_bounds(text in "(?s).{0,200}") {
            check(&text);
        }

        #[test]
        fn never_panics_on_csv_like_input(text in "[\"a-z,;\r\n# \u{feff}é_]{0,120}") {
            check(&text);
        }
    }

    fn check(text: &str) {
        match parse(text) {
            Ok(list) => {
                assert!(
                    !list.modules.is_empty(),
                    "a successful parse names a module"
                );
                for l in list.modules {
                    assert_eq!(text.get(l.span.offset..l.span.end()), Some(l.name.as_str()));
                    assert!(is_technical_name(&l.name));
                }
            }
            Err(problems) => {
                assert!(!problems.is_empty());
                for p in problems {
                    if let Some(span) = p.span {
                        assert!(
                            text.get(span.offset..span.end()).is_some(),
                            "{span:?} in {text:?}"
                        );
                    }
                }
            }
        }
    }
}
