//! Reading counts and years as official files write them, and writing numbers for people.

use crate::grid::{Cell, format_number};

/// More people than any area could hold (over ten times the world's population): a count
/// beyond it is a damaged cell, and would overflow the sums made from the counts.
const MOST_PEOPLE: f64 = 100_000_000_000.0;

/// Reads a count of people: a number that is not negative, nor beyond [`MOST_PEOPLE`]. Text may carry thousands
/// separators (`"1,008"`) and decimals (`915.0`), as ONS and Nomis files do.
///
/// The error is the message a person sees, naming what the cell holds.
pub(crate) fn count(cell: &Cell) -> Result<f64, String> {
    let (number, shown) = match cell {
        Cell::Empty => {
            return Err("the count is blank; write 0 if there are no people of this age".into());
        }
        Cell::Other { description, .. } => {
            return Err(format!("the cell holds {description}, not a number"));
        }
        Cell::Number(number) => (*number, format_number(*number)),
        Cell::Text(text) => {
            let shown = text.trim().to_owned();
            match number(&shown) {
                Some(number) => (number, shown),
                None => return Err(format!("“{shown}” is not a number")),
            }
        }
    };
    if !number.is_finite() {
        return Err(format!("“{shown}” is not a number"));
    }
    if number < 0.0 {
        return Err(format!(
            "“{shown}” is below zero; a count of people cannot be negative"
        ));
    }
    if number > MOST_PEOPLE {
        return Err(format!(
            "“{shown}” is more people than any area holds; check the cell"
        ));
    }
    Ok(number)
}

/// Parses `1234`, `1,234`, `1234.5`, `-3` or `+3`; thousands separators must group digits in
/// threes, so that a typing slip such as `1,23` is caught rather than read as 123.
pub(crate) fn number(text: &str) -> Option<f64> {
    let text = text.trim();
    let unsigned = text
        .strip_prefix('-')
        .or_else(|| text.strip_prefix('+'))
        .unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let whole_ok = if whole.contains(',') {
        let mut groups = whole.split(',');
        let first_ok = groups
            .next()
            .is_some_and(|first| all_digits(first) && first.len() <= 3);
        first_ok && groups.all(|group| all_digits(group) && group.len() == 3)
    } else {
        all_digits(whole)
    };
    if !whole_ok || fraction.is_some_and(|fraction| !all_digits(fraction)) {
        return None;
    }
    text.replace(',', "").parse().ok()
}

/// Finds a year written after "mid" (`Mid-2019`, `mid2023`, `mid 2023`), as ONS titles and
/// file names give the reference date of mid-year estimates.
pub(crate) fn mid_year(text: &str) -> Option<u16> {
    let lower = text.to_lowercase();
    lower.match_indices("mid").find_map(|(at, _)| {
        let after = &lower[at + 3..];
        let digits_start = after.find(|c: char| c.is_ascii_digit())?;
        // Only separators may stand between "mid" and the year.
        if !after[..digits_start]
            .chars()
            .all(|c| matches!(c, '-' | ' ' | '_'))
            || digits_start > 2
        {
            return None;
        }
        let digits: String = after[digits_start..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let year: u16 = digits.parse().ok().filter(|_| digits.len() == 4)?;
        (1900..=2100).contains(&year).then_some(year)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_official_files_write_them() {
        assert_eq!(number("1,008"), Some(1008.0));
        assert_eq!(number("66,796,807"), Some(66_796_807.0));
        assert_eq!(number("915.0"), Some(915.0));
        assert_eq!(number(" 2262.810755846797 "), Some(2262.810755846797));
        assert_eq!(number("-3"), Some(-3.0));
        for bad in [
            "", "abc", "1,00", "1,0000", ",100", "1.2.3", "1e3", "12a", ".5", "5.",
        ] {
            assert_eq!(number(bad), None, "{bad}");
        }
    }

    #[test]
    fn counts_name_what_is_wrong() {
        assert_eq!(count(&Cell::Text("1,008".into())), Ok(1008.0));
        assert_eq!(
            count(&Cell::Text("abc".into())),
            Err("“abc” is not a number".into())
        );
        assert_eq!(
            count(&Cell::Text("-5".into())),
            Err("“-5” is below zero; a count of people cannot be negative".into())
        );
        assert_eq!(
            count(&Cell::Empty),
            Err("the count is blank; write 0 if there are no people of this age".into())
        );
        assert_eq!(
            count(&Cell::Other {
                description: "the error #REF!".into(),
                as_typed: "the error #REF!".into(),
            }),
            Err("the cell holds the error #REF!, not a number".into())
        );
        assert_eq!(count(&Cell::Number(981.0)), Ok(981.0));
        assert_eq!(
            count(&Cell::Text("99999999999999999999999".into())),
            Err(
                "“99999999999999999999999” is more people than any area holds; check the cell"
                    .into()
            )
        );
    }

    #[test]
    fn mid_years_in_titles_and_file_names() {
        assert_eq!(mid_year("ons-mye2-persons-mid2019-uk.csv"), Some(2019));
        assert_eq!(mid_year("Population estimates: Mid-2023"), Some(2023));
        assert_eq!(mid_year("mid 2021"), Some(2021));
        assert_eq!(mid_year("middlesbrough-2019.csv"), None);
        assert_eq!(mid_year("mid-20190"), None);
        assert_eq!(mid_year("population.csv"), None);
    }
}
