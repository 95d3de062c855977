//! The command line, as clap types. Parsing only: [`crate::commands`] does the work.

use std::path::PathBuf;
use std::str::FromStr;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::finding::Severity;
use crate::report::ColorChoice;

/// Lint Odoo implementation plans: find go-live phases that switch on unconfigured accounting,
/// dependencies that arrive before their phase, and layers in the wrong order.
#[derive(Debug, Parser)]
#[command(name = "odoo-order", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// When to colour output.
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the process's command line, exiting with clap's message on a usage error.
    /// Unlike [`Parser::parse`], it keeps where each `-A`/`-W`/`-D` stood, so that the last
    /// flag for a rule wins whatever its kind.
    pub fn from_env() -> Self {
        let matches = Self::command().get_matches();
        match Self::from_matches(&matches) {
            Ok(cli) => cli,
            Err(err) => err.exit(),
        }
    }

    /// Builds the command line from clap's matches, with the order of the level flags.
    pub fn from_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut cli = Self::from_arg_matches(matches)?;
        if let (Command::Check(args), Some(("check", sub))) =
            (&mut cli.command, matches.subcommand())
        {
            args.levels = levels_in_order(sub);
        }
        Ok(cli)
    }
}

/// `-A`, `-W` and `-D` in command-line order, as rustc and clippy take them.
fn levels_in_order(matches: &ArgMatches) -> Vec<LevelFlag> {
    let mut levels = Vec::new();
    for (id, level) in [
        ("allow", Level::Allow),
        ("warn", Level::Warn),
        ("deny", Level::Deny),
    ] {
        let (Some(indices), Some(values)) =
            (matches.indices_of(id), matches.get_many::<String>(id))
        else {
            continue;
        };
        for (index, rule) in indices.zip(values) {
            levels.push((
                index,
                LevelFlag {
                    level,
                    rule: rule.clone(),
                },
            ));
        }
    }
    levels.sort_by_key(|(index, _)| *index);
    levels.into_iter().map(|(_, flag)| flag).collect()
}

/// One `-A`, `-W` or `-D` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelFlag {
    /// Which flag.
    pub level: Level,
    /// The rule it names, as written.
    pub rule: String,
}

/// The level a `-A`, `-W` or `-D` flag sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// `-A`: the rule is off.
    Allow,
    /// `-W`: the rule reports warnings.
    Warn,
    /// `-D`: the rule reports errors.
    Deny,
}

impl Level {
    /// The short flag, as shown in `--show-config`.
    pub fn flag(self) -> &'static str {
        match self {
            Self::Allow => "-A",
            Self::Warn => "-W",
            Self::Deny => "-D",
        }
    }

    /// The severity it sets; `None` turns the rule off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Self::Allow => None,
            Self::Warn => Some(Severity::Warning),
            Self::Deny => Some(Severity::Error),
        }
    }
}

/// Rule codes and names as clap sees them: any string is accepted (the check itself says
/// "did you mean"), but `--help` and the completions list every rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleParser;

impl TypedValueParser for RuleParser {
    type Value = String;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        value
            .to_str()
            .map(str::to_owned)
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidUtf8))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(crate::rules::RULES.iter().map(|r| {
            PossibleValue::new(r.name)
                .alias(r.code)
                .help(format!("{}: {}", r.code, r.summary))
        })))
    }
}

/// `FORMAT[=FILE]` as clap sees it: parsed by [`FormatSpec::from_str`], with the format names
/// listed in `--help` and the completions.
#[derive(Debug, Clone, Copy)]
pub struct FormatParser;

impl TypedValueParser for FormatParser {
    type Value = FormatSpec;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<FormatSpec, clap::Error> {
        clap::builder::StringValueParser::new()
            .try_map(|text| FormatSpec::from_str(&text))
            .parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            Format::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per process: boxing `check`'s flags buys nothing
pub enum Command {
    /// Check plan files for ordering problems (the main job).
    Check(CheckArgs),
    /// Print a rule's documentation.
    Explain(ExplainArgs),
    /// List every rule.
    Rules(RulesArgs),
    /// Print the JSON Schema of the plan format (or of odoo-order.yaml), for editors.
    Schema(SchemaArgs),
    /// Write a commented starter plan.
    Init(InitArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Show, phase by phase, what Odoo installs: planned, pulled in, auto-installed.
    Installs(InstallsArgs),
    /// Show every chain that brings a module into each phase, and the findings about it.
    Why(WhyArgs),
    /// Draw the plan (DOT or Mermaid), or its go-live dates as a Mermaid Gantt chart.
    Graph(GraphArgs),
    /// Move modules so that no error remains, editing the plan in place.
    Fix(FixArgs),
    /// List the modules of a catalog: built in, or read from an addons tree.
    Modules(ModulesArgs),
    /// Run a language server over standard input and output, for editors.
    Server(ServerArgs),
    /// Print the man page (roff), generated from this command line.
    #[command(hide = true)]
    Man,
}

/// `odoo-order schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The schema of the configuration file, odoo-order.yaml, instead of the plan's.
    #[arg(long)]
    pub config: bool,
}

/// `odoo-order check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Plan files and directories to check; `-` reads one plan from standard input. A
    /// directory is walked (honouring `.gitignore`) for `plan.yaml`, `*.plan.yaml`,
    /// `odoo-plan.yaml` (each also `.yml`) and the `*.yaml` and `*.yml` files of `plans`
    /// folders.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format, optionally written to a file: `FORMAT` or `FORMAT=FILE`. May be given
    /// several times. `json`, `sarif`, `gitlab` and `junit` go to standard output alone;
    /// `human`, `concise` and `github` lines may share it.
    #[arg(
        long = "format",
        value_name = "FORMAT[=FILE]",
        default_value = "human",
        value_parser = FormatParser
    )]
    pub formats: Vec<FormatSpec>,
    /// Exit with 1 when a finding at or above this severity is reported [default: `fail_on`
    /// in odoo-order.yaml, else error].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Turn a rule off (code or name). May be repeated; when `-A`, `-W` and `-D` name the
    /// same rule, the last one on the command line wins.
    #[arg(short = 'A', long = "allow", value_name = "RULE", value_parser = RuleParser, hide_possible_values = true)]
    pub allow: Vec<String>,
    /// Report a rule as a warning. May be repeated; the last flag for a rule wins.
    #[arg(short = 'W', long = "warn", value_name = "RULE", value_parser = RuleParser, hide_possible_values = true)]
    pub warn: Vec<String>,
    /// Report a rule as an error (code or name). May be repeated; the last flag for a rule
    /// wins.
    #[arg(short = 'D', long = "deny", value_name = "RULE", value_parser = RuleParser)]
    pub deny: Vec<String>,
    /// `-A`, `-W` and `-D` in command-line order (filled by [`Cli::from_matches`]).
    #[arg(skip)]
    pub levels: Vec<LevelFlag>,
    /// After the report, count the findings of each rule.
    #[arg(long)]
    pub statistics: bool,
    /// Never add GitHub annotations on their own: inside GitHub Actions, the human report to
    /// the terminal is otherwise joined by one annotation per finding.
    #[arg(long)]
    pub no_annotations: bool,
    /// The directory paths in machine formats are relative to [default: the nearest folder
    /// above the current one that holds `.git`, else the current directory].
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// The name to show for a plan read from standard input; its directory also decides
    /// which odoo-order.yaml applies.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Use this configuration file for every plan instead of the nearest odoo-order.yaml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print the resolved settings, and where each comes from, instead of checking.
    #[arg(long)]
    pub show_config: bool,
    /// Hide the findings recorded in this baseline file; report the rest, and the entries
    /// that no longer match anything.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record today's findings in this baseline file (by rule, company, phase and module,
    /// never by line) and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// How many plans to check at once [default: the number of cores].
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<std::num::NonZeroUsize>,
    /// Addons directories whose manifests replace the built-in facts, comma-separated as on
    /// Odoo's command line; wins over the plans' own `addons_path`.
    #[arg(long, value_name = "DIR,...", value_delimiter = ',')]
    pub addons_path: Option<Vec<PathBuf>>,
}

/// The `--fail-on` levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Errors only (the default).
    Error,
    /// Warnings and errors.
    Warning,
    /// Any finding.
    Info,
}

impl From<FailOn> for Severity {
    fn from(f: FailOn) -> Self {
        match f {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

/// The report formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// miette's graphical report (the default).
    Human,
    /// One line per finding: `path:line:col: SEVERITY CODE message`.
    Concise,
    /// One JSON object (design §7).
    Json,
    /// SARIF 2.1.0, as GitHub code scanning reads it.
    Sarif,
    /// GitHub Actions workflow commands: one annotation per finding, errors first.
    Github,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// JUnit XML: one test suite per plan file.
    Junit,
}

/// `FORMAT` or `FORMAT=FILE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatSpec {
    /// The format.
    pub format: Format,
    /// Where to write it; standard output when absent.
    pub file: Option<PathBuf>,
}

impl FromStr for FormatSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (name, file) = match s.split_once('=') {
            Some((name, file)) if !file.is_empty() => (name, Some(PathBuf::from(file))),
            Some(_) => return Err(format!("`{s}`: expected FORMAT=FILE with a file name")),
            None => (s, None),
        };
        let format = Format::from_str(name, true).map_err(|_| {
            let names: Vec<String> = Format::value_variants()
                .iter()
                .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_owned()))
                .collect();
            format!(
                "unknown format `{name}`; expected one of {}",
                names.join(", ")
            )
        })?;
        Ok(Self { format, file })
    }
}

/// `odoo-order explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code (`OO201`) or name (`dependency-in-later-phase`).
    #[arg(value_name = "CODE|NAME", value_parser = RuleParser)]
    pub rule: String,
}

/// `odoo-order rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// How to list them.
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

/// The formats of `rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// A plain-text table.
    Table,
    /// A JSON array.
    Json,
    /// The Markdown table of docs/rules.md.
    Markdown,
}

/// `odoo-order init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the plan; an existing file is never replaced.
    #[arg(value_name = "PATH", default_value = "odoo-plan.yaml")]
    pub path: PathBuf,
}

/// `odoo-order completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The formats of the views (`installs`, `why`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ViewFormat {
    /// Readable text (the default).
    Human,
    /// One JSON object.
    Json,
}

/// How a command that reads one plan finds its module facts and settings: the same way
/// `check` does.
#[derive(Debug, Clone, Default, Args)]
pub struct PlanSources {
    /// Addons directories whose manifests replace the built-in facts, comma-separated; wins
    /// over the plan's own `addons_path` and the configuration's.
    #[arg(long, value_name = "DIR,...", value_delimiter = ',')]
    pub addons_path: Option<Vec<PathBuf>>,
    /// Use this configuration file instead of the nearest odoo-order.yaml above the plan.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// `odoo-order installs`.
#[derive(Debug, Args)]
pub struct InstallsArgs {
    /// The plan file; `-` reads it from standard input.
    #[arg(value_name = "PLAN")]
    pub plan: PathBuf,
    /// How to show it.
    #[arg(long, value_enum, default_value_t = ViewFormat::Human)]
    pub format: ViewFormat,
    /// Where module facts and settings come from.
    #[command(flatten)]
    pub sources: PlanSources,
}

/// `odoo-order why`.
#[derive(Debug, Args)]
pub struct WhyArgs {
    /// The plan file; `-` reads it from standard input.
    #[arg(value_name = "PLAN")]
    pub plan: PathBuf,
    /// The module to explain.
    #[arg(value_name = "MODULE")]
    pub module: String,
    /// How to show it.
    #[arg(long, value_enum, default_value_t = ViewFormat::Human)]
    pub format: ViewFormat,
    /// Where module facts and settings come from.
    #[command(flatten)]
    pub sources: PlanSources,
}

/// The formats of `graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// A Mermaid flowchart (the default; GitHub and GitLab render it in Markdown).
    Mermaid,
    /// Graphviz DOT (`odoo-order graph plan.yaml --format dot | dot -Tsvg > plan.svg`).
    Dot,
}

/// `odoo-order graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The plan file; `-` reads it from standard input.
    #[arg(value_name = "PLAN")]
    pub plan: PathBuf,
    /// The diagram language [default: mermaid].
    #[arg(long, value_enum)]
    pub format: Option<GraphFormat>,
    /// Chart the phases' go-live dates instead, as a Mermaid Gantt chart.
    #[arg(long)]
    pub gantt: bool,
    /// Where module facts and settings come from.
    #[command(flatten)]
    pub sources: PlanSources,
}

/// `odoo-order fix`.
#[derive(Debug, Args)]
pub struct FixArgs {
    /// The plan files to fix in place, each on its own (a pre-commit hook passes several).
    #[arg(value_name = "PLAN", required = true)]
    pub plans: Vec<PathBuf>,
    /// Print the changes as unified diffs and write nothing; exit 1 if there is a change to
    /// make or an error would remain.
    #[arg(long)]
    pub diff: bool,
    /// Where module facts and settings come from.
    #[command(flatten)]
    pub sources: PlanSources,
}

/// `odoo-order server`.
#[derive(Debug, Args)]
pub struct ServerArgs {
    /// Where module facts and settings come from, for every plan the editor opens.
    #[command(flatten)]
    pub sources: PlanSources,
}

/// `odoo-order modules`.
#[derive(Debug, Args)]
pub struct ModulesArgs {
    /// The Odoo series whose built-in catalog to list (and to lay the addons tree over).
    #[arg(long, value_name = "SERIES", default_value = "17.0")]
    pub series: String,
    /// Addons directories whose manifests replace the built-in facts, comma-separated.
    #[arg(long, value_name = "DIR,...", value_delimiter = ',')]
    pub addons_path: Option<Vec<PathBuf>>,
    /// How to list them.
    #[arg(long, value_enum, default_value_t = ModulesFormat::Table)]
    pub format: ModulesFormat,
}

/// The formats of `modules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModulesFormat {
    /// A readable table.
    Table,
    /// `{"modules": [...]}`.
    Json,
}
