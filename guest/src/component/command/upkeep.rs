//! The commands that look after the files: `repair` (mend damaged files)
//! and `rotate` (apply the rotation policy now).

use auditlog_model::cli::upkeep::{RepairArgs, RotateArgs};

use super::{Failure, LOGS};
use crate::recovery::Recovery;
use crate::rotation::Rotation;

/// As the host CLI's `repair`: one line per repaired file, or a JSON array
/// of the repairs as the seed's response lists them.
pub(super) fn repair(args: &RepairArgs) -> Result<(), Failure> {
    let recovered = LOGS.with_borrow(|logs| logs.repair(args.logs.source().as_ref()))?;
    for line in Recovery::report_lines(&recovered, args.format == "json") {
        println!("{line}");
    }
    Ok(())
}

/// As the host CLI's `rotate`: one line per file changed (or a JSON array)
/// on stdout, a summary on stderr.
pub(super) fn rotate(args: &RotateArgs) -> Result<(), Failure> {
    let rotations = LOGS.with_borrow(|logs| logs.rotate(Some(&args.source())))?;
    for line in Rotation::report_lines(&rotations, args.format == "json") {
        println!("{line}");
    }
    eprintln!("auditlog: {}", Rotation::summary(&rotations));
    Ok(())
}
