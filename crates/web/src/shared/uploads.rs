//! The one pipeline every upload form goes through: receiving the file within the size
//! limit, reading it with its reader off the async runtime, and, when it cannot be used,
//! showing the form again ("422 Unprocessable Content") with the message beside the file
//! field and the file's problems listed (their true total counted, the first
//! [`crate::shared::file_problems::PROBLEMS_SHOWN`] listed: [`Refusal`], and the macro in
//! `shared/upload_problems.html`), so that every upload form answers the same way.
//!
//! A handler calls [`receive`] with the form's file and its reader (or [`read_upload_form`]
//! then [`read_with`], when the form has other fields to check first), and on a
//! [`Refusal`] renders its page through [`refused`]. So a new kind of upload is one reader
//! function in `cradle_readers` (returning [`Problems`] when the file is wrong), one store
//! method to keep what it read, and one route (`Routes::upload`) whose handler calls
//! [`receive`] and passes the refusal to its page, which includes the macro.
//!
//! Forms are limited to [`crate::BODY_LIMIT_BYTES`]; routes added with
//! `Routes::upload` take files up to [`UPLOAD_LIMIT_BYTES`]. A larger file (up to
//! [`HARD_BODY_LIMIT_BYTES`]) is not a bare "413": the handler shows its form again with
//! the message beside the file field.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::http::StatusCode;
use axum::response::{Html, Response};
use cradle_readers::Problems;

use crate::shared::error::{AppError, with_status};
pub(crate) use crate::shared::file_problems::Refusal;

/// The largest file an upload form takes: ONS and Fingertips downloads for the whole UK are
/// a few megabytes, so this leaves room without letting one request tie up the server.
pub(crate) const UPLOAD_LIMIT_BYTES: usize = 20 * 1024 * 1024;
/// [`UPLOAD_LIMIT_BYTES`] as the forms' hints and messages write it.
pub(crate) const UPLOAD_LIMIT_LABEL: &str = "20 MB";
/// No request body may be larger than this, on any route: beyond what an upload can use,
/// it is refused outright ("413 Payload Too Large") without being read. Between
/// [`UPLOAD_LIMIT_BYTES`] and this, an upload form answers with its message.
pub(crate) const HARD_BODY_LIMIT_BYTES: usize = 64 * 1024 * 1024;
/// The form field every upload form sends its file in.
pub(crate) const FILE_FIELD: &str = "file";

/// An uploaded file read through its reader.
pub(crate) struct Received<T> {
    /// The file's own name, as [`UploadedFile::name`].
    pub file_name: String,
    /// What the reader made of it.
    pub table: T,
}

/// Receives the file in the form's [`FILE_FIELD`] and reads it with `reader` (given the
/// file's bytes and name), as [`read_with`]; `choose` asks for the kind of file the form
/// takes, for when none was chosen. `Err` only when the reading task itself failed.
pub(crate) async fn receive<T, R>(
    upload: Result<Multipart, MultipartRejection>,
    choose: &str,
    reader: R,
) -> Result<Result<Received<T>, Refusal>, AppError>
where
    T: Send + 'static,
    R: FnOnce(&[u8], &str) -> Result<T, Problems> + Send + 'static,
{
    match read_upload(upload, choose).await {
        Ok(file) => read_with(file, reader).await,
        Err(message) => Ok(Err(Refusal::file(message))),
    }
}

/// Reads a received file with `reader`, or refuses it with every problem the reader found.
/// Reading a large workbook is CPU work, so it runs off the async runtime's threads.
pub(crate) async fn read_with<T, R>(
    file: UploadedFile,
    reader: R,
) -> Result<Result<Received<T>, Refusal>, AppError>
where
    T: Send + 'static,
    R: FnOnce(&[u8], &str) -> Result<T, Problems> + Send + 'static,
{
    let UploadedFile { name, bytes } = file;
    let (name, read) = tokio::task::spawn_blocking(move || {
        let read = reader(&bytes, &name);
        (name, read)
    })
    .await
    .map_err(|error| AppError::Internal(format!("reading an uploaded file: {error}")))?;
    Ok(match read {
        Ok(table) => Ok(Received {
            file_name: name,
            table,
        }),
        Err(problems) => Err(Refusal::problems(&name, &problems)),
    })
}

/// An upload form's page shown again with its [`Refusal`]: "422 Unprocessable Content".
pub(crate) fn refused(page: Result<Html<String>, AppError>) -> Response {
    with_status(StatusCode::UNPROCESSABLE_ENTITY, page)
}

/// A file received whole.
pub(crate) struct UploadedFile {
    /// The file's own name, without any folders a browser sent with it.
    pub name: String,
    pub bytes: Bytes,
}

fn too_large() -> String {
    format!("The selected file must be smaller than {UPLOAD_LIMIT_LABEL}")
}

fn failed(error: &MultipartError) -> String {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        "The file could not be received. Try again".to_owned()
    }
}

/// The most kept of any text field sent with a file (a column heading, a publisher's name).
const TEXT_FIELD_LIMIT: usize = 500;

/// What an upload form sent: the file (or the message to show beside its field), and the
/// form's other fields as text.
pub(crate) struct UploadForm {
    pub file: Result<UploadedFile, String>,
    pub fields: HashMap<String, String>,
}

impl UploadForm {
    /// A text field as sent, trimmed; empty when it was not sent.
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", |value| value.trim())
    }
}

/// The file in the form's [`FILE_FIELD`], or the message to show beside that field.
/// `choose` asks for the kind of file the form takes, for when none was chosen.
async fn read_upload(
    upload: Result<Multipart, MultipartRejection>,
    choose: &str,
) -> Result<UploadedFile, String> {
    read_upload_form(upload, choose).await.file
}

/// As [`read_upload`], keeping the form's text fields too (each up to
/// [`TEXT_FIELD_LIMIT`] bytes; the first of a name counts).
///
/// The whole body is read even when the file is too large (up to
/// [`HARD_BODY_LIMIT_BYTES`], beyond which the request never reaches a handler), keeping
/// no more than [`UPLOAD_LIMIT_BYTES`] of it: a browser shows the answer only once it has
/// sent its request.
pub(crate) async fn read_upload_form(
    upload: Result<Multipart, MultipartRejection>,
    choose: &str,
) -> UploadForm {
    let mut fields = HashMap::new();
    let file = read_parts(upload, choose, &mut fields).await;
    UploadForm { file, fields }
}

async fn read_parts(
    upload: Result<Multipart, MultipartRejection>,
    choose: &str,
    fields: &mut HashMap<String, String>,
) -> Result<UploadedFile, String> {
    let mut upload = upload.map_err(|_| choose.to_owned())?;
    let mut found = None;
    while let Some(mut field) = upload.next_field().await.map_err(|error| failed(&error))? {
        if field.name() != Some(FILE_FIELD) {
            let name = field.name().unwrap_or_default().to_owned();
            let mut text = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|error| failed(&error))? {
                let room = TEXT_FIELD_LIMIT.saturating_sub(text.len());
                text.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            fields
                .entry(name)
                .or_insert_with(|| String::from_utf8_lossy(&text).into_owned());
            continue;
        }
        if found.is_some() {
            continue;
        }
        let name = field.file_name().unwrap_or_default().trim().to_owned();
        let mut bytes = Vec::new();
        let mut over = false;
        while let Some(chunk) = field.chunk().await.map_err(|error| failed(&error))? {
            if over || bytes.len() + chunk.len() > UPLOAD_LIMIT_BYTES {
                over = true;
                bytes = Vec::new();
            } else {
                bytes.extend_from_slice(&chunk);
            }
        }
        found = Some(if over {
            Err(too_large())
        } else if bytes.is_empty() {
            Err(choose.to_owned())
        } else {
            // Only the name's last part: some browsers send the whole path.
            let name = name
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or_default()
                .to_owned();
            Ok(UploadedFile {
                name,
                bytes: Bytes::from(bytes),
            })
        });
    }
    found.unwrap_or_else(|| Err(choose.to_owned()))
}
