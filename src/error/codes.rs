//! Every hard-error code, registered once: the codes a failing input or command line carries
//! (exit 2), as the rule codes are registered in [`crate::rules::RULES`].
//!
//! A call site names a constant, never a string, so a code cannot be misspelt or reused for
//! another failure; `tests/error_codes.rs` keeps [`ALL`] unique and pinned, and fails when a
//! `"kind::name"` string appears anywhere else in `src/`. Codes are stable: a CI script or an
//! editor may match them, so renaming one is a breaking change.
//!
//! Codes are `kind::name`, `kind` being the file the problem is in (`plan`, `config`,
//! `baseline`, `rules` for a rules data file, `manifest`, `installed` for the list
//! `installed: {from: ...}` names) or the command (`fix`). The three
//! codes without a kind (`io`, `no_plans`, `usage`) are those of [`super::Error`]'s own
//! variants, whose `#[diagnostic(code(...))]` attribute cannot name a constant: the registry
//! test checks that each variant still reports the code registered here.

/// Declares each code as a constant documented by its summary, and [`ALL`] listing them.
macro_rules! codes {
    ($($name:ident = $code:literal, $summary:literal;)*) => {
        $(
            #[doc = concat!("`", $code, "`: ", $summary)]
            pub const $name: &str = $code;
        )*

        /// Every hard-error code with its one-line summary, in declaration order.
        pub const ALL: &[(&str, &str)] = &[$(($code, $summary)),*];
    };
}

codes! {
    // Any file: the command itself.
    IO = "io", "a file or directory could not be read or written";
    NO_PLANS = "no_plans", "a directory named on the command line holds no plan";
    USAGE = "usage", "the command line asks for something that cannot be done";

    // Plans.
    PLAN_ENCODING = "plan::encoding", "the plan is not UTF-8 text";
    PLAN_UNKNOWN_KEY = "plan::unknown-key", "a key the plan format does not have";
    PLAN_UNKNOWN_VALUE = "plan::unknown-value", "a value outside the set the plan format allows";
    PLAN_DUPLICATE_KEY = "plan::duplicate-key", "a key given twice in one mapping of a plan";
    PLAN_MISSING_KEY = "plan::missing-key", "a key the plan format requires is absent";
    PLAN_SYNTAX = "plan::syntax", "YAML syntax, a wrong type or a size limit in a plan";
    PLAN_EMPTY = "plan::empty", "the plan file is empty";
    PLAN_ADDONS_PATH = "plan::addons-path", "a plan's `addons_path` entry is empty or not a directory";
    PLAN_BAD_COUNTRY = "plan::bad-country", "a company's country is not an ISO 3166 code";
    PLAN_BAD_DATE = "plan::bad-date", "a date that is not a real `YYYY-MM-DD` day";
    PLAN_DUPLICATE_ID = "plan::duplicate-id", "two phases or two companies share an id";
    PLAN_EMPTY_ID = "plan::empty-id", "a phase or company id is empty";
    PLAN_NO_PHASES = "plan::no-phases", "the plan has no phases";
    PLAN_UNSUPPORTED_SERIES = "plan::unsupported-series", "an Odoo series odoo-order does not know";
    PLAN_WAIVER_REASON = "plan::waiver-reason", "a waiver without a reason";
    PLAN_BAD_CURRENCY = "plan::bad-currency", "a company's currency is not an ISO 4217 code";
    PLAN_ACCOUNTING_UNTIL = "plan::accounting-until", "`accounting_until` on a company whose books are not `external`";
    PLAN_INSTALLED_FILE = "plan::installed-file", "the file `installed: {from: ...}` names cannot be read";
    PLAN_UNKNOWN_INSTALLED = "plan::unknown-installed", "`installed` names a module no catalog knows";

    // The installed-modules list `installed: {from: ...}` names.
    INSTALLED_ENCODING = "installed::encoding", "the installed-modules list is not UTF-8 text";
    INSTALLED_EMPTY = "installed::empty", "the installed-modules list names no installed module";
    INSTALLED_NO_NAME_COLUMN = "installed::no-name-column", "a CSV header without a `name` or `Technical Name` column";
    INSTALLED_UNTERMINATED_QUOTE = "installed::unterminated-quote", "a quoted CSV field that never ends";
    INSTALLED_BAD_NAME = "installed::bad-name", "a value that cannot be a module's technical name";
    INSTALLED_SHORT_ROW = "installed::short-row", "a CSV row without the name or state column";
    INSTALLED_UNKNOWN_STATE = "installed::unknown-state", "a module state Odoo does not write";

    // `odoo-order.yaml`.
    CONFIG_ENCODING = "config::encoding", "the configuration is not UTF-8 text";
    CONFIG_UNKNOWN_KEY = "config::unknown-key", "a key the configuration format does not have";
    CONFIG_UNKNOWN_VALUE = "config::unknown-value", "a level, layer or `fail_on` value that does not exist";
    CONFIG_DUPLICATE_KEY = "config::duplicate-key", "a key given twice in one mapping of the configuration";
    CONFIG_MISSING_KEY = "config::missing-key", "a key the configuration format requires is absent";
    CONFIG_SYNTAX = "config::syntax", "YAML syntax, a wrong type or a size limit in the configuration";
    CONFIG_UNKNOWN_RULE = "config::unknown-rule", "`rules:` names a rule that does not exist";
    CONFIG_MISSING_FILE = "config::missing-file", "an `extra_rules` file cannot be read";
    CONFIG_ADDONS_PATH = "config::addons-path", "an empty `addons_path` entry in the configuration";
    CONFIG_MISSING_DIR = "config::missing-dir", "an `addons_path` directory does not exist";
    CONFIG_BAD_GLOB = "config::bad-glob", "an `include` or `exclude` glob that does not parse";

    // Baselines written by `--write-baseline`.
    BASELINE_ENCODING = "baseline::encoding", "the baseline is not UTF-8 text";
    BASELINE_UNKNOWN_KEY = "baseline::unknown-key", "a key the baseline format does not have";
    BASELINE_UNKNOWN_VALUE = "baseline::unknown-value", "a value outside the set the baseline format allows";
    BASELINE_DUPLICATE_KEY = "baseline::duplicate-key", "a key given twice in one mapping of the baseline";
    BASELINE_MISSING_KEY = "baseline::missing-key", "a key the baseline format requires is absent";
    BASELINE_SYNTAX = "baseline::syntax", "YAML syntax, a wrong type or a size limit in the baseline";
    BASELINE_EMPTY = "baseline::empty", "the baseline file is empty";
    BASELINE_VERSION = "baseline::version", "a baseline version this odoo-order cannot read";
    BASELINE_UNKNOWN_RULE = "baseline::unknown-rule", "a baseline entry names a rule that does not exist";
    BASELINE_COUNT = "baseline::count", "a baseline entry's count is zero";

    // Rules data files (`rules/layers.yaml` and the files `extra_rules` names).
    RULES_ENCODING = "rules::encoding", "the rules data file is not UTF-8 text";
    RULES_UNKNOWN_KEY = "rules::unknown-key", "a key the rules data format does not have";
    RULES_UNKNOWN_VALUE = "rules::unknown-value", "a layer or value the rules data format does not have";
    RULES_DUPLICATE_KEY = "rules::duplicate-key", "a key given twice in one mapping of the rules data file";
    RULES_MISSING_KEY = "rules::missing-key", "a key the rules data format requires is absent";
    RULES_SYNTAX = "rules::syntax", "YAML syntax, a wrong type or a size limit in the rules data file";
    RULES_EINVOICING = "rules::einvoicing", "an e-invoicing mandates file with a bad date, country, series or source";

    // Module manifests on the addons path.
    MANIFEST_INVALID = "manifest::invalid", "a `__manifest__.py` Odoo could not load either";

    // Commands.
    FIX_CANNOT_EDIT = "fix::cannot-edit", "`fix` cannot rewrite the plan's text safely";
}
