//! Shannon entropy of a candidate value: random keys score high, words,
//! repeated characters and sequences score low.

/// Bits of Shannon entropy per character of `s`, over its bytes.
pub fn shannon(s: &str) -> f64 {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let len = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / len;
            -p * p.log2()
        })
        .sum()
}

/// How many of the classes lower, upper, digit and other a value uses.
pub fn char_classes(s: &str) -> u8 {
    let (mut lower, mut upper, mut digit, mut other) = (false, false, false, false);
    for c in s.chars() {
        if c.is_ascii_lowercase() {
            lower = true;
        } else if c.is_ascii_uppercase() {
            upper = true;
        } else if c.is_ascii_digit() {
            digit = true;
        } else {
            other = true;
        }
    }
    u8::from(lower) + u8::from(upper) + u8::from(digit) + u8::from(other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_scores_higher_than_words() {
        assert!(shannon("aaaaaaaaaaaa") < 0.01);
        assert!((shannon("abcd") - 2.0).abs() < 1e-9);
        assert!(shannon("hunter") < shannon("q8Zr3xLp0vN2Tw9k"));
        assert!(shannon("q8Zr3xLp0vN2Tw9k") > 3.5);
        assert_eq!(shannon(""), 0.0);
    }

    #[test]
    fn counts_character_classes() {
        assert_eq!(char_classes("abc"), 1);
        assert_eq!(char_classes("aB3"), 3);
        assert_eq!(char_classes("aB3/"), 4);
    }
}
