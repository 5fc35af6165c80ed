//! The little world Typst compiles in: one template, the files made from the document, and
//! the embedded fonts. Nothing is read from disk or the network, so a report typesets the
//! same on every machine.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The template that lays the document out; it reads its data from the files below.
const TEMPLATE: &str = include_str!("report.typ");
const TEMPLATE_PATH: &str = "/report.typ";

/// Noto Sans in its four faces (the `notosans` crate ships them inside the library). Parsed
/// once per process: the fonts never change.
static FONTS: LazyLock<Vec<Font>> = LazyLock::new(|| {
    [
        notosans::REGULAR_TTF,
        notosans::BOLD_TTF,
        notosans::ITALIC_TTF,
        notosans::BOLD_ITALIC_TTF,
    ]
    .into_iter()
    .flat_map(|data| Font::iter(Bytes::new(data)))
    .collect()
});

static BOOK: LazyLock<LazyHash<FontBook>> =
    LazyLock::new(|| LazyHash::new(FontBook::from_fonts(FONTS.iter())));

static LIBRARY: LazyLock<LazyHash<Library>> =
    LazyLock::new(|| LazyHash::new(Library::builder().build()));

/// A path in the report's virtual project, e.g. `/document.json`.
fn file_id(path: &str) -> FileResult<FileId> {
    let path =
        VirtualPath::new(path).map_err(|error| FileError::Other(Some(error.to_string().into())))?;
    Ok(RootedPath::new(VirtualRoot::Project, path).intern())
}

/// The template and the data files it reads, all in memory.
pub(crate) struct ReportWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
}

impl ReportWorld {
    /// A world holding the template and `files`, each a path (from the project root) and its
    /// bytes.
    pub(crate) fn new(files: Vec<(String, Vec<u8>)>) -> FileResult<Self> {
        let main = Source::new(file_id(TEMPLATE_PATH)?, TEMPLATE.to_owned());
        let files = files
            .into_iter()
            .map(|(path, bytes)| Ok((file_id(&path)?, Bytes::new(bytes))))
            .collect::<FileResult<_>>()?;
        Ok(Self { main, files })
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &BOOK
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(PathBuf::from(id.vpath().get_without_slash())))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.get(index).cloned()
    }

    /// No clock: the report's date is in its data, and a clock would make output differ.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
