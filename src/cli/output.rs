//! Files written whole or not at all: reports (`check --output`,
//! `--format FORMAT=FILE`) and formatted rule files (`fmt`).
//!
//! A file is written to a temporary file beside it (`.NAME.XXXXXX.tmp`, in
//! the same folder so that moving it is a rename) and moved into place only
//! once complete. Whoever reads the file meanwhile (a CI step, a web server
//! serving the report) sees the old file or the new one, never half of one,
//! and a run that fails while writing leaves the old file as it was and no
//! temporary file behind.
//!
//! The new file keeps the old one's permissions; a new one gets those
//! `File::create` gives. Where a file cannot be replaced that way without
//! changing what the path means, it is written in place as before: a
//! symbolic link (its target is written), a file with other hard links, a
//! read-only file (writing it fails as it did), anything that is not a
//! regular file (`/dev/stdout`, a pipe), and a file in a folder where no
//! temporary file can be made.

use std::fs::{self, File, Metadata, Permissions};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use tempfile::NamedTempFile;

/// Writes `path` with what `write` writes, through a buffer; the file is
/// replaced only if `write` and the flush succeed.
pub(crate) fn write_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let existing = fs::symlink_metadata(path).ok();
    let temp = match &existing {
        Some(metadata) if !replaceable(metadata) => None,
        _ => temp_beside(path, existing.as_ref()).ok(),
    };
    let Some(temp) = temp else {
        let file = File::create(path)?;
        return write_through(&file, write);
    };
    write_through(temp.as_file(), write)?;
    put_in_place(temp, path, existing.is_some())
}

/// Writes through a buffer of 1 MiB: reports run to hundreds of megabytes.
fn write_through(
    file: &File,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, file);
    write(&mut out)?;
    out.flush()
}

/// Whether a file can be replaced by a new one without changing what its
/// path means or who may write it.
fn replaceable(metadata: &Metadata) -> bool {
    #[cfg(unix)]
    let single_link = std::os::unix::fs::MetadataExt::nlink(metadata) == 1;
    #[cfg(not(unix))]
    let single_link = true;
    metadata.is_file() && single_link && !metadata.permissions().readonly()
}

/// An empty temporary file in `path`'s folder, with the permissions of the
/// file it will replace (or of a new file).
fn temp_beside(path: &Path, existing: Option<&Metadata>) -> io::Result<NamedTempFile> {
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    let kept = existing.map(Metadata::permissions);
    if let Some(permissions) = kept.clone().or_else(new_file_permissions) {
        builder.permissions(permissions);
    }
    let temp = builder.tempfile_in(folder)?;
    // Created under the umask; the old file's bits are kept exactly.
    if let Some(permissions) = kept {
        temp.as_file().set_permissions(permissions)?;
    }
    Ok(temp)
}

/// What `File::create` gives a new file (before the umask), rather than the
/// owner-only permissions of a temporary file.
#[cfg(unix)]
fn new_file_permissions() -> Option<Permissions> {
    Some(std::os::unix::fs::PermissionsExt::from_mode(0o666))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<Permissions> {
    None
}

/// Moves the complete temporary file to `path`.
///
/// An old file is first renamed aside and removed after: renaming a file
/// over another makes ext4 (`auto_da_alloc`) start writing the new one to
/// disk within the rename, which for a report of a few hundred megabytes
/// holds the run up by a tenth of a second; moved to a free name it is
/// written out in the background like any new file. For the moment between
/// the two renames `path` does not exist; if the second fails, the old file
/// is put back.
fn put_in_place(temp: NamedTempFile, path: &Path, replaces: bool) -> io::Result<()> {
    if replaces {
        let aside = temp.path().with_extension("old");
        if fs::rename(path, &aside).is_ok() {
            return match temp.persist(path) {
                Ok(_) => {
                    // The new file is in place; an old one left over is
                    // only a hidden file.
                    let _ = fs::remove_file(&aside);
                    Ok(())
                }
                Err(error) => {
                    let _ = fs::rename(&aside, path);
                    Err(error.error)
                }
            };
        }
    }
    temp.persist(path).map(drop).map_err(|error| error.error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_in(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_new_file_is_written_and_nothing_else_is_left() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("report.json");
        write_file(&path, |out| out.write_all(b"new")).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(names_in(folder.path()), ["report.json"]);
    }

    #[test]
    fn an_old_file_is_replaced_whole() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("report.json");
        fs::write(&path, "an old report, longer than the new one").unwrap();
        write_file(&path, |out| out.write_all(b"new")).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(names_in(folder.path()), ["report.json"]);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary_file() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("report.json");
        fs::write(&path, "old").unwrap();
        let failed = write_file(&path, |out| {
            out.write_all(b"half a rep")?;
            Err(io::Error::other("disk full"))
        });
        assert_eq!(failed.unwrap_err().to_string(), "disk full");
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(names_in(folder.path()), ["report.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn the_old_file_permissions_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("report.json");
        fs::write(&path, "old").unwrap();
        // Bits the usual umask (022) would take from a new file.
        fs::set_permissions(&path, Permissions::from_mode(0o666)).unwrap();
        write_file(&path, |out| out.write_all(b"new")).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o666);
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_the_permissions_of_file_create() {
        use std::os::unix::fs::PermissionsExt;
        let folder = tempfile::tempdir().unwrap();
        let created = folder.path().join("created");
        File::create(&created).unwrap();
        let path = folder.path().join("report.json");
        write_file(&path, |out| out.write_all(b"new")).unwrap();
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode();
        assert_eq!(mode(&path), mode(&created));
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_and_a_hard_link_are_written_through() {
        let folder = tempfile::tempdir().unwrap();
        let target = folder.path().join("target.json");
        fs::write(&target, "old").unwrap();
        let symlink = folder.path().join("symlink.json");
        std::os::unix::fs::symlink(&target, &symlink).unwrap();
        write_file(&symlink, |out| out.write_all(b"via symlink")).unwrap();
        assert!(fs::symlink_metadata(&symlink).unwrap().is_symlink());
        assert_eq!(fs::read(&target).unwrap(), b"via symlink");

        let hard_link = folder.path().join("hard.json");
        fs::hard_link(&target, &hard_link).unwrap();
        write_file(&hard_link, |out| out.write_all(b"via link")).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"via link");
        assert_eq!(
            names_in(folder.path()),
            ["hard.json", "symlink.json", "target.json"]
        );
    }
}
