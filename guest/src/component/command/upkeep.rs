//! The commands that look after the files: `repair` (mend damaged files)
//! and `rotate` (apply the rotation policy now).

use auditlog_model::cli::upkeep::{RepairArgs, RotateArgs};
use serde_json::Value;

use super::{Failure, LOGS};
use crate::recovery::Recovery;
use crate::rotation::{Rotation, RotationAction};

/// As the host CLI's `repair`: one line per repaired file, or a JSON array
/// of the repairs as the seed's response lists them.
pub(super) fn repair(args: &RepairArgs) -> Result<(), Failure> {
    let recovered = LOGS.with_borrow(|logs| logs.repair(args.logs.source().as_ref()))?;
    if args.format == "json" {
        let repairs: Vec<Value> = recovered.iter().map(Recovery::to_json).collect();
        println!("{}", Value::from(repairs));
    } else if recovered.is_empty() {
        println!("nothing to repair: every log file is whole");
    } else {
        for recovery in &recovered {
            println!("{}", recovery.notice());
        }
    }
    Ok(())
}

/// As the host CLI's `rotate`: one line per file changed (or a JSON array)
/// on stdout, a summary on stderr.
pub(super) fn rotate(args: &RotateArgs) -> Result<(), Failure> {
    let rotations = LOGS.with_borrow(|logs| logs.rotate(Some(&args.source())))?;
    if args.format == "json" {
        let list: Vec<Value> = rotations.iter().map(Rotation::to_json).collect();
        println!("{}", Value::from(list));
    } else {
        for rotation in &rotations {
            println!(
                "{} {} ({} bytes)",
                rotation.action.name(),
                rotation.file,
                rotation.bytes
            );
        }
    }
    eprintln!("auditlog: {}", rotation_summary(&rotations));
    Ok(())
}

/// `2 files compressed, 1 deleted`, or `nothing to rotate`.
fn rotation_summary(rotations: &[Rotation]) -> String {
    if rotations.is_empty() {
        return "nothing to rotate".to_owned();
    }
    let count = |action| rotations.iter().filter(|r| r.action == action).count();
    let compressed = count(RotationAction::Compressed);
    let files = if compressed == 1 { "file" } else { "files" };
    format!(
        "{compressed} {files} compressed, {} deleted",
        count(RotationAction::Deleted)
    )
}
