//! `odoo-order check`: the main job. Discover the plans, resolve each one's configuration,
//! check them (on every core), apply a baseline, and report in each requested format.

use std::path::{Path, PathBuf};

use clap::ValueEnum as _;

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
    one_on_stdout(&args.formats)?;
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

    write_reports(args, &mut run, &mut destinations, printer)?;
    Ok(if run.has_failures() {
        super::EXIT_ERROR
    } else if run.fails() {
        super::EXIT_FINDINGS
    } else {
        super::EXIT_OK
    })
}

/// Renders the run in every requested format and writes each where it goes; then the
/// statistics, and the summary on standard error when no report went to the terminal.
fn write_reports<'a>(
    args: &CheckArgs,
    run: &mut CheckRun,
    destinations: &mut impl Iterator<Item = (&'a Path, Destination)>,
    printer: &Printer,
) -> Result<(), Error> {
    let specs = formats(args);
    // Human and concise name files as the user typed them, for the terminal and the editor;
    // the machine formats name them from the repository root, where GitHub, GitLab and SARIF
    // viewers look for them, whatever folder the run started in.
    let mut rendered: Vec<Option<(String, String)>> = specs
        .iter()
        .map(|spec| {
            (!is_machine(spec.format))
                .then(|| render(run, spec.format, spec.file.is_none(), printer))
        })
        .collect();
    if specs.iter().any(|spec| is_machine(spec.format)) {
        let root = args.root.as_deref().map_or_else(
            || crate::paths::repository_root(Path::new(".")),
            crate::paths::absolute,
        );
        from_root(run, &root);
        for (spec, slot) in specs.iter().zip(&mut rendered) {
            if slot.is_none() {
                *slot = Some(render(run, spec.format, spec.file.is_none(), printer));
            }
        }
    }
    for (spec, (out, err)) in specs.iter().zip(rendered.into_iter().flatten()) {
        match spec.file.as_ref().and_then(|_| destinations.next()) {
            Some((path, destination)) => destination.write(path, out.as_bytes(), printer)?,
            None => printer.out(&out),
        }
        printer.err(&err);
    }
    let to_terminal = args.formats.iter().any(|s| s.file.is_none());
    let readable_stdout = args
        .formats
        .iter()
        .any(|s| s.file.is_none() && !is_machine(s.format));
    if args.statistics {
        let table = report::statistics(run);
        if readable_stdout {
            printer.out(&table);
        } else {
            printer.err(&table);
        }
    }
    if !to_terminal {
        // Every report went to a file: a CI log must still say what happened.
        printer.err(&report::summary_lines(&run.summary()));
    }
    Ok(())
}

/// The formats written for programs rather than read in a terminal; their paths are named
/// from the repository root.
fn is_machine(format: Format) -> bool {
    !matches!(format, Format::Human | Format::Concise)
}

/// A document format (`json`, `sarif`, `gitlab`, `junit`) on standard output must be the only
/// format there: anything else would be concatenated into a stream no reader can parse. The
/// line formats (`human`, `concise`, `github`) may share it, as the GitHub Actions log mixes
/// text and workflow commands.
fn one_on_stdout(formats: &[FormatSpec]) -> Result<(), Error> {
    let name = |format: Format| {
        format
            .to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_owned())
    };
    let on_stdout: Vec<Format> = formats
        .iter()
        .filter(|s| s.file.is_none())
        .map(|s| s.format)
        .collect();
    let Some(at) = on_stdout.iter().position(|f| is_document(*f)) else {
        return Ok(());
    };
    let Some(other) = (0..on_stdout.len()).find(|i| *i != at) else {
        return Ok(());
    };
    let document = on_stdout[at];
    let (first, second) = (
        name(on_stdout[at.min(other)]),
        name(on_stdout[at.max(other)]),
    );
    let moved = name(document);
    Err(Error::usage(
        format!("`--format {first}` and `--format {second}` would both write to standard output"),
        Some(format!(
            "send `{moved}` to a file: `--format {moved}=odoo-order.{moved}`"
        )),
    ))
}

/// The formats that are one document (JSON or XML), which nothing else may share a stream with.
fn is_document(format: Format) -> bool {
    matches!(
        format,
        Format::Json | Format::Sarif | Format::Gitlab | Format::Junit
    )
}

/// Renames every file of the run as seen from `root` (a plan read from standard input keeps
/// its name).
fn from_root(run: &mut CheckRun, root: &Path) {
    let rename = |file: &mut crate::source::SourceFile| {
        if !file.name().starts_with('<') {
            let name = crate::paths::from_root(file.path(), root);
            file.rename(name);
        }
    };
    for result in &mut run.files {
        match result {
            FileResult::Checked { file, .. } => rename(file),
            FileResult::Failed(Error::Invalid(inv)) => rename(&mut inv.file),
            FileResult::Failed(_) => {}
        }
    }
    for err in &mut run.errors {
        if let Error::Invalid(inv) = err {
            rename(&mut inv.file);
        }
    }
    if let Some(stale) = &mut run.stale {
        rename(&mut stale.file);
    }
}

/// The requested formats. Inside GitHub Actions, human output to the terminal is joined by
/// annotations, unless a `github` format was asked for explicitly or `--no-annotations` is
/// given. A run whose formats all go elsewhere (`--format sarif=x.sarif`) gets none: the SARIF
/// upload marks the findings already.
fn formats(args: &CheckArgs) -> Vec<FormatSpec> {
    let mut specs = args.formats.clone();
    let in_actions =
        !args.no_annotations && std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true");
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
        Format::Human => report::human::render_streams(
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

/// `--addons-path` entries, each checked before any plan is read to be a directory whose
/// subdirectories hold modules, as Odoo refuses any other: the parent of the `odoo/` and OCA
/// checkouts is the usual mistake, and would silently fall back to nothing.
pub fn existing_dirs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    for path in paths {
        let shown = crate::paths::display(path);
        if !path.is_dir() {
            return Err(Error::usage(
                format!("addons directory `{shown}` does not exist"),
                Some("`--addons-path` takes existing directories, separated by commas".to_owned()),
            ));
        }
        if !crate::addons::holds_modules(path) {
            return Err(Error::usage(
                format!("`{shown}` is not an addons directory: no module in its subfolders"),
                Some(crate::addons::not_addons_dir_help(
                    path,
                    "`--addons-path` takes several, separated by commas",
                )),
            ));
        }
    }
    Ok(paths.to_vec())
}
