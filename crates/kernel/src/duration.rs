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
}
