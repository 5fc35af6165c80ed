//! Splitting text into words and reducing each to its term: lower case, without accents,
//! in UK spelling and lightly stemmed.

use super::*;

/// A word found in text, folded to lower case without accents, before stemming.
pub(super) struct RawWord {
    pub(super) folded: String,
    pub(super) start: usize,
    pub(super) end: usize,
    /// The joined form of a compound such as `ASQ-3`, spanning its parts.
    pub(super) joined: bool,
    /// Which whitespace-separated chunk of the text the word is in.
    pub(super) chunk: usize,
}

/// Splits text into words: runs of letters and digits, where an apostrophe inside a word
/// does not split it (`baby's` is `babys`) and decomposed accents are dropped. A chunk of two or more words joined by
/// punctuation (`ASQ:SE-2`, `post-natal`) also yields the words run together.
pub(super) fn words(text: &str) -> Vec<RawWord> {
    let mut words = Vec::new();
    let mut current = String::new();
    let (mut start, mut end) = (0, 0);
    let mut chunk = 0;
    let mut chunk_first = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c.is_alphanumeric() {
            if current.is_empty() {
                start = at;
            }
            fold_into(c, &mut current);
            end = at + c.len_utf8();
        } else if is_combining_mark(c) {
            // `e` followed by U+0301 is `é` written in two parts: fold it like `é`.
            if !current.is_empty() {
                end = at + c.len_utf8();
            }
        } else if is_apostrophe(c)
            && !current.is_empty()
            && chars
                .peek()
                .is_some_and(|&(_, next)| next.is_alphanumeric())
        {
            // Inside a word: `baby's` stays one word so that it stems to `baby`.
        } else {
            finish_word(&mut words, &mut current, start, end, chunk);
            if c.is_whitespace() {
                finish_chunk(&mut words, chunk_first);
                chunk += 1;
                chunk_first = words.len();
            }
        }
    }
    finish_word(&mut words, &mut current, start, end, chunk);
    finish_chunk(&mut words, chunk_first);
    words
}

fn finish_word(
    words: &mut Vec<RawWord>,
    current: &mut String,
    start: usize,
    end: usize,
    chunk: usize,
) {
    if !current.is_empty() {
        words.push(RawWord {
            folded: std::mem::take(current),
            start,
            end,
            joined: false,
            chunk,
        });
    }
}

fn finish_chunk(words: &mut Vec<RawWord>, chunk_first: usize) {
    let parts = &words[chunk_first..];
    if let (Some(first), Some(last)) = (parts.first(), parts.last())
        && (2..=MAX_JOINED_PARTS).contains(&parts.len())
    {
        let joined = RawWord {
            folded: parts.iter().map(|part| part.folded.as_str()).collect(),
            start: first.start,
            end: last.end,
            joined: true,
            chunk: first.chunk,
        };
        words.push(joined);
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘')
}

/// Combining diacritical marks, as found in decomposed (NFD) text.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// Lower-cases `c` and strips common Latin accents, so that `crèche` matches `creche`.
fn fold_into(c: char, folded: &mut String) {
    for lower in c.to_lowercase() {
        let plain = match lower {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'ď' | 'đ' | 'ð' => 'd',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
            'ł' => 'l',
            'ñ' | 'ń' | 'ň' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
            'ŕ' | 'ř' => 'r',
            'ś' | 'š' | 'ş' => 's',
            'ť' | 'ţ' => 't',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
            'ŵ' => 'w',
            'ý' | 'ÿ' | 'ŷ' => 'y',
            'ź' | 'ż' | 'ž' => 'z',
            'ß' => {
                folded.push_str("ss");
                continue;
            }
            'æ' => {
                folded.push_str("ae");
                continue;
            }
            'œ' => {
                folded.push_str("oe");
                continue;
            }
            // Lower-casing `İ` yields `i` and a combining dot.
            mark if is_combining_mark(mark) => continue,
            other => other,
        };
        folded.push(plain);
    }
}

/// Common words that say nothing about what someone is looking for, sorted for binary search.
/// Short, so that meaningful words in this content (`being`, `after`, `not`) stay searchable.
pub(super) const STOP_WORDS: &[&str] = &[
    "a", "about", "also", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can",
    "could", "did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "his", "how",
    "i", "if", "in", "into", "is", "it", "its", "may", "me", "my", "of", "on", "or", "our", "she",
    "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "to", "was", "we", "were", "what", "when", "where", "which", "who", "why", "will",
    "with", "would", "you", "your",
];

pub(super) fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// The index term for a folded word: US `-ize` spellings made UK, stemmed, then other
/// UK/US differences folded.
pub(super) fn term_of(folded: &str) -> String {
    fold_spelling(stem(&fold_ize(folded)))
}

/// `organize`, `organized`, `organization` → `organise`…, before stemming so that both
/// spellings stem alike. Short words (`size`, `prize`) are left alone.
fn fold_ize(word: &str) -> Cow<'_, str> {
    const ENDINGS: &[(&str, &str)] = &[
        ("ization", "isation"),
        ("izations", "isations"),
        ("izing", "ising"),
        ("ized", "ised"),
        ("izes", "ises"),
        ("ize", "ise"),
    ];
    if word.len() >= 6 {
        for (us, uk) in ENDINGS {
            if let Some(base) = word.strip_suffix(us) {
                return Cow::Owned(format!("{base}{uk}"));
            }
        }
    }
    Cow::Borrowed(word)
}

/// Folds the remaining UK and US spellings to one form. The form is internal, so it only
/// has to be the same for both: `behaviour` and `behavior` both become `behavior`.
fn fold_spelling(mut term: String) -> String {
    const INFIXES: &[(&str, &str)] = &[
        ("iour", "ior"),
        ("bour", "bor"),
        ("lour", "lor"),
        ("vour", "vor"),
        ("mour", "mor"),
        ("paed", "ped"),
        ("foet", "fet"),
        ("haem", "hem"),
        ("anaes", "anes"),
        ("oestr", "estr"),
    ];
    // Stems, as `stem` leaves them (`centre` loses its final `e`).
    const WORDS: &[(&str, &str)] = &[
        ("centr", "center"),
        ("programm", "program"),
        ("licenc", "licens"),
        ("judgement", "judgment"),
        ("ageing", "aging"),
    ];
    for (uk, us) in INFIXES {
        if term.contains(uk) {
            term = term.replace(uk, us);
        }
    }
    for (uk, us) in WORDS {
        if term == *uk {
            return (*us).to_owned();
        }
    }
    term
}

/// A deliberately light stemmer: plurals, `-ed`, `-ing` and a final `e`, only on words long
/// enough that what is left is still a word, so that `relationships` → `relationship`,
/// `sharing`, `shared` and `share` all → `shar`, but `is`, `bus` and `care` stay as they are.
/// Anything it does not understand (non-ASCII, short words) is left unchanged.
fn stem(word: &str) -> String {
    if word.len() <= 3 || !word.is_ascii() {
        return word.to_owned();
    }
    let mut stem = if let Some(base) = word.strip_suffix("sses") {
        format!("{base}ss")
    } else if let Some(base) = word.strip_suffix("ies").filter(|base| base.len() >= 2) {
        format!("{base}y")
    } else if word.ends_with('s') && !["ss", "us", "is"].iter().any(|end| word.ends_with(end)) {
        word[..word.len() - 1].to_owned()
    } else {
        word.to_owned()
    };
    if let Some(base) = stem.strip_suffix("ied").filter(|base| base.len() >= 2) {
        stem = format!("{base}y");
    } else if let Some(base) = stem
        .strip_suffix("ing")
        .or_else(|| stem.strip_suffix("ed"))
        .filter(|base| base.len() >= 4)
    {
        stem = undouble(base).to_owned();
    }
    if stem.len() >= 5 && stem.ends_with('e') {
        stem.pop();
    }
    stem
}

/// `sett` → `set`, as left by `setting`; but `fall` and `miss` keep their double letter.
fn undouble(stem: &str) -> &str {
    let bytes = stem.as_bytes();
    match bytes {
        [.., a, b] if a == b && a.is_ascii_alphabetic() && !b"aeiouslz".contains(a) => {
            &stem[..stem.len() - 1]
        }
        _ => stem,
    }
}
