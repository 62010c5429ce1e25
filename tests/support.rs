//! Running the `auditlog` binary against a fresh log directory.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// Writes a file that holds a secret (a chain key, a token) readable by its
/// owner alone, as `auditlog` requires of such files.
pub fn write_secret(path: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(&path, contents)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
}

/// A temporary log directory and the binary to run against it.
pub struct Cli {
    root: tempfile::TempDir,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the run succeeded and returns it.
    #[track_caller]
    pub fn success(self) -> Self {
        assert_eq!(self.code, 0, "expected success: {self:?}");
        self
    }

    /// Asserts the run was refused as bad input: exit 2 and one line on stderr
    /// that names `field`.
    #[track_caller]
    pub fn refused(self, field: &str) -> Self {
        assert_eq!(self.code, 2, "expected exit 2 naming {field}: {self:?}");
        assert_eq!(
            self.stderr.lines().count(),
            1,
            "one line on stderr: {:?}",
            self.stderr
        );
        assert!(
            self.stderr.contains(field),
            "stderr should name {field}: {:?}",
            self.stderr
        );
        self
    }

    /// Standard output as JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {:?}", self.stdout))
    }
}

impl Cli {
    pub fn new() -> Self {
        Self {
            root: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    /// The log directory passed as `--dir`.
    pub fn dir(&self) -> PathBuf {
        self.root.path().join("logs")
    }

    /// Somewhere outside the log directory.
    pub fn outside(&self) -> &Path {
        self.root.path()
    }

    /// Runs `auditlog --dir DIR ARGS…`.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[], None)
    }

    /// Runs `auditlog --dir DIR --now NOW ARGS…`.
    pub fn run_at(&self, now: &str, args: &[&str]) -> Run {
        self.run_with(args, &[("AUDITLOG_NOW", now)], None)
    }

    /// Runs with arguments that need not be UTF-8.
    pub fn run_os(&self, args: &[&OsStr]) -> Run {
        self.spawn(args, &[], None)
    }

    /// Runs with arguments that need not be UTF-8 and extra environment variables.
    pub fn run_os_with(&self, args: &[&OsStr], env: &[(&str, &str)]) -> Run {
        self.spawn(args, env, None)
    }

    /// Runs with extra environment variables and, optionally, standard input.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
        let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
        self.spawn(&args, env, stdin)
    }

    fn spawn(&self, args: &[&OsStr], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
        let mut child = Command::new(env!("CARGO_BIN_EXE_auditlog"))
            .arg("--dir")
            .arg(self.dir())
            .args(args)
            .env_remove("AUDITLOG_DIR")
            .env_remove("AUDITLOG_NOW")
            .env_remove("AUDITLOG_MAX_FILE_BYTES")
            .env_remove("AUDITLOG_MAX_DAYS")
            .env_remove("AUDITLOG_MAX_USER_BYTES")
            .env_remove("AUDITLOG_COMPRESS")
            .env_remove("AUDITLOG_COMPRESS_GRACE")
            .envs(env.iter().copied())
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the auditlog binary runs");
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
        }
        let output = child.wait_with_output().unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }

    /// The log files (`audit_log.json` and the day files) with their bytes:
    /// what a reader sees, without the index and lock files.
    pub fn snapshot_logs(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        self.snapshot()
            .into_iter()
            .filter(|(path, _)| {
                let name = path.to_string_lossy();
                name.ends_with(".jsonl") || name.ends_with("audit_log.json")
            })
            .collect()
    }

    /// Every file under the log directory with its bytes.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        snapshot(&self.dir())
    }

    /// The skill log, parsed.
    pub fn skill_log(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(self.dir().join("audit_log.json"))
            .expect("audit_log.json exists");
        serde_json::from_str(&text).expect("audit_log.json is valid JSON")
    }

    /// The lines of a day file, each parsed.
    pub fn day_file(&self, user: &str, day: &str) -> Vec<Value> {
        let path = self
            .dir()
            .join(user)
            .join("tool_audit")
            .join(format!("{day}.jsonl"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        text.lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect()
    }
}

/// Every file under `dir` with its bytes (empty if `dir` does not exist).
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// The names of `entries`' `field`, in order.
pub fn field(entries: &[Value], name: &str) -> Vec<Value> {
    entries.iter().map(|e| e[name].clone()).collect()
}

/// Runs `jq FILTER… FILE` and returns its standard output.
#[track_caller]
pub fn jq(filter: &[&str], file: &Path) -> String {
    let output = Command::new("jq")
        .args(filter)
        .arg(file)
        .output()
        .expect("jq is installed (.ci/run installs it)");
    assert!(
        output.status.success(),
        "jq {filter:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Runs `auditlog --dir DIR ARGS…`, killed if it is still running after
/// `limit`; `None` then.
pub fn run_within(
    dir: &Path,
    args: &[&str],
    limit: std::time::Duration,
) -> Option<std::process::Output> {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_auditlog"))
        .arg("--dir")
        .arg(dir)
        .args(args)
        .env_remove("AUDITLOG_DIR")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    None
}
