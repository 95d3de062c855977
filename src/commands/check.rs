//! `odoo-order check`: the main job. Discover the plans, resolve each one's configuration,
//! check them (on every core), apply a baseline, and report in each requested format.

use std::path::{Path, PathBuf};

use crate::baseline::{self, Baseline};
use crate::batch;
use crate::cli::{CheckArgs, Format, FormatSpec, Level, LevelFlag};
use crate::config::{ConfigId, Configs, Overrides};
use crate::discover::{self, Item, Source};
use crate::error::Error;
use crate::finding::Severity;
use crate::output::{self, Destination, Inputs};
use crate::report::{self, CheckRun, FileResult, Printer};
use crate::rules;

/// Checks every plan named on the command line and reports in each requested format.
pub fn run(args: &CheckArgs, printer: &Printer) -> Result<u8, Error> {
    let mut configs = Configs::new(overrides(args)?)?;
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    let items = discover::discover(&args.paths, args.stdin_filename.as_deref(), &mut configs)?;
    if args.show_config {
        show_config(args, &items, &mut configs, printer)?;
        return Ok(super::EXIT_OK);
    }

    // Where the outputs go is settled before any work: an output that would overwrite an input
    // of this run is refused while nothing has been written.
    let outputs: Vec<&Path> = match &args.write_baseline {
        Some(path) => vec![path.as_path()],
        // `formats` only adds specs without a file: these are its files, in its order.
        None => args
            .formats
            .iter()
            .filter_map(|s| s.file.as_deref())
            .collect(),
    };
    let destinations = output::destinations(&outputs, &inputs_of(args, &items, &configs))?;
    let mut destinations = outputs.iter().copied().zip(destinations);

    let mut inputs = Vec::new();
    let mut slots = Vec::new();
    for item in items {
        match item {
            Item::Plan(input) => {
                slots.push(None);
                inputs.push(input);
            }
            Item::Failed { error, .. } => slots.push(Some(FileResult::Failed(error))),
        }
    }
    let stdin = if inputs.iter().any(|i| i.source == Source::Stdin) {
        super::read_stdin()?
    } else {
        Vec::new()
    };
    let threads = args.threads.unwrap_or_else(batch::default_threads);
    let checked = batch::check(&inputs, &stdin, &configs, threads);
    let mut results = checked.results.into_iter();
    let files = slots
        .into_iter()
        .filter_map(|slot| slot.or_else(|| results.next()))
        .collect();
    let mut run = CheckRun {
        files,
        errors: checked.addons_errors,
        ..CheckRun::default()
    };
    if args.write_baseline.is_some() {
        let Some((path, destination)) = destinations.next() else {
            return Ok(super::EXIT_ERROR);
        };
        return write_baseline(path, &destination, &run, printer);
    }
    if let Some(baseline) = &baseline {
        baseline.apply(&mut run);
    }

    for spec in &formats(args) {
        let (out, err) = render(&run, spec.format, spec.file.is_none(), printer);
        match spec.file.as_ref().and_then(|_| destinations.next()) {
            Some((path, destination)) => destination.write(path, out.as_bytes(), printer)?,
            None => printer.out(&out),
        }
        printer.err(&err);
    }
    Ok(if run.has_failures() {
        super::EXIT_ERROR
    } else if run.fails() {
        super::EXIT_FINDINGS
    } else {
        super::EXIT_OK
    })
}

/// The requested formats. Inside GitHub Actions, human output to the terminal is joined by
/// annotations, unless a `github` format was asked for explicitly.
fn formats(args: &CheckArgs) -> Vec<FormatSpec> {
    let mut specs = args.formats.clone();
    let in_actions = std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true");
    let human_on_stdout = specs
        .iter()
        .any(|s| s.format == Format::Human && s.file.is_none());
    if in_actions && human_on_stdout && !specs.iter().any(|s| s.format == Format::Github) {
        specs.push(FormatSpec {
            format: Format::Github,
            file: None,
        });
    }
    specs
}

/// Renders a run in one format: what goes to the destination, and what goes to standard error.
fn render(run: &CheckRun, format: Format, terminal: bool, printer: &Printer) -> (String, String) {
    match format {
        Format::Human => report::human::render_run(
            run,
            terminal && printer.color(),
            printer.color_err(),
            printer.width(),
        ),
        Format::Concise => report::concise::render_run(run),
        Format::Json => (report::json::render_run(run), String::new()),
        Format::Sarif => (report::sarif::render_run(run), String::new()),
        Format::Github => (report::github::render_run(run), String::new()),
        Format::Gitlab => (report::gitlab::render_run(run), String::new()),
        Format::Junit => (report::junit::render_run(run), String::new()),
    }
}

/// `--write-baseline`: record every finding, unless a plan could not be checked (its findings
/// would be missing, and would all look new on the next run).
fn write_baseline(
    path: &Path,
    destination: &Destination,
    run: &CheckRun,
    printer: &Printer,
) -> Result<u8, Error> {
    let failed: Vec<&Error> = run.failures().collect();
    if !failed.is_empty() {
        for err in &failed {
            printer.error(err);
        }
        return Err(Error::usage(
            format!(
                "not writing `{}`: {} could not be checked",
                path.display(),
                report::plural(failed.len(), "file", "files"),
            ),
            Some("fix them first, or the baseline would miss their findings".to_owned()),
        ));
    }
    let (text, written) = baseline::render(run, &destination.base_dir(path));
    destination.write(path, text.as_bytes(), printer)?;
    printer.err(&report::baseline_written(
        &crate::paths::display(path),
        written,
    ));
    Ok(super::EXIT_OK)
}

/// The files this run reads: its plans, their configurations and rules files, `--config` and
/// the baseline. No output may be written over one of them.
fn inputs_of(args: &CheckArgs, items: &[Item], configs: &Configs) -> Inputs {
    let mut inputs = Inputs::new();
    let mut used: Vec<ConfigId> = Vec::new();
    for item in items {
        if let Item::Plan(input) = item {
            if let Source::File(path) = &input.source {
                inputs.add(path, "a plan");
            }
            if !used.contains(&input.config) {
                used.push(input.config);
            }
        }
    }
    for id in used {
        let explained = &configs.get(id).explained;
        if let Some(file) = &explained.file {
            inputs.add(Path::new(file), "a configuration file");
        }
        for rules in &explained.extra_rules {
            inputs.add(&rules.value, "a rules file");
        }
    }
    if let Some(config) = &args.config {
        inputs.add(config, "the configuration file");
    }
    if let Some(baseline) = &args.baseline {
        inputs.add(baseline, "the baseline");
    }
    inputs
}

/// `--show-config`: the settings of every configuration the named paths and their plans use.
fn show_config(
    args: &CheckArgs,
    items: &[Item],
    configs: &mut Configs,
    printer: &Printer,
) -> Result<(), Error> {
    let mut used: Vec<(ConfigId, usize)> = Vec::new();
    let mut note = |id: ConfigId, plans: usize| match used.iter_mut().find(|(u, _)| *u == id) {
        Some((_, n)) => *n += plans,
        None => used.push((id, plans)),
    };
    for path in &args.paths {
        let id = if path.as_os_str() == "-" {
            continue;
        } else if path.is_dir() {
            configs.for_dir(path)?
        } else {
            configs.for_file(path)?
        };
        note(id, 0);
    }
    for item in items {
        if let Item::Plan(input) = item {
            note(input.config, 1);
        }
    }
    let text: Vec<String> = used
        .iter()
        .map(|(id, plans)| report::settings::render(&configs.get(*id).explained, *plans))
        .collect();
    printer.out(&text.join("\n"));
    Ok(())
}

/// `-A`, `-W`, `-D` resolved to rules (in command-line order, so the last flag for a rule
/// wins, as with rustc and clippy), `--fail-on`, `--config` and `--addons-path`.
fn overrides(args: &CheckArgs) -> Result<Overrides, Error> {
    let mut severities = Vec::new();
    for LevelFlag { level, rule: name } in level_flags(args) {
        let Some(rule) = rules::find(&name) else {
            let help = rules::suggest(&name).map_or_else(
                || "`odoo-order rules` lists every rule".to_owned(),
                |s| format!("did you mean `{s}`?"),
            );
            return Err(Error::usage(
                format!("no rule is called `{name}`"),
                Some(help),
            ));
        };
        severities.push((rule, level.severity(), format!("{} {name}", level.flag())));
    }
    Ok(Overrides {
        severities,
        fail_on: args.fail_on.map(Severity::from),
        config: args.config.clone(),
        addons_path: args.addons_path.as_deref().map(existing_dirs).transpose()?,
    })
}

/// The level flags in command-line order; arguments built without clap's matches (a library
/// caller) have no order, and are taken kind by kind.
fn level_flags(args: &CheckArgs) -> Vec<LevelFlag> {
    if !args.levels.is_empty() {
        return args.levels.clone();
    }
    let kinds = [
        (Level::Allow, &args.allow),
        (Level::Warn, &args.warn),
        (Level::Deny, &args.deny),
    ];
    kinds
        .into_iter()
        .flat_map(|(level, names)| {
            names.iter().map(move |rule| LevelFlag {
                level,
                rule: rule.clone(),
            })
        })
        .collect()
}

/// `--addons-path` entries, each checked to be a directory before any plan is read.
pub fn existing_dirs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    for path in paths {
        if !path.is_dir() {
            return Err(Error::usage(
                format!("addons directory `{}` does not exist", path.display()),
                Some("`--addons-path` takes existing directories, separated by commas".to_owned()),
            ));
        }
    }
    Ok(paths.to_vec())
}
