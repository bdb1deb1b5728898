//! Score normalisation helpers (`pkg/scheduler/framework/plugins/helper/normalize_score.go`).

/// `DefaultNormalizeScore`: scale to 0..=100 by the maximum (`100 * s / max`), reversed when asked. When every
/// score is 0, reversed scores become 100 and the others stay 0.
pub fn default_normalize(scores: &mut [i64], reverse: bool) {
    let max = scores.iter().copied().max().unwrap_or(0);
    if max == 0 {
        if reverse {
            scores.iter_mut().for_each(|s| *s = 100);
        }
        return;
    }
    for s in scores.iter_mut() {
        *s = 100 * *s / max;
        if reverse {
            *s = 100 - *s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_by_max() {
        let mut s = [0, 1, 2];
        default_normalize(&mut s, true);
        assert_eq!(s, [100, 50, 0]);
        let mut s = [0, 0];
        default_normalize(&mut s, true);
        assert_eq!(s, [100, 100]);
        let mut s = [10, 5];
        default_normalize(&mut s, false);
        assert_eq!(s, [100, 50]);
    }
}
