//! `odoo-order check`: the main job.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::check::Settings;
use crate::cli::{CheckArgs, Format};
use crate::error::Error;
use crate::finding::Severity;
use crate::linter::Linter;
use crate::report::{self, CheckRun, Printer};
use crate::rules;

/// Checks every plan named on the command line and reports in each requested format.
pub fn run(args: &CheckArgs, printer: &Printer) -> Result<u8, Error> {
    let settings = Settings {
        severities: severities(args)?,
        ..Settings::default()
    };
    let mut linter = Linter::new(settings)?;
    if let Some(paths) = &args.addons_path {
        linter = linter.with_addons_path(existing_dirs(paths)?);
    }
    let mut run = CheckRun::default();
    for path in &args.paths {
        if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|source| Error::Io {
                    path: PathBuf::from("-"),
                    source,
                })?;
            let name = args
                .stdin_filename
                .clone()
                .unwrap_or_else(|| "<stdin>".to_owned());
            run.files
                .push(linter.check_bytes(Path::new(&name), &name, &bytes));
        } else if path.is_dir() {
            return Err(Error::usage(
                format!("`{}` is a directory", path.display()),
                Some("name the plan files to check".to_owned()),
            ));
        } else {
            let display = path.display().to_string();
            run.files.push(linter.check_path(path, &display));
        }
    }
    run.errors = linter.take_addons_errors();
    for spec in &args.formats {
        let (out, err) = match spec.format {
            Format::Human => report::human::render_run(
                &run,
                spec.file.is_none() && printer.color(),
                printer.width(),
            ),
            Format::Concise => report::concise::render_run(&run),
            Format::Json => (report::json::render_run(&run), String::new()),
        };
        match &spec.file {
            Some(file) => {
                std::fs::write(file, out).map_err(|source| Error::Write {
                    path: file.clone(),
                    source,
                })?;
            }
            None => printer.out(&out),
        }
        printer.err(&err);
    }
    Ok(if run.has_failures() {
        super::EXIT_ERROR
    } else if run.fails_at(args.fail_on.into()) {
        super::EXIT_FINDINGS
    } else {
        super::EXIT_OK
    })
}

/// `-A`, `-W`, `-D` resolved to codes; a later flag wins over an earlier one for the same rule.
fn severities(args: &CheckArgs) -> Result<BTreeMap<&'static str, Option<Severity>>, Error> {
    let mut map = BTreeMap::new();
    let groups = [
        (&args.allow, None),
        (&args.warn, Some(Severity::Warning)),
        (&args.deny, Some(Severity::Error)),
    ];
    for (names, severity) in groups {
        for name in names {
            let Some(rule) = rules::find(name) else {
                let help = rules::suggest(name).map_or_else(
                    || "`odoo-order rules` lists every rule".to_owned(),
                    |s| format!("did you mean `{s}`?"),
                );
                return Err(Error::usage(
                    format!("no rule is called `{name}`"),
                    Some(help),
                ));
            };
            map.insert(rule.code, severity);
        }
    }
    Ok(map)
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
