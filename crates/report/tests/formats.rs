//! The Word, Excel and slide outputs, each opened with a real reader: the XML inside the
//! packages, LibreOffice and pdftotext, calamine, and a PNG decoder.

mod formats {
    pub mod docx;
    pub mod sample;
    pub mod slides;
    pub mod xlsx;
}
