use chrono::TimeDelta;

/// Parses a configuration duration: an integer followed by `s`, `m`, `h` or `d` (`30s`, `15m`, `12h`, `7d`).
pub fn parse_duration(text: &str) -> anyhow::Result<TimeDelta> {
    let text = text.trim();
    let split = text.len().saturating_sub(1);
    let (number, unit) = (text.get(..split).unwrap_or(""), text.get(split..).unwrap_or(""));
    let number: i64 =
        number.parse().map_err(|_| anyhow::anyhow!("{text:?} is not a duration like 30s, 15m, 12h or 7d"))?;
    let delta = match unit {
        "s" => TimeDelta::try_seconds(number),
        "m" => TimeDelta::try_minutes(number),
        "h" => TimeDelta::try_hours(number),
        "d" => TimeDelta::try_days(number),
        _ => None,
    };
    match delta {
        Some(delta) if number > 0 => Ok(delta),
        _ => anyhow::bail!("{text:?} is not a positive duration like 30s, 15m, 12h or 7d"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units() -> anyhow::Result<()> {
        assert_eq!(parse_duration("30s")?, TimeDelta::seconds(30));
        assert_eq!(parse_duration("15m")?, TimeDelta::minutes(15));
        assert_eq!(parse_duration(" 12h ")?, TimeDelta::hours(12));
        assert_eq!(parse_duration("7d")?, TimeDelta::days(7));
        for bad in ["", "s", "12", "1w", "-3h", "0s", "1.5h"] {
            assert!(parse_duration(bad).is_err(), "{bad:?} accepted");
        }
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        #[test]
        fn any_string_is_answered_without_panic(text in proptest::prelude::any::<String>()) {
            let _ = parse_duration(&text);
        }

        #[test]
        fn near_misses_are_answered_without_panic(text in "[ +-]?[0-9]{0,25}[smhdw\u{e9}]?[ ]?") {
            let _ = parse_duration(&text);
        }

        #[test]
        fn every_count_of_every_unit_parses(n in 1_i64..1_000_000, unit in 0_usize..4) {
            let (suffix, expected) = [
                ("s", TimeDelta::seconds(n)),
                ("m", TimeDelta::minutes(n)),
                ("h", TimeDelta::hours(n)),
                ("d", TimeDelta::days(n)),
            ][unit];
            let parsed = parse_duration(&format!("{n}{suffix}"));
            proptest::prop_assert_eq!(parsed.ok(), Some(expected));
        }
    }
}
