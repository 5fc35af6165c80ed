//! The Word package's fixed parts: styles (real heading styles, so that Word's navigation
//! pane and LibreOffice's navigator show the outline), bullet numbering, settings, the footer,
//! the content types and relationships, and the document properties.

use std::fmt::Write;

use super::body::{Body, run};
use crate::xml::escape;

/// The width of the text on an A4 page with 2.54 cm margins, in twips: 11,906 − 2 × 1,440.
pub(super) const TEXT_WIDTH_TWIPS: u64 = 9_026;

const MAIN: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE_RELATIONSHIPS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// `word/document.xml`: the body, then an A4 page with the footer on every page but the first.
pub(super) fn document(body: &str) -> String {
    format!(
        "{DECLARATION}<w:document xmlns:w=\"{MAIN}\" xmlns:r=\"{OFFICE_RELATIONSHIPS}\" \
         xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
         xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
         xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>{body}\
         <w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>\
         <w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1440\" w:right=\"1440\" \
         w:bottom=\"1440\" w:left=\"1440\" w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/>\
         <w:titlePg/></w:sectPr></w:body></w:document>"
    )
}

/// `word/footer1.xml`: the attribution, then the page number at the right margin.
pub(super) fn footer(attribution: &str) -> String {
    format!(
        "{DECLARATION}<w:ftr xmlns:w=\"{MAIN}\" xmlns:r=\"{OFFICE_RELATIONSHIPS}\"><w:p>\
         <w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>{}<w:r><w:tab/><w:t xml:space=\"preserve\">Page </w:t></w:r>\
         <w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>",
        run(attribution, false)
    )
}

/// `word/styles.xml`, with every run's language set to `language`.
pub(super) fn styles(language: &str) -> String {
    format!(
        "{DECLARATION}<w:styles xmlns:w=\"{MAIN}\"><w:docDefaults><w:rPrDefault><w:rPr>\
         <w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:eastAsia=\"Arial\" w:cs=\"Arial\"/>\
         <w:color w:val=\"0B0C0C\"/><w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/>\
         <w:lang w:val=\"{language}\" w:eastAsia=\"{language}\" w:bidi=\"ar-SA\"/>\
         </w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>\
         <w:spacing w:after=\"160\" w:line=\"276\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>\
         </w:docDefaults>{STYLES}</w:styles>"
    )
}

/// Every style the body uses. Built-in styles keep Word's own names ("heading 1", "caption",
/// "List Bullet"), which is how Word and LibreOffice know them for what they are.
const STYLES: &str = concat!(
    r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>"#,
    r#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"#,
    r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#,
    r#"<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="10"/><w:qFormat/><w:pPr><w:spacing w:before="2400" w:after="240"/><w:contextualSpacing/></w:pPr><w:rPr><w:color w:val="063B3A"/><w:kern w:val="28"/><w:sz w:val="56"/><w:szCs w:val="56"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="11"/><w:qFormat/><w:pPr><w:spacing w:after="480"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val="0B5C5A"/><w:sz w:val="30"/><w:szCs w:val="30"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:pageBreakBefore/><w:spacing w:before="0" w:after="240"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val="063B3A"/><w:sz w:val="40"/><w:szCs w:val="40"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val="063B3A"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:after="80"/><w:ind w:left="720" w:hanging="360"/></w:pPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="35"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:spacing w:before="120" w:after="200"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val="484949"/><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="Source"><w:name w:val="Source"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="80" w:after="280"/></w:pPr><w:rPr><w:color w:val="484949"/><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="Fact"><w:name w:val="Fact"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepLines/><w:pBdr><w:left w:val="single" w:sz="24" w:space="8" w:color="0B5C5A"/></w:pBdr><w:shd w:val="clear" w:color="auto" w:fill="EEF5F4"/><w:spacing w:before="120" w:after="240"/><w:ind w:left="240" w:right="120"/></w:pPr><w:rPr><w:sz w:val="23"/><w:szCs w:val="23"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="MissingNote"><w:name w:val="Missing data note"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepLines/><w:pBdr><w:top w:val="dashed" w:sz="8" w:space="4" w:color="8A5300"/><w:left w:val="dashed" w:sz="8" w:space="4" w:color="8A5300"/><w:bottom w:val="dashed" w:sz="8" w:space="4" w:color="8A5300"/><w:right w:val="dashed" w:sz="8" w:space="4" w:color="8A5300"/></w:pBdr><w:shd w:val="clear" w:color="auto" w:fill="FFF4E0"/><w:spacing w:before="120" w:after="240"/><w:ind w:left="120" w:right="120"/></w:pPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="Figure"><w:name w:val="Figure"/><w:basedOn w:val="Normal"/><w:next w:val="Caption"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="0"/></w:pPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table text"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="Reference"><w:name w:val="Reference"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:keepLines/><w:spacing w:after="200"/></w:pPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="Attribution"><w:name w:val="Attribution"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="2400"/></w:pPr><w:rPr><w:color w:val="484949"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val="right" w:pos="9026"/></w:tabs><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:color w:val="484949"/><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr></w:style>"#,
    r#"<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:color w:val="0B5C5A"/><w:u w:val="single"/></w:rPr></w:style>"#,
    r#"<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="39"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="9FC3BF"/><w:left w:val="single" w:sz="4" w:space="0" w:color="9FC3BF"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="9FC3BF"/><w:right w:val="single" w:sz="4" w:space="0" w:color="9FC3BF"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="9FC3BF"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="9FC3BF"/></w:tblBorders></w:tblPr></w:style>"#,
);

/// `word/numbering.xml`: one bulleted list definition, number 1, which "List Bullet" uses.
pub(super) fn numbering() -> String {
    format!(
        "{DECLARATION}<w:numbering xmlns:w=\"{MAIN}\"><w:abstractNum w:abstractNumId=\"0\">\
         <w:multiLevelType w:val=\"singleLevel\"/><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/>\
         <w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"\u{2022}\"/><w:lvlJc w:val=\"left\"/>\
         <w:pPr><w:ind w:left=\"720\" w:hanging=\"360\"/></w:pPr></w:lvl></w:abstractNum>\
         <w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"
    )
}

/// `word/settings.xml`: the proofing language and Word 2013+ layout.
pub(super) fn settings(language: &str) -> String {
    format!(
        "{DECLARATION}<w:settings xmlns:w=\"{MAIN}\"><w:defaultTabStop w:val=\"720\"/>\
         <w:characterSpacingControl w:val=\"doNotCompress\"/><w:compat><w:compatSetting \
         w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" \
         w:val=\"15\"/></w:compat><w:themeFontLang w:val=\"{language}\"/></w:settings>"
    )
}

/// `[Content_Types].xml`.
pub(super) fn content_types() -> String {
    const TYPE: &str = "application/vnd.openxmlformats-officedocument";
    format!(
        "{DECLARATION}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Default Extension=\"png\" ContentType=\"image/png\"/>\
         <Override PartName=\"/word/document.xml\" ContentType=\"{TYPE}.wordprocessingml.document.main+xml\"/>\
         <Override PartName=\"/word/styles.xml\" ContentType=\"{TYPE}.wordprocessingml.styles+xml\"/>\
         <Override PartName=\"/word/numbering.xml\" ContentType=\"{TYPE}.wordprocessingml.numbering+xml\"/>\
         <Override PartName=\"/word/settings.xml\" ContentType=\"{TYPE}.wordprocessingml.settings+xml\"/>\
         <Override PartName=\"/word/footer1.xml\" ContentType=\"{TYPE}.wordprocessingml.footer+xml\"/>\
         <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
         <Override PartName=\"/docProps/app.xml\" ContentType=\"{TYPE}.extended-properties+xml\"/>\
         </Types>"
    )
}

/// `_rels/.rels`: the package's main parts.
pub(super) fn package_relationships() -> String {
    format!(
        "{DECLARATION}<Relationships xmlns=\"{RELATIONSHIPS}\">\
         <Relationship Id=\"rId1\" Type=\"{OFFICE_RELATIONSHIPS}/officeDocument\" Target=\"word/document.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"{RELATIONSHIPS}/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
         <Relationship Id=\"rId3\" Type=\"{OFFICE_RELATIONSHIPS}/extended-properties\" Target=\"docProps/app.xml\"/>\
         </Relationships>"
    )
}

/// `word/_rels/document.xml.rels`: the fixed parts, every picture and every link.
pub(super) fn document_relationships(body: &Body) -> String {
    let mut xml = format!(
        "{DECLARATION}<Relationships xmlns=\"{RELATIONSHIPS}\">\
         <Relationship Id=\"rIdStyles\" Type=\"{OFFICE_RELATIONSHIPS}/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rIdNumbering\" Type=\"{OFFICE_RELATIONSHIPS}/numbering\" Target=\"numbering.xml\"/>\
         <Relationship Id=\"rIdSettings\" Type=\"{OFFICE_RELATIONSHIPS}/settings\" Target=\"settings.xml\"/>\
         <Relationship Id=\"rIdFooter\" Type=\"{OFFICE_RELATIONSHIPS}/footer\" Target=\"footer1.xml\"/>"
    );
    for image in &body.images {
        let _ = write!(
            xml,
            "<Relationship Id=\"{}\" Type=\"{OFFICE_RELATIONSHIPS}/image\" Target=\"media/{}\"/>",
            image.rid, image.file
        );
    }
    for (index, url) in body.links.iter().enumerate() {
        let _ = write!(
            xml,
            "<Relationship Id=\"rIdLink{}\" Type=\"{OFFICE_RELATIONSHIPS}/hyperlink\" \
             Target=\"{}\" TargetMode=\"External\"/>",
            index + 1,
            escape(url)
        );
    }
    xml.push_str("</Relationships>");
    xml
}

/// `docProps/core.xml`: title, subject (the partnership), author and language.
pub(super) fn core_properties(title: &str, subject: &str, author: &str, language: &str) -> String {
    format!(
        "{DECLARATION}<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator>\
         <dc:language>{language}</dc:language></cp:coreProperties>",
        escape(title),
        escape(subject),
        escape(author),
    )
}

/// `docProps/app.xml`: the application that made the file.
pub(super) fn app_properties() -> String {
    format!(
        "{DECLARATION}<Properties \
         xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
         <Application>Cradle</Application></Properties>"
    )
}
